//! Notices beyond the inbox: attachments, the live stream, a deputy's own quiet hours and SMS
//! escalation.

use crate::helpers::*;
use futures_util::StreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

pub const BOUNDARY: &str = "lvzhi-test-boundary-7MA4YWxk";

/// A multipart body with one part named `file`.
pub fn multipart(disposition_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let mut body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; {disposition_name}\r\nContent-Type: application/octet-stream\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

pub async fn upload(app: &TestApp, token: &str, notice: i64, disposition_name: &str, bytes: &[u8]) -> Answer {
    let (ct, body) = multipart(disposition_name, bytes);
    app.send(
        app.req(reqwest::Method::POST, &format!("/api/v1/notices/{notice}/attachments"), Some(token))
            .header("content-type", ct)
            .body(body),
    )
    .await
}

pub fn pdf(size: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    b.extend((0..size).map(|i| (i % 251) as u8));
    b
}

pub async fn draft(app: &TestApp, admin: &str, audience: Value) -> i64 {
    let n = app
        .post(
            "/api/v1/notices",
            admin,
            json!({"kind": "meeting", "title": "常委会会议材料", "body": "见附件", "audience": audience}),
        )
        .await;
    n.expect(201, "");
    n.body["id"].as_i64().unwrap()
}

#[tokio::test]
pub async fn attachments_are_checked_by_content_kept_with_their_hash_and_fetched_through_signed_links() {
    let app = spawn_demo_with(&[("LVZHI_MAX_ATTACHMENT_BYTES", "200000")]).await;
    let (admin, yaohai, deputy) = (app.login("admin").await, app.login("yaohai").await, app.login("13955110000").await);
    let id = draft(&app, &admin, json!({"deputies": [1, 2]})).await;
    let file = pdf(150_000);
    // A Chinese name travels as RFC 5987 `filename*`.
    let up = upload(&app, &admin, id, "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E8%AE%AE%E7%A8%8B.pdf", &file).await;
    up.expect(201, "");
    assert_eq!(up.body["file_name"], "会议议程.pdf");
    assert_eq!(up.body["content_type"], "application/pdf");
    assert_eq!(up.body["size_bytes"], file.len() as i64);
    assert_eq!(up.body["sha256"], hex::encode(Sha256::digest(&file)));
    // Refused: too large, an executable renamed .pdf, a PDF named .png, not multipart, no name.
    upload(&app, &admin, id, "filename=\"big.pdf\"", &pdf(250_000)).await.expect(413, "payload_too_large");
    upload(&app, &admin, id, "filename=\"setup.pdf\"", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00")
        .await
        .expect(415, "unsupported_media_type");
    upload(&app, &admin, id, "filename=\"agenda.png\"", &pdf(10)).await.expect(415, "unsupported_media_type");
    app.post(&format!("/api/v1/notices/{id}/attachments"), &admin, json!({"file": "x"}))
        .await
        .expect(415, "unsupported_media_type");
    let unnamed = upload(&app, &admin, id, "x=\"y\"", &pdf(10)).await;
    assert_eq!(unnamed.expect(422, "validation_failed").body["errors"][0]["code"], "file_name_required");
    // Another county's staff do not see the notice at all.
    upload(&app, &yaohai, id, "filename=\"a.pdf\"", &pdf(10)).await.expect(404, "not_found");
    let stored =
        app.raw_sql(&format!("UPDATE notice_attachments SET file_name = file_name WHERE notice_id = {id}")).unwrap();
    assert_eq!(stored, 1, "only the good file is kept");
    // Published: the deputy's notice view carries a signed link that needs no bearer token.
    app.post(&format!("/api/v1/notices/{id}/publish"), &admin, json!({})).await.expect(200, "");
    upload(&app, &admin, id, "filename=\"late.pdf\"", &pdf(10)).await.expect(409, "notice_not_editable");
    let one = app.get(&format!("/api/v1/me/inbox/{id}"), &deputy).await;
    one.expect(200, "");
    let url = one.body["attachments"][0]["url"].as_str().unwrap().to_string();
    let got = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert!(got.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''%E4%BC%9A"));
    assert_eq!(got.bytes().await.unwrap().to_vec(), file);
    // The staff view has links too; a tampered or expired link is refused.
    let staff = app.get(&format!("/api/v1/notices/{id}"), &admin).await;
    assert_eq!(staff.body["attachments"].as_array().unwrap().len(), 1);
    let other_file = url.replace(&format!("attachments/{}?", up.body["id"]), "attachments/999?");
    app.send(app.client.get(app.url(&other_file))).await.expect(403, "link_invalid");
    app.clock.advance(chrono::Duration::minutes(11));
    app.send(app.client.get(app.url(&url))).await.expect(403, "link_invalid");
}

/// Reads SSE frames from a stream until `want` events arrived or the deadline passed.
pub(crate) async fn events(resp: reqwest::Response, want: usize, within: Duration) -> Vec<(i64, String, Value)> {
    let mut stream = resp.bytes_stream();
    let (mut buf, mut out) = (String::new(), vec![]);
    let deadline = Instant::now() + within;
    while out.len() < want {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(Some(Ok(chunk))) = tokio::time::timeout(left, stream.next()).await else { break };
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let (mut id, mut kind, mut data) = (None, String::new(), Value::Null);
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = v.parse().ok();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    kind = v.to_string();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).unwrap();
                }
            }
            if let Some(id) = id {
                out.push((id, kind, data));
            }
        }
    }
    out
}

pub(crate) async fn open_stream(base: &str, token: &str, last: Option<i64>) -> reqwest::Response {
    let mut r = reqwest::Client::new().get(format!("{base}/api/v1/me/events")).bearer_auth(token);
    if let Some(l) = last {
        r = r.header("Last-Event-ID", l.to_string());
    }
    let resp = r.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    resp
}

pub async fn publish(app: &TestApp, admin: &str, title: &str, deputies: &[i64]) -> i64 {
    let n =
        app.post("/api/v1/notices", admin, json!({"kind": "briefing", "title": title, "body": "…", "audience": {"deputies": deputies}, "publish": true})).await;
    n.expect(201, "");
    n.body["id"].as_i64().unwrap()
}

#[tokio::test]
pub async fn the_live_stream_delivers_new_notices_across_instances_and_catches_up_after_a_reconnect() {
    let app = spawn_demo().await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let other = app.twin_instance();
    // A stream on the other instance sees what this one publishes (through the bus).
    let live = open_stream(&other, &deputy, None).await;
    let pending = tokio::spawn(events(live, 2, Duration::from_secs(10)));
    // Let the stream subscribe before publishing: its first frame is the retry hint.
    tokio::time::sleep(Duration::from_millis(200)).await;
    publish(&app, &admin, "not for deputy 1", &[2]).await;
    let first = publish(&app, &admin, "第一期情况通报", &[1, 2]).await;
    let second = publish(&app, &admin, "第二期情况通报", &[1]).await;
    let got = pending.await.unwrap();
    assert_eq!(
        got.iter().map(|e| (e.1.as_str(), e.2["notice_id"].as_i64().unwrap())).collect::<Vec<_>>(),
        vec![("notice", first), ("notice", second)]
    );
    // Away for a while: reconnecting with Last-Event-ID brings what was missed, and only that.
    let last = got[1].0;
    let third = publish(&app, &admin, "第三期情况通报", &[1]).await;
    app.post(&format!("/api/v1/notices/{first}/retract"), &admin, json!({})).await.expect(200, "");
    let again = events(open_stream(&app.base, &deputy, Some(last)).await, 2, Duration::from_secs(10)).await;
    assert_eq!(
        again.iter().map(|e| (e.1.as_str(), e.2["notice_id"].as_i64().unwrap())).collect::<Vec<_>>(),
        vec![("notice", third), ("notice_retracted", first)]
    );
    // Staff accounts have no stream; a garbled Last-Event-ID is refused.
    app.send(app.req(reqwest::Method::GET, "/api/v1/me/events", Some(&admin))).await.expect(403, "forbidden");
    app.send(app.req(reqwest::Method::GET, "/api/v1/me/events", Some(&deputy)).header("Last-Event-ID", "abc"))
        .await
        .expect(400, "invalid_last_event_id");
}
