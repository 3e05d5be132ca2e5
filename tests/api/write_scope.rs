//! Generated from the OpenAPI document: every write operation, every id its body names (`*_id`,
//! `*_ids`, and the audience's lists of deputies, groups, regions and stations), is sent by a
//! district's staff (瑶海区) once naming another district's record (蜀山区) and once naming a
//! record that does not exist. The two answers must be identical and nothing may be stored: a
//! record outside the caller's scope is, to them, a record that does not exist. A new operation
//! or field whose id is not checked fails this test; a field naming a kind of record the test
//! does not know yet fails it too, until the test is told which other-district record to name.

use crate::examples::{body_for, example, fill, Dates, Records};
use crate::helpers::*;
use crate::reception::{app_with_sms, constituent};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An id no record has.
const MISSING: i64 = 987_654_321;

/// Integer arrays that are not ids (term numbers).
const NOT_IDS: [&str; 1] = ["terms"];

fn resolve<'a>(schema: &'a Value, spec: &'a Value) -> &'a Value {
    if let Some(r) = schema["$ref"].as_str() {
        return resolve(&spec["components"]["schemas"][r.trim_start_matches("#/components/schemas/")], spec);
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[k].as_array().and_then(|v| v.iter().find(|s| s["type"] != "null")) {
            return resolve(first, spec);
        }
    }
    schema
}

fn is_type(s: &Value, t: &str) -> bool {
    s["type"] == t || s["type"].as_array().is_some_and(|ts| ts.iter().any(|x| x == t))
}

/// The id-bearing fields of a body schema, as paths (`audience.deputies`), with whether each is
/// a list.
fn id_fields(schema: &Value, spec: &Value, prefix: &str, depth: usize, out: &mut Vec<(String, bool)>) {
    let s = resolve(schema, spec);
    let Some(props) = s["properties"].as_object() else { return };
    for (name, p) in props {
        let p = resolve(p, spec);
        let path = format!("{prefix}{name}");
        let int_list = is_type(p, "array") && is_type(resolve(&p["items"], spec), "integer");
        if is_type(p, "integer") && name.ends_with("_id") {
            out.push((path, false));
        } else if int_list && !NOT_IDS.contains(&name.as_str()) {
            out.push((path, true));
        } else if (is_type(p, "object") || p["properties"].is_object()) && depth < 3 {
            id_fields(p, spec, &format!("{path}."), depth + 1, out);
        }
    }
}

/// The kind of record a field names, by its last segment.
fn kind_of(field: &str) -> &'static str {
    let last = field.rsplit('.').next().unwrap_or(field);
    match last {
        "deputy_id" | "deputy_ids" | "invitee_ids" | "cosigner_ids" | "excluded_deputy_ids" | "deputies" | "exclude"
        | "member_deputy_id" => "deputy",
        "member_account_id" | "client_id" => "account",
        "station_id" | "station_ids" | "stations" | "contact_points" => "station",
        "region_id" | "parent_id" | "regions" => "region",
        "group_id" | "groups" => "group",
        "unit_id" | "lead_unit_id" | "co_unit_ids" => "unit",
        "event_id" => "event",
        "slot_id" => "slot",
        "checkin_id" => "checkin",
        "entry_id" => "entry",
        "photo_ids" => "photo",
        "candidate_ids" => "candidate",
        other => panic!("the write-scope test does not know which record `{other}` names: add it to kind_of and to the other district's records"),
    }
}

fn set(body: &mut Value, path: &str, v: Value) {
    let mut cur = body;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        if !cur.is_object() {
            *cur = json!({});
        }
        if i + 1 == parts.len() {
            cur[*part] = v;
            return;
        }
        if cur.get(*part).is_none_or(Value::is_null) {
            cur[*part] = json!({});
        }
        cur = &mut cur[*part];
    }
}

/// Rows in every table but those a refused request may touch (audit, rate limits, sessions).
fn stored_rows(app: &TestApp) -> i64 {
    let skip = ["audit_log", "refresh_tokens", "idempotency_keys", "__diesel_schema_migrations"];
    let tables: Vec<String> = if app.is_postgres() {
        app.raw_strings("SELECT tablename AS v FROM pg_tables WHERE schemaname = 'public'")
    } else {
        app.raw_strings("SELECT name AS v FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    }
    .into_iter()
    .flatten()
    .filter(|t| !skip.contains(&t.as_str()))
    .collect();
    let sum = tables.iter().map(|t| format!("(SELECT COUNT(*) FROM \"{t}\")")).collect::<Vec<_>>().join(" + ");
    app.raw_strings(&format!("SELECT CAST({sum} AS TEXT) AS v"))[0].clone().unwrap().parse().unwrap()
}

/// Bodies that reach the id check of a field, where the generic one would not.
fn base_for(method: &str, path: &str, field: &str, region: i64) -> Option<Value> {
    let rule = json!({"code": "scope_test", "name": "范围测试", "category": "activity", "points": 1, "clause": "§1"});
    Some(match (method, path, field) {
        ("POST", "/api/v1/checkins", "event_id") => {
            json!({"token": "x", "latitude": 31.86, "longitude": 117.28, "accuracy_m": 10, "coord_system": "wgs84", "deputy_id": 1})
        }
        ("POST", "/api/v1/deputies/{id}/seats", _) => json!({"level": "county", "region_id": region, "term": 18}),
        ("POST", "/api/v1/notices", "event_id") => {
            json!({"kind": "meeting", "title": "会议通知", "body": "…", "audience": {"regions": [region]}})
        }
        ("POST", "/api/v1/notices", _) => {
            json!({"kind": "briefing", "title": "情况通报", "body": "…", "audience": {"regions": [region]}})
        }
        ("POST", "/api/v1/point-rules", _) => rule,
        ("POST", "/api/v1/point-rules/simulate", _) => {
            json!({"year": 2026, "rules": [{"code": "scope_test", "points": 1}]})
        }
        ("POST", "/api/v1/regions", _) => json!({"code": "340102999", "name": "测试街道", "level": "township"}),
        ("POST", "/api/v1/stations", _) => {
            json!({"kind": "station", "name": "测试联络站", "address": "测试路1号", "latitude": 31.86, "longitude": 117.28, "region_id": region})
        }
        ("POST", "/api/v1/accounts", f) => {
            let role = match f {
                "deputy_id" => "deputy",
                "unit_id" => "unit",
                "station_ids" => "station_staff",
                _ => "admin",
            };
            json!({"username": format!("scope-{role}"), "password": "scope-test-pw-1", "role": role, "display_name": "范围测试", "region_id": region})
        }
        _ => return None,
    })
}

async fn first_id(app: &TestApp, token: &str, path: &str) -> i64 {
    let a = app.get(path, token).await;
    a.body["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("{path}: {}", a.text))
}

#[tokio::test]
async fn every_id_a_write_names_is_checked_against_the_callers_scope() {
    let (app, g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let dates = Dates::of(&app);
    let (inside, outside) = (app.region_id(&admin, "340102").await, app.region_id(&admin, "340104").await);
    // The other district's records, made or found by the city's staff.
    let mut other: BTreeMap<&str, i64> = BTreeMap::new();
    other.insert("region", outside);
    other.insert("deputy", first_id(&app, &admin, &format!("/api/v1/deputies?region_id={outside}&limit=1")).await);
    let station = first_id(&app, &admin, &format!("/api/v1/stations?region_id={outside}&limit=1")).await;
    other.insert("station", station);
    other.insert("group", first_id(&app, &admin, &format!("/api/v1/groups?region_id={outside}&limit=1")).await);
    let unit = app.post("/api/v1/units", &admin, json!({"name": "蜀山区住建局", "region_id": outside})).await;
    other.insert("unit", unit.expect(201, "").body["id"].as_i64().unwrap());
    let event = json!({"kind": "meeting", "title": "蜀山区会议", "region_id": outside, "station_id": station, "starts_at": dates.from, "ends_at": dates.to});
    other.insert("event", app.post("/api/v1/events", &admin, event).await.expect(201, "").body["id"].as_i64().unwrap());
    let slot = app
        .post(
            &format!("/api/v1/stations/{station}/slots"),
            &admin,
            json!({"starts_at": dates.from, "ends_at": dates.to}),
        )
        .await;
    other.insert("slot", slot.expect(201, "").body["id"].as_i64().unwrap());
    let round = json!({"region_id": outside, "year": 2027, "title": "蜀山区民生实事"});
    let round = app.post("/api/v1/project-rounds", &admin, round).await.expect(201, "").body["id"].as_i64().unwrap();
    let cand = json!({"title": "蜀山区项目", "description": "…"});
    let cands = app.post(&format!("/api/v1/project-rounds/{round}/candidates"), &admin, cand).await;
    other.insert("candidate", cands.expect(201, "").body["candidates"][0]["id"].as_i64().unwrap());
    let acct = json!({"username": "scope-other", "password": "scope-test-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": outside});
    other.insert(
        "account",
        app.post("/api/v1/accounts", &admin, acct).await.expect(201, "").body["id"].as_i64().unwrap(),
    );
    other.insert("checkin", 1);
    other.insert("entry", 1);
    // The caller's own records fill the paths, so that each operation reaches its body.
    let own_station = 1;
    app.get(&format!("/api/v1/stations/{own_station}"), &yaohai).await.expect(200, "");
    let own_deputy = first_id(&app, &admin, &format!("/api/v1/deputies?region_id={inside}&limit=1")).await;
    let seat =
        app.get(&format!("/api/v1/deputies/{own_deputy}"), &yaohai).await.body["seats"][0]["id"].as_i64().unwrap();
    let own_event = json!({"kind": "meeting", "title": "瑶海区会议", "region_id": inside, "station_id": own_station, "starts_at": dates.from, "ends_at": dates.to});
    let own_event = app.post("/api/v1/events", &yaohai, own_event).await.expect(201, "").body["id"].as_i64().unwrap();
    let citizen = constituent(&app, &g, "13800138078").await;
    let code = app.get(&format!("/api/v1/stations/{own_station}"), &admin).await.body["public_code"]
        .as_str()
        .unwrap()
        .to_string();
    let filed = app
        .post(
            "/api/v1/opinions",
            &citizen,
            json!({"station_code": code, "category": "transport", "title": "路灯", "content": "不亮"}),
        )
        .await;
    let ticket = filed.expect(201, "").body["ticket"].as_str().unwrap().to_string();
    let photo =
        crate::opinion_photos::upload(&app, &citizen, "a.png", crate::opinion_photos::fixture("plain.png")).await;
    other.insert("photo", photo.expect(201, "").body["id"].as_i64().unwrap());
    app.post(&format!("/api/v1/opinions/{ticket}/accept"), &yaohai, json!({})).await.expect(200, "");
    let mut ids = BTreeMap::new();
    ids.insert("deputies", own_deputy);
    ids.insert("stations", own_station);
    ids.insert("events", own_event);
    ids.insert("seat_id", seat);
    ids.insert("region_id", inside);
    let client = json!({"username": "scope-client", "role": "client", "display_name": "瑶海区平台", "region_id": inside, "scopes": ["feed:read"]});
    ids.insert(
        "client_id",
        app.post("/api/v1/accounts", &admin, client).await.expect(201, "").body["id"].as_i64().unwrap(),
    );
    let records = Records { ticket, code, region: inside, ids, dates };

    let spec = serde_json::to_value(lvzhi::openapi::spec()).unwrap();
    let mut checked = 0;
    let mut broken = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            if !["post", "put", "patch", "delete"].contains(&method.as_str()) || schema.is_null() {
                continue;
            }
            let mut fields = vec![];
            id_fields(schema, &spec, "", 0, &mut fields);
            let m = method.to_uppercase();
            let plain = body_for(&m, path, &records).unwrap_or_else(|| example(schema, &spec, 0, &records.dates));
            let url = fill(path, &records);
            for (field, list) in fields {
                let base = base_for(&m, path, &field, inside).unwrap_or_else(|| plain.clone());
                let id = other[kind_of(&field)];
                let answer = |v: i64| {
                    let mut body = base.clone();
                    set(&mut body, &field, if list { json!([v]) } else { json!(v) });
                    let mut req = app.req(Method::from_bytes(m.as_bytes()).unwrap(), &url, Some(&yaohai)).json(&body);
                    if m == "PATCH" || m == "PUT" {
                        req = req.header("If-Match", "*");
                    }
                    app.send(req)
                };
                let before = stored_rows(&app);
                let (out, missing) = (answer(id).await, answer(MISSING).await);
                let stored = stored_rows(&app) - before;
                if out.status != missing.status || out.text != missing.text {
                    broken.push(format!(
                        "{m} {path} `{field}`: another district's {} → {} {}; a missing one → {} {}",
                        kind_of(&field),
                        out.status,
                        out.text,
                        missing.status,
                        missing.text
                    ));
                } else if stored != 0 {
                    broken.push(format!("{m} {path} `{field}`: {stored} rows stored ({} {})", out.status, out.text));
                }
                checked += 1;
                if std::env::var("WRITE_SCOPE_SHOW").is_ok() {
                    eprintln!("{m} {path} `{field}`: {} {}", out.status, out.body["errors"]);
                }
            }
        }
    }
    assert!(checked >= 40, "only {checked} id fields found in the document");
    assert!(broken.is_empty(), "ids outside the caller's scope answer unlike missing ones:\n{}", broken.join("\n"));
}
