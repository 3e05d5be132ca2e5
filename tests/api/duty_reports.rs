//! 述职评议: staff schedule a deputy's report, the deputy drafts it on frozen figures and submits
//! it, staff return and approve it (its session opens as an event), constituents present rate it
//! with the session's rotating token, staff record it delivered (ledger) and publish it.

use crate::helpers::*;
use crate::phone::Phone;
use crate::reception::{app_with_sms, constituent};
use serde_json::json;

async fn qr_token(app: &TestApp, admin: &str, event: i64) -> String {
    app.get(&format!("/api/v1/events/{event}/qr"), admin).await.expect(200, "").body["token"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn rate(app: &TestApp, id: i64, who: &str, token: &str, verdict: &str) -> Answer {
    let body = json!({"token": token, "verdict": verdict, "comment": "讲得实在"});
    app.post(&format!("/api/v1/duty-reports/{id}/ratings"), who, body).await
}

#[tokio::test]
pub async fn a_report_goes_from_schedule_to_session_ratings_and_publication() {
    let (app, g) = app_with_sms().await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let d = app.get("/api/v1/deputies/1", &admin).await;
    let term = d.body["seats"][0]["term"].as_i64().unwrap();
    let region = d.body["seats"][0]["region_id"].as_i64().unwrap();
    let at = app.clock.now() + chrono::Duration::days(3);
    let item = json!({"deputy_id": 1, "term": term, "at": at.to_rfc3339(), "station_id": 1, "electoral_unit": "明光路街道选区", "representatives": 3});
    let ids = app.post("/api/v1/duty-reports/schedule", &admin, json!({"items": [item.clone()]})).await;
    let id = ids.expect(200, "").body[0].as_i64().unwrap();
    // The plan shows the deputy scheduled, not yet reported.
    let plan =
        app.get(&format!("/api/v1/duty-reports/plan?region_id={region}&term={term}&filter=scheduled"), &admin).await;
    let line = plan.expect(200, "").body.as_array().unwrap().iter().find(|l| l["deputy_id"] == 1).unwrap().clone();
    assert_eq!((line["report_id"].as_i64(), line["reported"].as_bool()), (Some(id), Some(false)));
    // The deputy drafts on frozen figures; the figures cannot be edited, the text can until approval.
    let draft =
        app.post("/api/v1/me/duty-reports", &deputy, json!({"term": term, "body": "一年来，我参加接待……"})).await;
    draft.expect(201, "");
    assert_eq!((draft.body["id"].as_i64(), draft.body["status"].as_str()), (Some(id), Some("draft")));
    assert_eq!(draft.body["figures"]["archive"]["deputy_id"], 1);
    assert!(draft.body["figures"]["signature"]["value"].as_str().is_some_and(|s| !s.is_empty()));
    let path = format!("/api/v1/me/duty-reports/{id}");
    let tag = draft.etag();
    let put = |body: serde_json::Value, tag: Option<String>| {
        let mut r = app.req(reqwest::Method::PUT, &path, Some(&deputy)).json(&body);
        if let Some(t) = tag {
            r = r.header("If-Match", t);
        }
        app.send(r)
    };
    let frozen = put(json!({"body": "x", "figures": {"receptions": 99}}), Some(tag.clone())).await;
    frozen.expect(422, "validation_failed");
    assert_eq!(frozen.body["errors"][0]["code"], "frozen");
    put(json!({"body": "长".repeat(20_001)}), Some(tag.clone())).await.expect(422, "validation_failed");
    put(json!({"body": "x"}), Some("\"duty-report-1-v99\"".into())).await.expect(412, "precondition_failed");
    put(json!({"body": "一年来，我参加接待12次，提出建议3件。"}), Some(tag)).await.expect(200, "");
    app.post(&format!("/api/v1/duty-reports/{id}/approve"), &admin, json!({})).await.expect(409, "illegal_transition");
    app.post(&format!("{path}/submit"), &deputy, json!({})).await.expect(200, "");
    let back =
        app.post(&format!("/api/v1/duty-reports/{id}/return"), &admin, json!({"comment": "请补充建议办理情况"})).await;
    assert_eq!(back.expect(200, "").body["status"], "returned");
    app.post(&format!("{path}/submit"), &deputy, json!({})).await.expect(200, "");
    let ok = app.post(&format!("/api/v1/duty-reports/{id}/approve"), &admin, json!({})).await;
    ok.expect(200, "");
    let event = ok.body["event_id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/events/{event}"), &admin).await.body["kind"], "duty_report");
    // Before the session nobody rates; during it those present do, once each, with the token.
    let early_bird = constituent(&app, &g, "13800150009").await;
    let early = qr_token(&app, &admin, event).await;
    rate(&app, id, &early_bird, &early, "satisfied").await.expect(409, "review_closed");
    app.clock.advance(chrono::Duration::days(3) + chrono::Duration::minutes(10));
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let alice = constituent(&app, &g, "13800150001").await;
    let token = qr_token(&app, &admin, event).await;
    rate(&app, id, &alice, "e999.1.forged", "satisfied").await.expect(403, "forbidden");
    rate(&app, id, &deputy, &token, "satisfied").await.expect(403, "forbidden");
    rate(&app, id, &alice, &token, "best").await.expect(422, "validation_failed");
    rate(&app, id, &alice, &token, "satisfied").await.expect(201, "");
    rate(&app, id, &alice, &token, "unsatisfied").await.expect(409, "already_rated");
    let bob = constituent(&app, &g, "13800150002").await;
    rate(&app, id, &bob, &token, "basically_satisfied").await.expect(201, "");
    app.post(&format!("/api/v1/duty-reports/{id}/deliver"), &admin, json!({})).await.expect(409, "session_not_over");
    // Paper ballots: one proposes the tally, another approves; no more than the session allows
    // (3 registered representatives and the 2 who rated on their phones).
    let tallies = format!("/api/v1/duty-reports/{id}/tallies");
    let t = app.post(&tallies, &admin, json!({"satisfied": 2, "basically_satisfied": 1, "unsatisfied": 0})).await;
    let tally = t.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&format!("{tallies}/{tally}/approve"), &admin, json!({})).await.expect(403, "maker_checker");
    let root = app.root_token().await;
    app.post(&format!("{tallies}/{tally}/approve"), &root, json!({})).await.expect(200, "");
    app.post(&format!("{tallies}/{tally}/approve"), &root, json!({})).await.expect(409, "already_decided");
    let over = app.post(&tallies, &admin, json!({"satisfied": 3, "basically_satisfied": 0, "unsatisfied": 0})).await;
    over.expect(422, "validation_failed");
    assert_eq!(over.body["errors"][0]["code"], "too_many_ballots");
    // After the session (and its grace) the ratings close; staff record it delivered.
    app.clock.advance(chrono::Duration::hours(3));
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let carol = constituent(&app, &g, "13800150003").await;
    rate(&app, id, &carol, &token, "satisfied").await.expect(409, "review_closed");
    let results = app.get(&format!("/api/v1/duty-reports/{id}/results"), &deputy).await;
    results.expect(200, "");
    assert_eq!((results.body["ratings"].as_i64(), results.body["satisfied_rate"].as_f64()), (Some(5), Some(0.6)));
    assert_eq!(results.body["flagged"], false);
    assert_eq!(results.body["comments"][0]["comment"], "讲得实在");
    assert!(!results.text.contains("13800150001"));
    app.post(&format!("/api/v1/duty-reports/{id}/deliver"), &admin, json!({})).await.expect(200, "");
    let noted =
        app.raw_strings("SELECT kind AS v FROM point_events WHERE kind = 'duty_report_delivered' AND deputy_id = 1");
    assert_eq!(noted.len(), 1);
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    assert!(inbox.text.contains("述职评议结果"));
    // The result is in the year's duty archive, and the evaluation counts it once it is required.
    let year = app.today()[..4].to_string();
    let archive = app.get(&format!("/api/v1/deputies/1/archive?year={year}"), &admin).await;
    assert_eq!(
        (archive.body["duty_reports"][0]["report_id"].as_i64(), archive.body["duty_reports"][0]["ratings"].as_i64()),
        (Some(id), Some(5))
    );
    let city = app.get("/api/v1/auth/me", &admin).await.body["region"]["id"].as_i64().unwrap();
    let settings = json!({"min_group_activities": 0, "min_suggestions": 0, "excellent_quota_pct": 10, "bottom_n": 1,
        "excluded_deputy_ids": [], "duty_report_due_year": year.parse::<i32>().unwrap()});
    let put =
        app.req(reqwest::Method::PUT, &format!("/api/v1/evaluation-settings/{city}"), Some(&admin)).json(&settings);
    app.send(put).await.expect(200, "");
    let ev = app.get(&format!("/api/v1/evaluations?year={year}"), &admin).await;
    let below = ev.expect(200, "").body["below_minimums"].as_array().unwrap().clone();
    assert!(!below.iter().any(|b| b["deputy_id"] == 1), "deputy 1 reported");
    assert!(below.iter().any(|b| b["missing"].as_array().unwrap().contains(&json!("duty_report"))));
    // Published, it is public without the comments.
    let code = d.body["public_code"].as_str().unwrap().to_string();
    let none = app.send(app.client.get(app.url(&format!("/api/v1/public/duty-reports?deputy_code={code}")))).await;
    assert_eq!(none.body.as_array().map(Vec::len), Some(0));
    app.post(&format!("/api/v1/duty-reports/{id}/publish"), &admin, json!({})).await.expect(200, "");
    let public = app.send(app.client.get(app.url(&format!("/api/v1/public/duty-reports?deputy_code={code}")))).await;
    assert_eq!(public.body[0]["report"]["status"], "published");
    assert_eq!(public.body[0]["results"]["ratings"], 5);
    assert!(!public.text.contains("讲得实在"), "comments stay with the deputy and staff");
    // The feed tells upper-level platforms.
    let feed = app.get("/api/v1/feed?types=cn.lvzhi.duty_report.published", &admin).await;
    assert_eq!(feed.expect(200, "").body["items"][0]["data"]["report_id"], id);
    let card = Phone::new(&app).get(&format!("/m/{code}")).await;
    assert!(card.html.contains("述职评议") && card.html.contains("5人评议：满意60%"), "{}", card.html);
}

#[tokio::test]
pub async fn another_countys_staff_neither_read_nor_schedule_and_deputies_keep_to_their_own() {
    let (app, _g) = app_with_sms().await;
    let (admin, deputy, staff1) = (app.login("admin").await, app.login("13955110000").await, app.login("staff1").await);
    let d = app.get("/api/v1/deputies/1", &admin).await;
    let term = d.body["seats"][0]["term"].as_i64().unwrap();
    let region = d.body["seats"][0]["region_id"].as_i64().unwrap();
    let other_county = app.region_id(&admin, "340104").await;
    app.post(
        "/api/v1/accounts",
        &admin,
        json!({"username": "shushan", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": other_county}),
    )
    .await
    .expect(201, "");
    let shushan = app.login_raw("shushan", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    let at = (app.clock.now() + chrono::Duration::days(3)).to_rfc3339();
    let item = json!({"items": [{"deputy_id": 1, "term": term, "at": at, "station_id": 1}]});
    app.post("/api/v1/duty-reports/schedule", &shushan, item.clone()).await.expect(404, "not_found");
    app.get(&format!("/api/v1/duty-reports/plan?region_id={region}&term={term}"), &shushan)
        .await
        .expect(404, "not_found");
    app.post("/api/v1/duty-reports/schedule", &deputy, item.clone()).await.expect(403, "forbidden");
    let id = app.post("/api/v1/duty-reports/schedule", &admin, item).await.expect(200, "").body[0].as_i64().unwrap();
    app.get(&format!("/api/v1/duty-reports/{id}"), &shushan).await.expect(404, "not_found");
    app.post("/api/v1/me/duty-reports", &staff1, json!({"term": term})).await.expect(403, "forbidden");
    app.post(&format!("/api/v1/duty-reports/{id}/approve"), &deputy, json!({})).await.expect(403, "forbidden");
    app.get(&format!("/api/v1/duty-reports/{id}"), &deputy).await.expect(200, "");
    // A week before its session an unapproved report's deputy is reminded, once.
    assert_eq!(lvzhi::reports::remind_due_reports(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::reports::remind_due_reports(&app.state).await.unwrap(), 0);
    // Staff remind everyone of the congress and term who has not reported.
    let remind = json!({"region_id": region, "term": term});
    app.post("/api/v1/duty-reports/remind", &shushan, remind.clone()).await.expect(404, "not_found");
    app.post("/api/v1/duty-reports/remind", &deputy, remind.clone()).await.expect(403, "forbidden");
    let sent = app.post("/api/v1/duty-reports/remind", &admin, remind).await;
    assert!(sent.expect(200, "").body["reminded"].as_u64().unwrap() >= 1);
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    let titles: Vec<&str> =
        inbox.body["items"].as_array().unwrap().iter().filter_map(|n| n["title"].as_str()).collect();
    assert_eq!(titles.iter().filter(|t| **t == "述职评议提醒").count(), 2, "{titles:?}");
}

/// A report of the demo deputy scheduled at station 1 in 3 days, drafted, submitted and
/// approved: (its id, its session's event).
async fn approved(app: &TestApp) -> (i64, i64) {
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let term = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["term"].as_i64().unwrap();
    let at = (app.clock.now() + chrono::Duration::days(3)).to_rfc3339();
    let item = json!({"items": [{"deputy_id": 1, "term": term, "at": at, "station_id": 1}]});
    let id = app.post("/api/v1/duty-reports/schedule", &admin, item).await.expect(200, "").body[0].as_i64().unwrap();
    app.post("/api/v1/me/duty-reports", &deputy, json!({"term": term, "body": "述职报告"})).await.expect(201, "");
    app.post(&format!("/api/v1/me/duty-reports/{id}/submit"), &deputy, json!({})).await.expect(200, "");
    let ok = app.post(&format!("/api/v1/duty-reports/{id}/approve"), &admin, json!({})).await;
    (id, ok.expect(200, "").body["event_id"].as_i64().unwrap())
}

#[tokio::test]
pub async fn those_present_rate_on_the_phone_page_behind_the_sessions_screen() {
    let (app, g) = app_with_sms().await;
    let (id, _) = approved(&app).await;
    app.clock.advance(chrono::Duration::days(3) + chrono::Duration::minutes(5));
    // The desk shows the session's screen: a QR code of the rating page with the token.
    let (mut desk, _) = crate::desk_pages::desk_sign_in(&app, "admin").await;
    let screen = desk.get(&format!("/desk/duty-reports/{id}/session")).await;
    assert_eq!(screen.status, 200);
    assert!(screen.html.contains("<svg") && screen.html.contains("/desk/static/session.js"));
    let admin = app.login("admin").await;
    let code = app.get(&format!("/api/v1/duty-reports/{id}/session-code"), &admin).await;
    let url = code.expect(200, "").body["url"].as_str().unwrap().to_string();
    let path = &url[url.find("/m/").unwrap()..];
    // A phone opens it, signs in, comes back and rates once.
    let mut phone = Phone::new(&app);
    assert_eq!(phone.get(path).await.status, 303);
    let back = phone.sign_in(&app, &g, "13800150011", path).await;
    assert_eq!((back.status, back.location()), (303, path));
    let page = phone.get(path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let token = path.split("t=").nth(1).unwrap().to_string();
    let csrf = phone.csrf();
    let fields = [("csrf", csrf.as_str()), ("t", token.as_str()), ("verdict", "satisfied"), ("comment", "很好")];
    let done = phone.post(&format!("/m/duty-reports/{id}/rate"), &fields).await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("感谢您的评议"));
    let again = phone.post(&format!("/m/duty-reports/{id}/rate"), &fields).await;
    assert_eq!(again.status, 422);
    assert!(again.html.contains("已经评议过"));
    let forged: Vec<(&str, &str)> = fields.iter().filter(|(k, _)| *k != "csrf").copied().collect();
    assert_eq!(phone.post(&format!("/m/duty-reports/{id}/rate"), &forged).await.status, 403);
    let results = app.get(&format!("/api/v1/duty-reports/{id}/results"), &admin).await;
    assert_eq!(results.body["satisfied"], 1);
}
