//! The authorization matrix, generated from the OpenAPI spec: every operation is called by every
//! kind of caller, and the status each gets is compared with `tests/authz_matrix.txt`, one row
//! per operation. An operation without a row fails the test, so a new route cannot ship without
//! its authorization written down. Beside the table, rules that hold for every row: no 5xx,
//! anonymous callers get 401 on every operation that declares bearer security, and a record out
//! of an admin's scope answers 404, exactly like a missing one.
//!
//! Regenerate the table after a deliberate change with `AUTHZ_MATRIX_UPDATE=1 cargo test --test
//! api authz` and review the diff: each changed cell is a change of who may do what.

pub(crate) use crate::examples::{body_for, example, fill, Dates, Records};
use crate::helpers::*;
use crate::reception::{app_with_sms, constituent};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const MATRIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/authz_matrix.txt");

/// The callers, in the order of the table's columns.
const ROLES: [&str; 9] = [
    "anonymous",
    "constituent",
    "deputy",
    "station_staff",
    "unit",
    "client_none",
    "client_scoped",
    "admin_out",
    "admin_in",
];

async fn client_token(app: &TestApp, admin: &str, name: &str, region: i64, scopes: &[&str]) -> String {
    let created = app
        .post(
            "/api/v1/accounts",
            admin,
            json!({"username": name, "role": "client", "display_name": name, "region_id": region, "scopes": scopes}),
        )
        .await;
    let secret = created.expect(201, "").body["client_secret"].as_str().unwrap().to_string();
    let form = [("grant_type", "client_credentials"), ("client_id", name), ("client_secret", &secret)];
    app.send(app.client.post(app.url("/api/v1/auth/token")).form(&form)).await.body["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// One row: `METHOD path` and the status each caller got.
type Row = (String, Vec<u16>);

fn parse(text: &str) -> BTreeMap<String, Vec<u16>> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (format!("{} {}", f[0], f[1]), f[2..].iter().map(|x| x.parse().unwrap_or(0)).collect())
        })
        .collect()
}

fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "# The authorization matrix: the status each caller gets from each operation (see tests/api/authz.rs).\n",
    );
    out.push_str(&format!("# {:<7} {:<56} {}\n", "method", "path", ROLES.join(" ")));
    for (op, cells) in rows {
        let (m, p) = op.split_once(' ').unwrap();
        out.push_str(&format!(
            "{m:<9} {p:<56} {}\n",
            cells.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
        ));
    }
    out
}

#[tokio::test]
async fn every_operation_answers_every_kind_of_caller_as_the_matrix_says() {
    let (app, g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.region_id(&admin, "340100").await;
    let other_county = app.region_id(&admin, "340104").await;
    // An opinion left at station 1, and the station's public code.
    let citizen = constituent(&app, &g, "13800138077").await;
    let code = app.get("/api/v1/stations/1", &admin).await.body["public_code"].as_str().unwrap().to_string();
    let filed = app
        .post(
            "/api/v1/opinions",
            &citizen,
            json!({"station_code": code, "category": "transport", "title": "路灯", "content": "不亮"}),
        )
        .await;
    let ticket = filed.expect(201, "").body["ticket"].as_str().unwrap().to_string();
    let created = app
        .post(
            "/api/v1/accounts",
            &admin,
            json!({"username": "shushan", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": other_county}),
        )
        .await;
    created.expect(201, "");
    let admin_out = app.login_raw("shushan", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    // A notice to deputy 1 (in its inbox), a suggestion of theirs, an appeal of theirs.
    let deputy = app.login("13955110000").await;
    let mut ids = BTreeMap::new();
    let deadline = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let notice = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "meeting", "title": "会议通知", "body": "下周二", "audience": {"deputies": [1]}, "publish": true, "rsvp_required": true, "rsvp_deadline": deadline}),
        )
        .await;
    let notice = notice.expect(201, "").body["id"].as_i64().unwrap();
    ids.insert("notices", notice);
    ids.insert("inbox", notice);
    let seat = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let draft = json!({"title": "关于路灯的建议", "content": "…", "category": "urban_construction", "period": "recess", "region_id": seat});
    let suggestion = app.post("/api/v1/suggestions", &deputy, draft).await.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/suggestions/{suggestion}/submit"), &deputy, json!({})).await.expect(200, "");
    ids.insert("suggestions", suggestion);
    let dates = Dates::of(&app);
    let appeal = app
        .post(
            "/api/v1/me/appeals",
            &deputy,
            json!({"kind": "missing", "occurred_on": dates.day, "description": "小组活动未计"}),
        )
        .await;
    ids.insert("appeals", appeal.expect(201, "").body["id"].as_i64().unwrap());
    let records = Records { ticket, code, region: city, ids, dates };
    let tokens: Vec<Option<String>> = vec![
        None,
        Some(citizen),
        Some(deputy),
        Some(app.login("staff1").await),
        Some(app.login("unit1").await),
        Some(client_token(&app, &admin, "portal-none", city, &[]).await),
        Some(
            client_token(
                &app,
                &admin,
                "portal-all",
                city,
                &["directory:read", "directory:write", "directory:phone", "audit:read"],
            )
            .await,
        ),
        Some(admin_out),
        Some(admin.clone()),
    ];

    let spec = serde_json::to_value(lvzhi::openapi::spec()).unwrap();
    let mut ops: Vec<(String, String, Value)> = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    // Steps that end a record after the rest, deletions after everything else, and signing out
    // last of all (it revokes the tokens).
    let ending = ["/withdraw", "/reject", "/merge", "/retract", "/convert", "/close", "/decline", "/cancel"];
    ops.sort_by_key(|(m, p, _)| {
        (p == "/api/v1/auth/logout", m == "DELETE", ending.iter().any(|e| p.ends_with(e)), p.clone(), m.clone())
    });
    let mut rows: Vec<Row> = vec![];
    let mut broken = vec![];
    for (method, path, op) in &ops {
        let url = fill(path, &records);
        let body = op["requestBody"]["content"]["application/json"]["schema"].clone();
        let body = body_for(method, path, &records)
            .or_else(|| (!body.is_null()).then(|| example(&body, &spec, 0, &records.dates)));
        let mut cells = vec![];
        for (role, token) in ROLES.iter().zip(&tokens) {
            let mut req = app.req(Method::from_bytes(method.as_bytes()).unwrap(), &url, token.as_deref());
            if let Some(b) = &body {
                let mut b = b.clone();
                // Wrong passwords slow a name from one address: each caller tries its own name.
                if path == "/api/v1/auth/login" {
                    b["username"] = json!(format!("nobody-{role}"));
                }
                req = req.json(&b);
            }
            if method == "PATCH" || method == "PUT" {
                req = req.header("If-Match", "*");
            }
            // The live stream never ends: its status is all that is read.
            let r = req.timeout(std::time::Duration::from_secs(30)).send().await.unwrap();
            let status = r.status().as_u16();
            let stream =
                r.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
            let text = if stream { String::new() } else { r.text().await.unwrap_or_default() };
            if status >= 500 {
                broken.push(format!("{method} {path} as {role}: {status} {text}"));
            }
            let declared = op["security"].as_array().is_some_and(|s| s.iter().any(|x| x.get("bearer").is_some()));
            if *role == "anonymous" && declared && status != 401 {
                broken.push(format!(
                    "{method} {path} declares bearer security but answers {status} to an anonymous caller"
                ));
            }
            cells.push(status);
        }
        // Out of scope is not found: a record the in-scope admin may read is 404 to the other
        // (public pages and the published rankings — public scoring — are open to all).
        let (inside, outside) = (cells[8], cells[7]);
        let public = path.starts_with("/api/v1/public/") || path.starts_with("/api/v1/rankings/snapshots/");
        if method == "GET" && path.contains("/{") && !public && (200..300).contains(&inside) && outside != 404 {
            broken.push(format!("{method} {path}: the admin out of scope got {outside}, not 404"));
        }
        rows.push((format!("{method} {path}"), cells));
    }
    rows.sort();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let observed = render(&rows);
    if std::env::var("AUTHZ_MATRIX_UPDATE").is_ok() {
        std::fs::write(MATRIX, &observed).unwrap();
        return;
    }
    let expected = parse(&std::fs::read_to_string(MATRIX).unwrap_or_default());
    let mut wrong = vec![];
    for (op, cells) in &rows {
        match expected.get(op) {
            None => wrong.push(format!("{op} has no row in tests/authz_matrix.txt: write down who may call it")),
            Some(want) => {
                for ((role, got), want) in ROLES.iter().zip(cells).zip(want) {
                    if got != want {
                        wrong.push(format!("{op} as {role}: expected {want}, got {got}"));
                    }
                }
            }
        }
    }
    for op in expected.keys().filter(|k| !rows.iter().any(|r| &r.0 == *k)) {
        wrong.push(format!("{op} is in tests/authz_matrix.txt but not in the spec"));
    }
    assert!(wrong.is_empty(), "the authorization matrix does not hold:\n{}", wrong.join("\n"));
}
