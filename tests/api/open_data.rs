//! Open duty data: a congress's ranking snapshots (亮分) and its deputies' yearly summaries are
//! public only once it chooses to publish them; the deputy's card shows the summary then.

use crate::feed::county_deputy;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn snapshots_and_summaries_are_public_only_when_the_congress_publishes() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let city = app.region_id(&admin, "340100").await;
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    let x = county_deputy(&app, &admin, "340102").await;
    let award =
        json!({"deputy_id": x, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "O-1"});
    app.post("/api/v1/ledger/awards", &admin, award).await.expect(201, "");
    app.settle_rankings().await;
    let snap =
        app.post("/api/v1/rankings/snapshots", &admin, json!({"year": year, "quarter": 1, "region_id": city})).await;
    let id = snap.expect(201, "").body["id"].as_i64().unwrap();
    let public = |path: String| {
        let app = &app;
        async move { app.send(app.client.get(app.url(&path))).await }
    };
    // Off by default: nothing public. (The card is first asked for once published: cards are
    // kept for 20 seconds.)
    let s = app.get(&format!("/api/v1/open-data/{city}"), &admin).await;
    assert_eq!(s.expect(200, "").body["publish"], false);
    assert_eq!(public("/api/v1/public/rankings/snapshots".into()).await.expect(200, "").body, json!([]));
    public(format!("/api/v1/public/rankings/snapshots/{id}")).await.expect(404, "not_found");
    let code =
        app.get(&format!("/api/v1/deputies/{x}"), &admin).await.body["public_code"].as_str().unwrap().to_string();
    public(format!("/api/v1/public/deputies/{code}/summary")).await.expect(404, "not_found");
    // Only congress staff in scope decide.
    let staff = app.login("staff1").await;
    app.put(&format!("/api/v1/open-data/{city}"), &staff, json!({"publish": true})).await.expect(403, "forbidden");
    let yaohai = app.login("yaohai").await;
    app.put(&format!("/api/v1/open-data/{city}"), &yaohai, json!({"publish": true})).await.expect(404, "not_found");
    // The county publishes: its deputy's summary is public and on their card; the city's
    // snapshot stays the city's choice.
    let county = app.region_id(&admin, "340102").await;
    let on = app.put(&format!("/api/v1/open-data/{county}"), &yaohai, json!({"publish": true})).await;
    assert_eq!(on.expect(200, "").body["publish"], true);
    let sum = public(format!("/api/v1/public/deputies/{code}/summary")).await;
    sum.expect(200, "");
    assert_eq!(sum.body["year"], year);
    assert!(sum.body["points_total"].as_i64().unwrap() >= 1);
    assert!(sum.body.get("entries").is_none() && sum.body.get("appeals").is_none());
    let card = app.send(app.client.get(app.url(&format!("/m/{code}")))).await;
    assert!(card.text.contains("年履职情况") && card.text.contains("履职积分"), "{}", card.text);
    public(format!("/api/v1/public/rankings/snapshots/{id}")).await.expect(404, "not_found");
    // The city publishes: its snapshot is public, with names and codes.
    app.put(&format!("/api/v1/open-data/{city}"), &admin, json!({"publish": true})).await.expect(200, "");
    let list = public("/api/v1/public/rankings/snapshots".into()).await;
    assert_eq!(list.expect(200, "").body[0]["id"], id);
    let rows = public(format!("/api/v1/public/rankings/snapshots/{id}?limit=5")).await;
    let first = &rows.expect(200, "").body["items"][0];
    assert!(first["name"].is_string() && first["deputy_code"].is_string() && first["rank"] == 1, "{}", rows.text);
    assert!(!rows.text.contains("phone"));
    // Withdrawn: 404 again.
    app.put(&format!("/api/v1/open-data/{city}"), &admin, json!({"publish": false})).await.expect(200, "");
    public(format!("/api/v1/public/rankings/snapshots/{id}")).await.expect(404, "not_found");
    public("/api/v1/public/rankings/snapshots/999999".into()).await.expect(404, "not_found");
}
