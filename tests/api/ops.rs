use crate::helpers::*;

#[tokio::test]
async fn health_readiness_metrics_and_request_ids() {
    let app = spawn_app().await;
    let h = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(h.status, 200);
    let r = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["database"], if app.is_postgres() { "postgres" } else { "sqlite" });
    let echoed = app.send(app.client.get(app.url("/healthz")).header("x-request-id", "abc-123")).await;
    assert_eq!(echoed.headers.get("x-request-id").unwrap(), "abc-123");
    let generated = app.send(app.client.get(app.url("/healthz")).header("x-request-id", "bad id with spaces")).await;
    assert_eq!(generated.headers.get("x-request-id").unwrap().len(), 36);
    let m = app.send(app.client.get(app.url("/metrics"))).await;
    assert!(m.text.contains("lvzhi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), "{}", m.text);
    assert!(m.text.contains("lvzhi_http_request_duration_seconds_bucket"));
    assert!(m.text.contains("lvzhi_db_pool_connections{state=\"in_use\"}"));
    // The load-test route is off unless enabled.
    app.send(app.client.get(app.url("/bench/hello"))).await.expect(404, "not_found");
}

#[tokio::test]
async fn readyz_names_the_failed_dependency() {
    let app = spawn_app().await;
    let mut state = app.state.clone();
    // A pool pointing at nothing: readiness must say which dependency failed.
    let dead = diesel::r2d2::Pool::builder()
        .max_size(1)
        .connection_timeout(std::time::Duration::from_millis(300))
        .build_unchecked(lvzhi::db::checkout::Manager::new("postgres://nobody@127.0.0.1:1/none".into()));
    let url = lvzhi::config::DatabaseUrl::parse("postgres://nobody@127.0.0.1:1/none").unwrap();
    state.db = lvzhi::db::Db::new(dead, &url, 1, lvzhi::platform::views::Views::new(0));
    let started = lvzhi::startup::Application::start(state).unwrap();
    let base = format!("http://127.0.0.1:{}", started.port());
    tokio::spawn(started.run_until_stopped());
    let r = Answer::from(app.client.get(format!("{base}/readyz")).send().await.unwrap()).await;
    r.expect(503, "dependency_unavailable");
    assert!(r.body["detail"].as_str().unwrap().contains("database"));
}

#[tokio::test]
async fn bench_route_answers_when_enabled() {
    let app = spawn_with(&[("LVZHI_BENCH_HELLO", "true")]).await;
    let a = app.send(app.client.get(app.url("/bench/hello"))).await;
    assert_eq!(a.status, 200);
}
