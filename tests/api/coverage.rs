//! The term's coverage: per obligation the share covered and who is missing, moving as links
//! and contacts are made; as CSV; a notice to everyone missing one; a deputy's own coverage in
//! their archive; a liaison contact's issues carried on as a suggestion draft or an opinion case;
//! scope kept.

use crate::project_setup::deputy_token;
use crate::reception::app_with_sms;
use serde_json::{json, Value};

fn obligation<'a>(v: &'a Value, code: &str) -> &'a Value {
    v["obligations"].as_array().unwrap().iter().find(|o| o["code"] == code).unwrap()
}

#[tokio::test]
pub async fn the_coverage_shows_who_misses_what_exports_it_and_tells_them() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let url = format!("/api/v1/coverage?congress={city}&limit=1000");
    let before = app.get(&url, &admin).await;
    let b = before.expect(200, "").body.clone();
    assert_eq!(b["obligations"].as_array().unwrap().len(), 8);
    let deputies = b["deputies"].as_i64().unwrap();
    assert!(deputies > 10);
    let linked = obligation(&b, "linked");
    assert_eq!(linked["due"].as_i64(), Some(deputies));
    let target = linked["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["deputy_id"].as_i64().unwrap())
        .find(|d| *d != 1)
        .unwrap();
    // A link and a contact move the figures.
    let link = json!({"region_id": city, "term": 16, "member_deputy_id": 1, "deputy_id": target});
    let id = app.post("/api/v1/liaison-links", &admin, link).await.expect(201, "").body["id"].as_i64().unwrap();
    let them = deputy_token(&app, &admin, target).await;
    let contact =
        json!({"contact_on": app.today(), "channel": "visit", "summary": "座谈", "issues": "农村客运班线太少"});
    let logged = app.post(&format!("/api/v1/liaison-links/{id}/contacts"), &them, contact.clone()).await;
    let cid = logged.expect(201, "").body["id"].as_i64().unwrap();
    let after = app.get(&url, &admin).await.body.clone();
    let l = obligation(&after, "linked");
    assert_eq!(l["covered"].as_i64(), linked["covered"].as_i64().map(|n| n + 1));
    assert!(!l["missing"].as_array().unwrap().iter().any(|m| m["deputy_id"] == target));
    let c = obligation(&after, "contacted");
    assert!(c["covered"].as_i64().unwrap() >= 1 && c["due"].as_i64() == l["covered"].as_i64());
    let share = l["share"].as_f64().unwrap();
    assert!((share - l["covered"].as_f64().unwrap() / deputies as f64).abs() < 0.001);
    // CSV: every missing deputy, one row per obligation.
    let csv = app.get(&format!("/api/v1/coverage?congress={city}&format=csv"), &admin).await;
    assert_eq!(csv.status.as_u16(), 200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let trained_missing = obligation(&after, "trained")["missing_count"].as_i64().unwrap();
    assert_eq!(csv.text.lines().next(), Some("\u{feff}obligation,name,deputy_id,deputy"));
    assert_eq!(csv.text.lines().filter(|l| l.starts_with("trained,")).count() as i64, trained_missing);
    // One action tells everyone missing an obligation.
    let notify = json!({"congress": city, "term": after["term"], "obligation": "trained", "title": "培训提醒", "body": "请于年底前完成本届履职培训。"});
    let sent = app.post("/api/v1/coverage/notify", &admin, notify.clone()).await;
    assert_eq!(sent.expect(201, "").body["deputies"].as_i64(), Some(trained_missing));
    let audience = app.raw_strings(&format!("SELECT audience AS v FROM notices WHERE id = {}", sent.body["notice_id"]));
    let listed: Value = serde_json::from_str(audience[0].as_deref().unwrap()).unwrap();
    assert_eq!(listed["deputies"].as_array().unwrap().len() as i64, trained_missing);
    let mut wrong = notify.clone();
    wrong["obligation"] = json!("flying");
    app.post("/api/v1/coverage/notify", &admin, wrong).await.expect(422, "validation_failed");
    // Bad asks and scope.
    app.get(&format!("/api/v1/coverage?congress={city}&format=xml"), &admin).await.expect(422, "validation_failed");
    let old = app.get(&format!("/api/v1/coverage?congress={city}&term=3"), &admin).await;
    assert_eq!(old.expect(422, "validation_failed").body["errors"][0]["code"], "not_current");
    app.get(&url, &them).await.expect(403, "forbidden");
    let district = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan4", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": district});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan4", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&url, &shushan).await.expect(404, "not_found");
    app.post("/api/v1/coverage/notify", &shushan, notify).await.expect(404, "not_found");
    // The deputy's archive shows their own coverage.
    let archive = app.get("/api/v1/me/archive", &them).await;
    let own = &archive.expect(200, "").body["coverage"];
    let status = |code: &str| {
        own["obligations"].as_array().unwrap().iter().find(|o| o["code"] == code).unwrap()["status"].clone()
    };
    assert_eq!(
        (status("linked"), status("contacted"), status("trained")),
        (json!("covered"), json!("covered"), json!("missing"))
    );
    // The contact's issues carried on: a suggestion draft of the deputy, once; an opinion case.
    let carry = format!("/api/v1/liaison-links/{id}/contacts/{cid}/carry");
    app.post(&carry, &admin, json!({"as": "suggestion"})).await.expect(403, "forbidden");
    let drafted = app.post(&carry, &them, json!({"as": "suggestion"})).await;
    let sid = drafted.expect(201, "").body["suggestion_id"].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/suggestions/{sid}"), &them).await;
    assert_eq!(
        (s.expect(200, "").body["status"].as_str(), s.body["author_deputy_id"].as_i64()),
        (Some("draft"), Some(target))
    );
    app.post(&carry, &them, json!({"as": "opinion"})).await.expect(409, "already_exists");
    let second = app.post(&format!("/api/v1/liaison-links/{id}/contacts"), &them, contact).await;
    let cid2 = second.expect(201, "").body["id"].as_i64().unwrap();
    let carry2 = format!("/api/v1/liaison-links/{id}/contacts/{cid2}/carry");
    let stranger = deputy_token(&app, &admin, *[2, 3].iter().find(|d| **d != target).unwrap()).await;
    app.post(&carry2, &stranger, json!({"as": "opinion"})).await.expect(404, "not_found");
    let filed = app.post(&carry2, &them, json!({"as": "opinion", "category": "transport"})).await;
    let ticket = filed.expect(201, "").body["opinion_ticket"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await.expect(200, "").body["category"],
        "transport"
    );
    let list = app.get(&format!("/api/v1/liaison-links/{id}/contacts"), &admin).await;
    assert!(list.body.as_array().unwrap().iter().any(|c| c["opinion_ticket"] == json!(ticket)));
}
