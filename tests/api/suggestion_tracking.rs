//! Suggestions after assignment: what units see, extensions, urging, B items tracked until cleared,\npublished replies, the demo's suggestions, and a suggestion turned into an opinion.

use super::suggestions::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn units_see_only_what_was_assigned_to_them_and_drafts_can_be_withdrawn() {
    let app = spawn_demo().await;
    let (admin, author, unit) = (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await);
    let s = app
        .post(
            "/api/v1/suggestions",
            &author,
            json!({"title": "关于公交线路的建议", "content": "…", "category": "transport", "period": "session"}),
        )
        .await;
    let id = s.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&at(id, "submit"), &author, json!({})).await.expect(200, "");
    // Not assigned to the unit: as if it did not exist.
    app.get(&format!("/api/v1/suggestions/{id}"), &unit).await.expect(404, "not_found");
    app.post(&at(id, "reply"), &unit, json!({"classification": "A", "body": "x"})).await.expect(404, "not_found");
    app.post(&at(id, "contacts"), &unit, json!({"channel": "phone", "contacted_on": app.today(), "summary": "电话"}))
        .await
        .expect(404, "not_found");
    // Convert to an opinion needs a reason; withdrawn before assignment; then nothing more.
    app.post(&at(id, "convert"), &admin, json!({"reason": ""})).await.expect(422, "validation_failed");
    let w = app.post(&at(id, "withdraw"), &author, json!({})).await;
    assert_eq!(w.expect(200, "").body["status"], "withdrawn");
    app.post(&at(id, "accept"), &admin, json!({})).await.expect(409, "illegal_transition");
    // Bad filings.
    let bad = app
        .post(
            "/api/v1/suggestions",
            &author,
            json!({"title": "", "content": "…", "category": "weather", "period": "sometime"}),
        )
        .await;
    assert_eq!(bad.expect(422, "validation_failed").body["errors"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn units_ask_for_time_everyone_urges_b_items_are_tracked_until_cleared_and_replies_are_published() {
    let app = spawn_demo().await;
    let (admin, author, unit) = (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await);
    let mut ids = vec![];
    for (title, consent) in [("关于校车安全的建议", true), ("关于农村道路的建议", false)] {
        let s = app
            .post(
                "/api/v1/suggestions",
                &author,
                json!({"title": title, "content": "…", "category": "education", "period": "recess", "publish_consent": consent}),
            )
            .await;
        let id = s.expect(201, "").body["id"].as_i64().unwrap();
        app.post(&at(id, "submit"), &author, json!({})).await.expect(200, "");
        app.post(&at(id, "accept"), &admin, json!({})).await.expect(200, "");
        ids.push(id);
    }
    let (id, other) = (ids[0], ids[1]);
    app.post(&at(id, "assign"), &admin, json!({"lead_unit_id": 1, "months": 3, "key_leader": "李主任"}))
        .await
        .expect(200, "");
    app.post(&at(other, "assign"), &admin, json!({"lead_unit_id": 1})).await.expect(200, "");
    // More time: asked by the lead unit, approved by staff; the deadline moves.
    let before =
        app.get(&format!("/api/v1/suggestions/{id}"), &admin).await.body["due_at"].as_str().unwrap().to_string();
    app.post(&at(id, "extension"), &unit, json!({"months": 2, "reason": "需跨部门协调"})).await.expect(200, "");
    app.post(&at(id, "extension"), &unit, json!({"months": 1, "reason": "again"}))
        .await
        .expect(409, "extension_pending");
    let ok = app.post(&at(id, "extension/decision"), &admin, json!({"approve": true})).await;
    assert!(ok.expect(200, "").body["due_at"].as_str().unwrap() > before.as_str());
    // Urging, weighted: the author 1, staff 2, staff for the supervising leader 4.
    app.post(&at(id, "urge"), &author, json!({})).await.expect(200, "");
    app.post(&at(id, "urge"), &admin, json!({"as_leader": true, "note": "请加快办理"})).await.expect(200, "");
    app.post(&at(other, "urge"), &admin, json!({})).await.expect(200, "");
    app.post(&at(other, "urge"), &admin, json!({"as_leader": true})).await.expect(422, "validation_failed");
    app.post(&at(id, "urge"), &unit, json!({})).await.expect(403, "forbidden");
    let urged = app.get("/api/v1/suggestions/urged", &admin).await;
    let ranked: Vec<(i64, i64)> = urged
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["suggestion"]["id"].as_i64().unwrap(), l["weight"].as_i64().unwrap()))
        .collect();
    assert_eq!(ranked, vec![(id, 5), (other, 2)]);
    // A B reply is tracked until cleared; the consenting author's reply is public.
    app.post(
        &at(id, "contacts"),
        &unit,
        json!({"channel": "phone", "contacted_on": app.today(), "summary": "电话沟通"}),
    )
    .await
    .expect(200, "");
    app.post(&at(id, "reply"), &unit, json!({"classification": "B", "body": "已纳入明年预算。"})).await.expect(200, "");
    app.post(&at(id, "evaluate"), &author, json!({"satisfaction": "basically_satisfied"})).await.expect(200, "");
    let tracked = app.get("/api/v1/suggestions/tracking", &admin).await;
    assert_eq!(tracked.body[0]["id"], id);
    let public = app.send(app.client.get(app.url("/api/v1/public/suggestions"))).await;
    public.expect(200, "");
    assert_eq!(public.body["items"].as_array().unwrap().len(), 1, "only the consenting author's reply");
    assert_eq!(
        (public.body["items"][0]["classification"].as_str(), public.body["items"][0]["reply"].as_str()),
        (Some("B"), Some("已纳入明年预算。"))
    );
    let cleared = app.post(&at(id, "clear"), &admin, json!({})).await;
    assert_eq!(cleared.expect(200, "").body["classification"], "A");
    assert_eq!(app.get("/api/v1/suggestions/tracking", &admin).await.body.as_array().unwrap().len(), 0);
    // Excellent, once; statistics by category with volumes.
    app.post(&at(id, "excellent"), &admin, json!({})).await.expect(200, "");
    app.post(&at(id, "excellent"), &admin, json!({})).await.expect(409, "already_decided");
    let stats = app.get("/api/v1/suggestions/stats?by=category", &admin).await;
    let line = stats.body.as_array().unwrap().iter().find(|l| l["key"] == "education").cloned().unwrap();
    assert_eq!((line["count"].as_i64(), line["replied"].as_i64(), line["a"].as_i64()), (Some(2), Some(1), Some(1)));
    assert_eq!(line["on_time"], json!({"rate": 1.0, "of": 1}));
    app.get("/api/v1/suggestions/stats", &author).await.expect(403, "forbidden");
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let points = app.get("/api/v1/me/points", &author).await;
    assert_eq!(
        points.body["entries"].as_array().unwrap().iter().filter(|e| e["rule_code"] == "suggestion_excellent").count(),
        1
    );
    // Past its deadline the unanswered one shows red and its lead unit is texted, once a day.
    app.clock.advance(chrono::Duration::days(100));
    let admin = app.login("admin").await;
    assert_eq!(app.get(&format!("/api/v1/suggestions/{other}"), &admin).await.body["overdue"], true);
    assert_eq!(app.get(&format!("/api/v1/suggestions/{id}"), &admin).await.body["overdue"], false);
    assert_eq!(lvzhi::suggestions::remind_overdue(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::suggestions::remind_overdue(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn the_demo_holds_suggestions_one_answered_and_published() {
    let app = spawn_app().await;
    lvzhi::demo::seed(&app.state).await.unwrap();
    let author = app.login("13955110000").await;
    let mine = app.get("/api/v1/me/suggestions", &author).await;
    let states: Vec<&str> =
        mine.body["items"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(states, vec!["assigned", "evaluated"]);
    let public = app.send(app.client.get(app.url("/api/v1/public/suggestions"))).await;
    assert_eq!(public.body["items"][0]["classification"], "A");
    // The units' queues hold them; the one in progress can be replied to (a contact is logged).
    let unit2 = app.login("unit2").await;
    let id = mine.body["items"][0]["id"].as_i64().unwrap();
    app.post(&at(id, "reply"), &unit2, json!({"classification": "B", "body": "正在调整线路。"})).await.expect(200, "");
}

#[tokio::test]
async fn a_suggestion_turned_into_an_opinion_is_handled_in_the_reception_room_and_rated_by_its_author() {
    let app = spawn_demo().await;
    let (admin, author, unit) = (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await);
    let (region, peer, _) = peers(&app, &admin).await;
    let other = deputy_login(&app, &admin, peer).await;
    let draft = json!({"title": "关于修复幸福路路灯的建议", "content": "幸福路三盏路灯不亮已一月。", "category": "urban_construction", "period": "recess", "region_id": region});
    let id = app.post("/api/v1/suggestions", &author, draft).await.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&at(id, "submit"), &author, json!({})).await.expect(200, "");
    // Staff convert it with a reason: it becomes an accepted case, raised by the deputy.
    app.post(&at(id, "convert"), &author, json!({"reason": "x"})).await.expect(403, "forbidden");
    let conv = app.post(&at(id, "convert"), &admin, json!({"reason": "属于具体事项，转为社情民意办理"})).await;
    conv.expect(200, "");
    assert_eq!(conv.body["status"], "converted");
    let ticket = conv.body["opinion_ticket"].as_str().unwrap().to_string();
    app.post(&at(id, "convert"), &admin, json!({"reason": "again"})).await.expect(409, "illegal_transition");
    let case = app.get(&format!("/api/v1/opinions/{ticket}"), &author).await;
    case.expect(200, "");
    assert_eq!(
        (case.body["status"].as_str(), case.body["access"].as_str(), case.body["suggestion_id"].as_i64()),
        (Some("accepted"), Some("deputy"), Some(id))
    );
    let events = case.body["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{}", case.text);
    assert_eq!(events[1]["note"], "属于具体事项，转为社情民意办理");
    assert!(case.body.get("phone_masked").is_none(), "{}", case.text);
    assert_eq!(
        app.raw_sql(&format!("UPDATE opinions SET version = version WHERE ticket = '{ticket}' AND constituent_id IS NULL AND suggestion_id = {id}")),
        Ok(1)
    );
    // Another deputy cannot see it; staff list it without a phone number.
    app.get(&format!("/api/v1/opinions/{ticket}"), &other).await.expect(404, "not_found");
    let listed = app.get("/api/v1/opinions?status=accepted", &admin).await;
    let item =
        listed.body["items"].as_array().unwrap().iter().find(|o| o["ticket"] == ticket.as_str()).cloned().unwrap();
    assert!(item["phone_masked"].is_null(), "{item}");
    app.get(&format!("/api/v1/opinions/{ticket}/phone"), &admin).await.expect(404, "not_found");
    // The deputy does not answer (nor earn points for) their own case, and it stays with them.
    app.post(&format!("/api/v1/opinions/{ticket}/answer"), &author, json!({"body": "自己答复"}))
        .await
        .expect(409, "illegal_transition");
    app.post(&format!("/api/v1/opinions/{ticket}/assign"), &admin, json!({"deputy_id": peer}))
        .await
        .expect(409, "illegal_transition");
    // Staff forward it, the unit replies, staff close it, and the author rates it.
    app.post(&format!("/api/v1/opinions/{ticket}/forward"), &admin, json!({"unit_id": 1, "working_days": 5}))
        .await
        .expect(200, "");
    app.post(&format!("/api/v1/opinions/{ticket}/reply"), &unit, json!({"body": "已更换灯具。"})).await.expect(200, "");
    app.post(&format!("/api/v1/opinions/{ticket}/close"), &admin, json!({})).await.expect(200, "");
    let rating = json!({"satisfaction": "satisfied", "result_score": 5, "attitude_score": 5});
    app.post(&format!("/api/v1/me/opinions/{ticket}/rate"), &other, rating.clone()).await.expect(404, "not_found");
    let rated = app.post(&format!("/api/v1/me/opinions/{ticket}/rate"), &author, rating).await;
    assert_eq!(rated.expect(200, "").body["status"], "rated");
    // The author was told, with the ticket.
    let inbox = app.get("/api/v1/me/inbox", &author).await;
    assert!(
        inbox.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["title"].as_str().unwrap().starts_with("建议转为意见办理")),
        "{}",
        inbox.text
    );
}
