//! The event feed: a county's platform receives the county's check-ins, points and case changes
//! in order, signed, and replays them by pull; nothing of another county reaches it, by filter
//! or by cursor; no event carries a phone number or a position.

use crate::feed_receiver::{self as rx, client, deliver_until, pull_all};
use crate::helpers::*;
use crate::ledger::accepted_checkin;
use crate::opinion_cases::{file, on_duty, path, station_code};
use crate::reception::{app_with_sms, constituent};
use serde_json::{json, Value};

/// A deputy whose deepest seat is in the county `code`.
pub async fn county_deputy(app: &TestApp, admin: &str, code: &str) -> i64 {
    let region = app.region_id(admin, code).await;
    let d = app.get(&format!("/api/v1/deputies?region_id={region}&level=county&limit=1"), admin).await;
    d.expect(200, "").body["items"][0]["id"].as_i64().unwrap()
}

/// No key or value of an event's data could be a phone number or a position.
fn assert_minimal(e: &Value) {
    fn walk(v: &Value, ty: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    for banned in ["phone", "lat", "lng", "longitude", "position", "note", "constituent"] {
                        assert!(!k.contains(banned), "{ty} carries `{k}`");
                    }
                    walk(x, ty);
                }
            }
            Value::String(s) => {
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                assert!(!(digits.len() == 11 && digits.starts_with('1') && s.len() <= 13), "{ty} carries `{s}`");
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, ty)),
            _ => {}
        }
    }
    walk(&e["data"], e["type"].as_str().unwrap());
}

#[tokio::test]
async fn a_county_platform_receives_its_changes_in_order_signed_and_replays_them() {
    let (app, g) = app_with_sms().await;
    let receiver = rx::start().await;
    let admin = app.login("admin").await;
    let (a_id, a) = client(&app, &admin, "yaohai-platform", "340102", &["feed:read"]).await;
    let (b_id, b) = client(&app, &admin, "luyang-platform", "340103", &["feed:read"]).await;
    let (_, nofeed) = client(&app, &admin, "yaohai-directory", "340102", &["directory:read"]).await;
    // An admin subscribes the county's platform; a private address is refused.
    let s = app.post("/api/v1/feed/subscriptions", &admin, json!({"client_id": a_id, "url": receiver.url("a")})).await;
    s.expect(201, "");
    let secret = s.body["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let private = json!({"client_id": a_id, "url": "http://10.20.30.40/hook"});
    app.post("/api/v1/feed/subscriptions", &admin, private).await.expect(422, "url_not_allowed");
    let metadata = json!({"client_id": a_id, "url": "http://169.254.169.254/latest"});
    app.post("/api/v1/feed/subscriptions", &admin, metadata).await.expect(422, "url_not_allowed");
    // In the county: a check-in and its points, a direct award, an opinion left and answered.
    let (staff1, staff2) = (app.login("staff1").await, app.login("staff2").await);
    let x = county_deputy(&app, &admin, "340102").await;
    let mine = accepted_checkin(&app, &staff1, 1, x).await;
    lvzhi::ledger::consume_pending_point_events(&app.state).await.unwrap();
    let award =
        json!({"deputy_id": x, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "F-1"});
    app.post("/api/v1/ledger/awards", &admin, award).await.expect(201, "");
    let alice = constituent(&app, &g, "13800138021").await;
    on_duty(&app, &admin, 1, 1, 1).await;
    let ticket = file(&app, &alice, &station_code(&app, &admin, 1).await, "路灯不亮", None).await;
    let deputy = app.login("13955110000").await;
    app.post(&path(&ticket, "answer"), &deputy, json!({"body": "已转告街道办。"})).await.expect(200, "");
    // In the next county: a check-in the first platform must never see.
    let y = county_deputy(&app, &admin, "340103").await;
    let theirs = accepted_checkin(&app, &staff2, 5, y).await;
    // (The answer is the county's last change, so everything before it has been delivered.)
    let answered = |e: &Value| e["type"] == "cn.lvzhi.opinion.status_changed" && e["data"]["to"] == "answered";
    deliver_until(&app, &receiver, "a", answered).await;
    // Delivered in order, each batch signed as the specification says.
    let now = app.clock.now().timestamp();
    let got = receiver.deliveries("a");
    assert!(!got.is_empty());
    for d in &got {
        assert!(rx::verify(&secret, d, now), "a bad signature on {}", d.id);
        assert_eq!(d.content_type, "application/cloudevents-batch+json");
    }
    let events = receiver.taken("a");
    let seqs: Vec<i64> = events.iter().map(|e| e["sequence"].as_str().unwrap().parse().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    for t in ["cn.lvzhi.checkin.accepted", "cn.lvzhi.ledger.entry_posted", "cn.lvzhi.opinion.status_changed"] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    let subject = |id: i64| format!("checkins/{id}");
    assert!(events.iter().any(|e| e["subject"] == subject(mine).as_str()));
    assert!(!events.iter().any(|e| e["subject"] == subject(theirs).as_str()), "another county's check-in");
    // Region paths are the ids from the root down: the county's id is in each.
    let yaohai_path = format!("/{}/", app.region_id(&admin, "340102").await);
    for e in &events {
        assert_eq!(e["specversion"], "1.0");
        assert!(e["region"].as_str().unwrap().contains(&yaohai_path), "{e}");
        assert_minimal(e);
    }
    let statuses: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "cn.lvzhi.opinion.status_changed")
        .map(|e| e["data"]["to"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["submitted", "answered"]);
    // Pulled from the start: the same events, nothing of the other county.
    let pulled = pull_all(&app, &a, "").await;
    let ids: Vec<&Value> = pulled.iter().map(|e| &e["id"]).collect();
    for e in &events {
        assert!(ids.contains(&&e["id"]), "{} delivered but not pulled", e["id"]);
    }
    assert!(!pulled.iter().any(|e| e["subject"] == subject(theirs).as_str()));
    assert!(pull_all(&app, &b, "").await.iter().any(|e| e["subject"] == subject(theirs).as_str()));
    assert!(!pull_all(&app, &b, "").await.iter().any(|e| e["subject"] == subject(mine).as_str()));
    let only = pull_all(&app, &a, "&types=cn.lvzhi.checkin.accepted").await;
    assert!(!only.is_empty() && only.iter().all(|e| e["type"] == "cn.lvzhi.checkin.accepted"));
    // A platform subscribing later may start from the oldest event kept: it gets its county's
    // earlier check-in, and nothing of the first county.
    let late = json!({"client_id": b_id, "url": receiver.url("b"), "from_start": true});
    app.post("/api/v1/feed/subscriptions", &admin, late).await.expect(201, "");
    deliver_until(&app, &receiver, "b", |e| e["subject"] == subject(theirs).as_str()).await;
    assert!(!receiver.taken("b").iter().any(|e| e["subject"] == subject(mine).as_str()));
    // Bad reads: another client's cursor, a changed one, a forged one, no scope, an unknown type.
    let page = app.get("/api/v1/feed?limit=1", &a).await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/feed?after={cursor}"), &b).await.expect(400, "invalid_cursor");
    let mut changed: Vec<char> = cursor.chars().collect();
    changed[3] = if changed[3] == 'A' { 'B' } else { 'A' };
    let changed: String = changed.into_iter().collect();
    app.get(&format!("/api/v1/feed?after={changed}"), &a).await.expect(400, "invalid_cursor");
    app.get("/api/v1/feed?after=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &a).await.expect(400, "invalid_cursor");
    app.get("/api/v1/feed", &nofeed).await.expect(403, "insufficient_scope");
    app.get("/api/v1/feed/types", &nofeed).await.expect(403, "insufficient_scope");
    app.get("/api/v1/feed", &deputy).await.expect(403, "forbidden");
    app.get("/api/v1/feed?types=cn.lvzhi.nope", &a).await.expect(400, "invalid_query");
    app.get("/api/v1/feed?limit=1001", &a).await.expect(400, "invalid_query");
    // The catalogue documents every type with its data schema.
    let cat = app.get("/api/v1/feed/types", &a).await;
    let cat = cat.expect(200, "").body.as_array().unwrap().clone();
    assert!(cat.len() >= 12 && cat.iter().all(|t| t["schema"]["properties"].is_object()));
}
