//! Outbound calls never follow a redirect: a gateway answering 302 towards a second server is
//! recorded as a failed attempt, and the second server is never reached.

use crate::helpers::*;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A bare HTTP server answering every request with `answer`; returns its base URL and how many
/// connections it accepted.
async fn server(answer: String) -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (base, hits) = (format!("http://{}", l.local_addr().unwrap()), Arc::new(AtomicUsize::new(0)));
    let count = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(answer.as_bytes()).await;
            });
        }
    });
    (base, hits)
}

#[tokio::test]
async fn a_gateway_redirect_is_never_followed() {
    let ok = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
        .to_string();
    let (target, target_hits) = server(ok).await;
    let (gateway, gateway_hits) = server(format!(
        "HTTP/1.1 302 Found\r\nlocation: {target}/push\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    ))
    .await;
    let url = format!("{gateway}/push");
    let app = spawn_demo_with(&[
        ("LVZHI_PUSH_WEBHOOK_URL", &url),
        ("LVZHI_PUSH_WEBHOOK_SECRET", "s"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_QUIET_HOURS", "off"),
    ])
    .await;
    let now = app.state.now();
    lvzhi::db::tx(&app.state.db, move |c| {
        let d = lvzhi::push::seeding::NewDevice {
            deputy: 1,
            account: 0,
            platform: "android",
            provider: "webhook",
            token: "redirected",
            app_version: None,
        };
        lvzhi::push::seeding::upsert_device(c, &d, now)
    })
    .await
    .unwrap();
    let admin = app.login("admin").await;
    let n = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "general", "title": "t", "body": "b", "audience": {"deputies": [1]}, "publish": true}),
        )
        .await;
    n.expect(201, "");
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
    let last: Vec<(Option<String>, String)> = {
        use diesel::prelude::*;
        use lvzhi::db::schema::{devices as dv, push_outbox as o};
        let mut c = app.state.db.get().unwrap();
        o::table
            .inner_join(dv::table)
            .filter(dv::token.eq("redirected"))
            .select((o::last_error, o::status))
            .load(&mut *c)
            .unwrap()
    };
    assert_eq!(gateway_hits.load(Ordering::SeqCst), 1, "the gateway was asked once");
    assert_eq!(target_hits.load(Ordering::SeqCst), 0, "the redirect target was never reached");
    assert!(last[0].0.as_deref().unwrap_or_default().starts_with("302"), "{last:?}");
    assert_ne!(last[0].1, "sent");
}
