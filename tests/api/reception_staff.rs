//! The staff side of the reception room, and retried filings.

use super::reception::*;
use serde_json::json;

#[tokio::test]
async fn staff_see_opinions_of_their_scope_with_masked_phones_and_accept_or_reject_them() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138003").await;
    let (admin, yaohai) = (app.login("admin").await, app.login("yaohai").await);
    // A station outside 瑶海区: yaohai's staff must not see what is left there.
    let theirs: Vec<i64> = app.get("/api/v1/stations?limit=200", &yaohai).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let all = app.get("/api/v1/stations?limit=200", &admin).await.body["items"].as_array().unwrap().clone();
    let elsewhere = all.iter().find(|s| !theirs.contains(&s["id"].as_i64().unwrap())).unwrap()["public_code"].clone();
    let mut tickets = vec![];
    for title in ["路灯不亮", "广告牌危险"] {
        let o = app
            .post(
                "/api/v1/opinions",
                &alice,
                json!({"station_code": elsewhere, "category": "urban_construction", "title": title, "content": "…"}),
            )
            .await;
        tickets.push(o.expect(201, "").body["ticket"].as_str().unwrap().to_string());
    }
    let list = app.get("/api/v1/opinions?status=submitted", &admin).await;
    list.expect(200, "");
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["items"][0]["phone_masked"], "138****8003");
    assert!(!list.text.contains("13800138003"), "the full number never shows in the list");
    assert_eq!(app.get("/api/v1/opinions", &yaohai).await.body["items"].as_array().unwrap().len(), 0);
    app.post(&format!("/api/v1/opinions/{}/accept", tickets[0]), &yaohai, json!({})).await.expect(404, "not_found");
    // Accept one; reject the other with a reason (required); illegal steps answer 409.
    let a = app.post(&format!("/api/v1/opinions/{}/accept", tickets[0]), &admin, json!({})).await;
    assert_eq!(a.expect(200, "").body["status"], "accepted");
    app.post(&format!("/api/v1/opinions/{}/accept", tickets[0]), &admin, json!({}))
        .await
        .expect(409, "illegal_transition");
    app.post(&format!("/api/v1/opinions/{}/reject", tickets[1]), &admin, json!({}))
        .await
        .expect(422, "validation_failed");
    let r = app
        .post(
            &format!("/api/v1/opinions/{}/reject", tickets[1]),
            &admin,
            json!({"reason": "不属于人大职权范围，建议拨打12345"}),
        )
        .await;
    assert_eq!(r.expect(200, "").body["status"], "rejected");
    // The constituent sees the reason in the history; an accepted opinion can still be withdrawn.
    let mine = app.get(&format!("/api/v1/me/opinions/{}", tickets[1]), &alice).await;
    assert_eq!(mine.body["events"][1]["note"], "不属于人大职权范围，建议拨打12345");
    assert_eq!(mine.body["events"][1]["actor"], "staff");
    app.post(&format!("/api/v1/me/opinions/{}/withdraw", tickets[0]), &alice, json!({})).await.expect(200, "");
    // Constituents have no staff list.
    app.get("/api/v1/opinions", &alice).await.expect(403, "forbidden");
}

#[tokio::test]
async fn a_retried_opinion_is_filed_once_and_a_reused_key_with_another_body_is_refused() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138019").await;
    let admin = app.login("admin").await;
    let station = crate::opinion_cases::station_code(&app, &admin, 1).await;
    let body = json!({"station_code": station, "category": "transport", "title": "路口缺少斑马线", "content": "孩子上学过马路危险"});
    let send = |key: &'static str, b: serde_json::Value| {
        app.send(
            app.req(reqwest::Method::POST, "/api/v1/opinions", Some(&alice)).header("Idempotency-Key", key).json(&b),
        )
    };
    let all = futures_util::future::join_all((0..50).map(|_| send("retry-1", body.clone()))).await;
    let tickets: std::collections::BTreeSet<String> =
        all.iter().map(|a| a.expect(201, "").body["ticket"].as_str().unwrap().to_string()).collect();
    assert_eq!(tickets.len(), 1, "one opinion for fifty sends");
    assert!(all.iter().any(|a| a.headers.get("idempotent-replayed").is_some()));
    let mine = app.get("/api/v1/me/opinions", &alice).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    let mut other = body.clone();
    other["title"] = json!("另一件事");
    send("retry-1", other).await.expect(422, "idempotency_key_reused");
    // Submissions filed together: one with an unknown code is refused alone.
    let bob = constituent(&app, &g, "13800138020").await;
    let sends = (0..4).map(|i| {
        let code = if i == 2 { json!("S-NOPE") } else { station.clone() };
        app.post(
            "/api/v1/opinions",
            &bob,
            json!({"station_code": code, "category": "other", "title": format!("第{i}件"), "content": "…"}),
        )
    });
    let answers = futures_util::future::join_all(sends).await;
    let codes: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(codes, vec![201, 201, 422, 201]);
    assert_eq!(answers[2].body["errors"][0]["code"], "unknown_code");
    // A unit never sees a case not forwarded to it.
    let ticket = tickets.into_iter().next().unwrap();
    app.get(&crate::opinion_cases::path(&ticket, ""), &app.login("unit2").await).await.expect(404, "not_found");
}
