use crate::helpers::*;
use reqwest::Method;

#[tokio::test]
async fn bad_bodies_get_exact_problem_codes() {
    let app = spawn_with(&[("LVZHI_MAX_BODY_BYTES", "2048")]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    let token = app.login("admin").await;
    let post = |body: &'static str, ct: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.send(app.req(Method::POST, "/api/v1/groups", Some(&token)).header("content-type", ct).body(body)).await
        }
    };
    post("{\"region_id\": 2, ", "application/json").await.expect(400, "malformed_json");
    post("{\"region_id\": 2, \"name\": \"x\", \"term\": 17, \"colour\": \"red\"}", "application/json")
        .await
        .expect(400, "unknown_field");
    post("{\"region_id\": \"two\", \"name\": \"x\", \"term\": 17}", "application/json")
        .await
        .expect(422, "validation_failed");
    post("{\"region_id\": 2, \"name\": \"x\", \"term\": 17}", "text/plain").await.expect(415, "unsupported_media_type");
    let big = format!("{{\"region_id\": 2, \"name\": \"{}\", \"term\": 17}}", "x".repeat(4096));
    let a = app
        .send(
            app.req(Method::POST, "/api/v1/groups", Some(&token)).header("content-type", "application/json").body(big),
        )
        .await;
    a.expect(413, "payload_too_large");
    let v = post("{\"region_id\": 2, \"name\": \"  \", \"term\": 0}", "application/json").await;
    v.expect(422, "validation_failed");
    assert_eq!(v.body["errors"][0]["field"], "name");
    assert_eq!(v.body["errors"][1]["field"], "term");
    assert_eq!(v.body["status"], 422);
    assert!(v.body["type"].as_str().unwrap().starts_with("https://"));
    assert!(v.body["title"].is_string() && v.body["detail"].is_string());
}

#[tokio::test]
async fn unknown_routes_and_bad_paths_are_404_problems() {
    let app = spawn_app().await;
    let a = app.send(app.client.get(app.url("/api/v1/nothing-here"))).await;
    a.expect(404, "not_found");
    let t = {
        lvzhi::demo::seed_directory(&app.state).await.unwrap();
        app.login("admin").await
    };
    app.get("/api/v1/deputies/not-a-number", &t).await.expect(404, "not_found");
    app.get("/api/v1/deputies?limit=abc", &t).await.expect(400, "invalid_query");
}

#[tokio::test]
async fn oversized_and_hostile_inputs_get_4xx_and_the_server_keeps_answering() {
    let app = spawn_demo().await;
    let token = app.login("admin").await;
    // JSON nested half a million levels deep, where a field is typed and where one is skipped:
    // refused (the parser stops at the type, or at its depth limit of 128), no stack overflow.
    for (path, deep) in [
        ("/api/v1/groups", format!("{{\"region_id\": {}", "[".repeat(500_000))),
        ("/api/v1/auth/login", format!("{{\"username\": \"a\", \"password\": \"b\", \"x\": {}", "[".repeat(500_000))),
    ] {
        let a = app
            .send(app.req(Method::POST, path, Some(&token)).header("content-type", "application/json").body(deep))
            .await;
        assert!(a.status == 400 || a.status == 422, "{path}: {} {}", a.status, a.text);
    }
    // A page size of a million.
    app.get("/api/v1/deputies?limit=1000000", &token).await.expect(422, "validation_failed");
    app.get("/api/v1/deputies?limit=-1", &token).await.expect(422, "validation_failed");
    // A 100 MB CSV is cut off at the import limit (20 MB) without being read to the end.
    let chunk = bytes::Bytes::from("张三,男,13900000000,city,340100,17,第一选区,,active,\n".repeat(16_384));
    let n = (100 << 20) / chunk.len() + 1;
    let stream = futures_util::stream::iter((0..n).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let body = reqwest::Body::wrap_stream(stream);
    let r = app
        .req(Method::POST, "/api/v1/deputies/import", Some(&token))
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await;
    match r {
        Ok(r) => assert_eq!(r.status(), 413),
        // The server answered 413 and closed while the client was still sending.
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    app.get("/api/v1/deputies?limit=1", &token).await.expect(200, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_slow_clients_neither_block_others_nor_are_held_forever() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // Two thousand clients send half a request head and stall.
    let mut slow = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: lvzhi\r\n").await.unwrap();
        slow.push(s);
    }
    // Everyone else is served meanwhile.
    let started = std::time::Instant::now();
    app.send(app.client.get(app.url("/healthz"))).await.expect(200, "");
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    // Each stalled client is answered 408 or closed once its 5 s for the head are up.
    let ends = futures_util::future::join_all(slow.into_iter().map(|mut s| async move {
        let mut buf = vec![0u8; 256];
        match tokio::time::timeout(std::time::Duration::from_secs(20), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => true,
            Ok(Ok(n)) => String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
            Err(_) => false,
        }
    }))
    .await;
    assert_eq!(ends.iter().filter(|e| **e).count(), 2000, "every stalled client was let go");
    app.send(app.client.get(app.url("/healthz"))).await.expect(200, "");
}
