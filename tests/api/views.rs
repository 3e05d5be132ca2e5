//! Kept views — the inbox page, the unread badge, the points statement — are served from memory,
//! change at once for the deputy's own write, soon on another instance, and never outlive a
//! notice's expiry; their answers carry an ETag a phone revalidates with `If-None-Match`.

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Another instance over the same database and bus, with its own kept views and writer.
async fn instance(app: &TestApp) -> TestApp {
    let mut st = app.state.clone();
    let (url, inline) = (st.settings.database_url.clone(), st.settings.db_inline_reads);
    st.views = lvzhi::platform::views::Views::new(1 << 20);
    st.db = lvzhi::db::Db::new(st.db.pool.clone(), &url, 1, std::sync::Arc::new(st.views.clone())).inline_reads(inline);
    let other = app.sibling(st);
    following(&other).await;
    other
}

/// The demo on two following instances, with the admin's and deputy 1's tokens.
async fn two_instances() -> (TestApp, TestApp, String, String) {
    let app = spawn_demo().await;
    following(&app).await;
    let other = instance(&app).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    (app, other, admin, deputy)
}

async fn following(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.state.views.serving() {
        assert!(Instant::now() < deadline, "the instance never followed the changed views");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Polls `read` until it gives `want` (the change travels the bus).
async fn eventually<F, Fut>(what: &str, want: Value, read: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = read().await;
        if got == want {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: still {got}, want {want}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn unread(app: &TestApp, token: &str) -> i64 {
    let r = app.get("/api/v1/me/inbox/unread-count", token).await;
    r.expect(200, "");
    r.body["unread"].as_i64().unwrap()
}

async fn statement(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/me/points", token).await;
    r.expect(200, "");
    r.body
}

fn notice(title: &str, expires: chrono::DateTime<chrono::Utc>) -> Value {
    json!({"kind": "briefing", "title": title, "body": "情况通报", "audience": {"deputies": [1]}, "publish": true, "expires_at": expires.to_rfc3339()})
}

#[tokio::test]
async fn a_deputys_badge_and_inbox_come_from_memory_and_follow_every_write_and_expiry() {
    let (app, other, admin, deputy) = two_instances().await;
    let views = &app.state.views;
    let n = app
        .post("/api/v1/notices", &admin, notice("第一期情况通报", app.clock.now() + chrono::Duration::days(30)))
        .await;
    n.expect(201, "");
    let id = n.body["id"].as_i64().unwrap();
    let before = unread(&app, &deputy).await;
    assert!(before >= 1);
    // The second read of the badge and of the first page is served from memory, unchanged.
    let hits = views.hits();
    assert_eq!(unread(&app, &deputy).await, before);
    let page = app.get("/api/v1/me/inbox", &deputy).await;
    assert_eq!(app.get("/api/v1/me/inbox", &deputy).await.body, page.body);
    assert_eq!(views.hits(), hits + 2);
    let mine = |p: &Value| p["items"].as_array().unwrap().iter().find(|i| i["notice_id"] == id).cloned().unwrap();
    assert_eq!(mine(&page.body)["read_at"], Value::Null);
    assert_eq!(unread(&other, &deputy).await, before);
    // Reading the notice on this instance changes badge and page here at once, there soon.
    app.post(&format!("/api/v1/me/inbox/{id}/read"), &deputy, json!({})).await.expect(204, "");
    assert_eq!(unread(&app, &deputy).await, before - 1);
    assert!(mine(&app.get("/api/v1/me/inbox", &deputy).await.body)["read_at"].is_string());
    eventually("the other instance's badge", json!(before - 1), || async { json!(unread(&other, &deputy).await) })
        .await;
    // A newly published notice shows at once, and leaves badge and page when it expires — with
    // no write at all.
    let soon =
        app.post("/api/v1/notices", &admin, notice("限时通报", app.clock.now() + chrono::Duration::minutes(10))).await;
    soon.expect(201, "");
    let soon_id = soon.body["id"].clone();
    assert_eq!(unread(&app, &deputy).await, before);
    let shows = |p: &Value| p["items"].as_array().unwrap().iter().any(|i| i["notice_id"] == soon_id);
    assert!(shows(&app.get("/api/v1/me/inbox", &deputy).await.body));
    eventually("the other instance's badge", json!(before), || async { json!(unread(&other, &deputy).await) }).await;
    app.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(unread(&app, &deputy).await, before - 1);
    assert_eq!(unread(&other, &deputy).await, before - 1);
    assert!(!shows(&app.get("/api/v1/me/inbox", &deputy).await.body));
    // Another page (another variant) is read, not mistaken for the kept one.
    let unread_only = app.get("/api/v1/me/inbox?unread=true", &deputy).await;
    assert!(unread_only.body["items"].as_array().unwrap().iter().all(|i| i["read_at"].is_null()));
}

#[tokio::test]
async fn a_deputys_points_come_from_memory_and_an_award_shows_at_once() {
    let (app, other, admin, deputy) = two_instances().await;
    let views = &app.state.views;
    let first = statement(&app, &deputy).await;
    let hits = views.hits();
    assert_eq!(statement(&app, &deputy).await, first);
    assert_eq!(views.hits(), hits + 1);
    assert_eq!(statement(&other, &deputy).await, first);
    let entries = first["entries"].as_array().unwrap().len();
    let award =
        json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "VIEWS-1"});
    app.post("/api/v1/ledger/awards", &admin, award).await.expect(201, "");
    let now = statement(&app, &deputy).await;
    assert_eq!(now["entries"].as_array().unwrap().len(), entries + 1);
    assert!(now["total"].as_i64().unwrap() > first["total"].as_i64().unwrap());
    eventually("the other instance's statement", now.clone(), || statement(&other, &deputy)).await;
    // Staff reading the deputy's points read the database, and see the same.
    let staff = app.get("/api/v1/deputies/1/points", &admin).await;
    assert_eq!(staff.body, now);
}

#[tokio::test]
async fn a_phone_holding_the_current_page_gets_304_until_it_changes() {
    let app = spawn_demo().await;
    following(&app).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let n = app
        .post("/api/v1/notices", &admin, notice("第二期情况通报", app.clock.now() + chrono::Duration::days(30)))
        .await;
    n.expect(201, "");
    let revalidate = |path: &str, tag: &str| {
        app.send(app.req(reqwest::Method::GET, path, Some(&deputy)).header("If-None-Match", tag))
    };
    let mut tags = vec![];
    for path in ["/api/v1/me/inbox", "/api/v1/me/inbox/unread-count", "/api/v1/me/points"] {
        let first = app.get(path, &deputy).await;
        first.expect(200, "");
        let tag = first.headers["etag"].to_str().unwrap().to_string();
        // Twice: once answered from the database's rendering, once from memory.
        for _ in 0..2 {
            let again = revalidate(path, &tag).await;
            assert_eq!(again.status, 304, "{path}");
            assert!(again.text.is_empty());
            assert_eq!(again.headers["etag"].to_str().unwrap(), tag);
        }
        tags.push(tag);
    }
    // Reading the notice changes page and badge: the old tags get the new bodies.
    let id = n.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/me/inbox/{id}/read"), &deputy, json!({})).await.expect(204, "");
    for (path, tag) in ["/api/v1/me/inbox", "/api/v1/me/inbox/unread-count"].iter().zip(&tags) {
        let changed = revalidate(path, tag).await;
        changed.expect(200, "");
        assert_ne!(changed.headers["etag"].to_str().unwrap(), tag);
    }
    revalidate("/api/v1/me/points", &tags[2]).await.expect(304, "");
}
