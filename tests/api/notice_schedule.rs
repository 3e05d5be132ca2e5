//! Scheduled, pinned and expiring notices, and concurrent publication.

use super::notices::*;
use serde_json::json;

#[tokio::test]
async fn scheduled_notices_publish_on_time_pinned_come_first_and_expired_ones_hide() {
    let (app, _gw) = app_with_gateway().await;
    let admin = app.login("admin").await;
    let deputy = app.login("13955110000").await;
    let soon = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    let later = json!({"kind": "study", "title": "学习资料：代表法", "body": "…", "audience": {"deputies": [1]}, "publish": true, "publish_at": soon});
    let s = app.post("/api/v1/notices", &admin, later).await;
    assert_eq!(s.body["status"], "scheduled");
    let pinned = json!({"kind": "briefing", "title": "情况通报（置顶）", "body": "…", "audience": {"deputies": [1]}, "publish": true, "pinned": true});
    let p = app.post("/api/v1/notices", &admin, pinned).await;
    let expiring = json!({"kind": "general", "title": "今日停车安排", "body": "…", "audience": {"deputies": [1]}, "publish": true,
                          "expires_at": (app.clock.now() + chrono::Duration::minutes(30)).to_rfc3339()});
    app.post("/api/v1/notices", &admin, expiring).await.expect(201, "");
    let draft = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "general", "title": "草稿", "body": "", "audience": {"deputies": [1]}}),
        )
        .await;
    assert_eq!(draft.body["status"], "draft");
    assert_eq!(app.get("/api/v1/me/inbox", &deputy).await.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(lvzhi::notices::publish_due(&app.state).await.unwrap(), 0);
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(lvzhi::notices::publish_due(&app.state).await.unwrap(), 1);
    let deputy = app.login("13955110000").await;
    let items = app.get("/api/v1/me/inbox", &deputy).await.body["items"].as_array().unwrap().clone();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["情况通报（置顶）", "学习资料：代表法"], "pinned first; the expired one is hidden");
    assert_eq!(items[0]["notice_id"], p.body["id"]);
    let unread_study = app.get("/api/v1/me/inbox?unread=true&kind=study", &deputy).await;
    assert_eq!(unread_study.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_publishes_of_one_draft_publish_it_once() {
    let (app, _gw) = app_with_gateway().await;
    let admin = app.login("admin").await;
    let draft = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "general", "title": "草稿", "body": "…", "audience": {"deputies": [1, 2, 3]}}),
        )
        .await;
    let id = draft.expect(201, "").body["id"].as_i64().unwrap();
    assert_eq!(draft.body["status"], "draft");
    let url = format!("/api/v1/notices/{id}/publish");
    let answers = futures_util::future::join_all((0..50).map(|_| app.post(&url, &admin, json!({})))).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    let codes: Vec<&str> = answers.iter().filter(|a| a.status != 200).map(|a| a.code()).collect();
    assert!(codes.iter().all(|c| *c == "not_publishable"), "{codes:?}");
    // One delivery per recipient: three inbox rows, each deputy's outbox once per device.
    let (inbox, outbox): (i64, i64) = {
        use diesel::prelude::*;
        use lvzhi::db::schema::{inbox as i, push_outbox as o};
        let mut c = app.state.db.get().unwrap();
        (
            i::table.filter(i::notice_id.eq(id)).count().get_result(&mut *c).unwrap(),
            o::table.filter(o::notice_id.eq(id)).count().get_result(&mut *c).unwrap(),
        )
    };
    assert_eq!(inbox, 3);
    let devices: i64 = {
        use diesel::prelude::*;
        use lvzhi::db::schema::devices as dv;
        let mut c = app.state.db.get().unwrap();
        dv::table
            .filter(dv::deputy_id.eq_any([1i64, 2, 3]))
            .filter(dv::disabled_at.is_null())
            .count()
            .get_result(&mut *c)
            .unwrap()
    };
    assert_eq!(outbox, devices);
}
