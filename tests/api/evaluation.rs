use crate::helpers::*;
use serde_json::json;

async fn award(app: &TestApp, token: &str, deputy: i64, rule: &str, src: &str, at: Option<&str>) {
    let mut body = json!({"deputy_id": deputy, "rule_code": rule, "source_kind": "roll", "source_id": src});
    if let Some(at) = at {
        body["occurred_at"] = json!(at);
    }
    app.post("/api/v1/ledger/awards", token, body).await.expect(201, "");
}

#[tokio::test]
async fn the_annual_evaluation_finds_minimums_candidates_and_the_bottom_and_what_if_changes_nothing() {
    let app = spawn_demo().await;
    let root = app.root_token().await;
    let admin = app.login("admin").await;
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    let last = format!("{}-06-01T02:00:00Z", year - 1);
    // This year: deputies 1–4 file 4, 3, 2, 1 suggestions; 1 and 2 attend two group activities.
    for d in 1..=4i64 {
        for k in 0..(5 - d) {
            award(&app, &root, d, "suggestion_filed", &format!("s{d}-{k}"), None).await;
        }
    }
    for d in [1, 2] {
        for k in 0..2 {
            award(&app, &root, d, "group_activity_attended", &format!("g{d}-{k}"), None).await;
        }
    }
    // Last year deputies 3 and 4 were at the bottom too; 1 was on top.
    award(&app, &root, 1, "suggestion_filed", "old-1", Some(&last)).await;
    award(&app, &root, 1, "suggestion_filed", "old-1b", Some(&last)).await;
    award(&app, &root, 3, "group_activity_attended", "old-3", Some(&last)).await;
    award(&app, &root, 4, "group_activity_attended", "old-4", Some(&last)).await;
    let city = app.get("/api/v1/auth/me", &admin).await.body["region"]["id"].as_i64().unwrap();
    let settings = json!({"min_group_activities": 2, "min_suggestions": 2, "excellent_quota_pct": 20, "bottom_n": 2, "excluded_deputy_ids": [1]});
    let s = app
        .send(
            app.req(reqwest::Method::PUT, &format!("/api/v1/evaluation-settings/{city}"), Some(&admin)).json(&settings),
        )
        .await;
    s.expect(200, "");
    assert_eq!(s.body["from_region_id"], city);
    let county = app.get("/api/v1/auth/me", &app.login("yaohai").await).await.body["region"]["id"].as_i64().unwrap();
    let inherited = app.get(&format!("/api/v1/evaluation-settings?region_id={county}"), &admin).await;
    assert_eq!(
        (inherited.body["from_region_id"].as_i64(), inherited.body["settings"]["bottom_n"].as_i64()),
        (Some(city), Some(2))
    );
    let ev = app.get(&format!("/api/v1/evaluations?year={year}"), &admin).await;
    ev.expect(200, "");
    let below: Vec<i64> =
        ev.body["below_minimums"].as_array().unwrap().iter().map(|b| b["deputy_id"].as_i64().unwrap()).collect();
    assert!(!below.contains(&1) && !below.contains(&2), "1 and 2 meet both minimums: {below:?}");
    assert!(below.contains(&3) && below.contains(&4));
    let four = ev.body["below_minimums"].as_array().unwrap().iter().find(|b| b["deputy_id"] == 4).unwrap().clone();
    assert_eq!(four["missing"], json!(["group_activities", "suggestions"]));
    // 20 % of the three who compete (1 is excluded) rounds up to one: deputy 2.
    let cands: Vec<i64> =
        ev.body["excellent_candidates"].as_array().unwrap().iter().map(|c| c["deputy_id"].as_i64().unwrap()).collect();
    assert_eq!(cands, vec![2]);
    let bottom: Vec<i64> =
        ev.body["bottom_two_years"].as_array().unwrap().iter().map(|c| c["deputy_id"].as_i64().unwrap()).collect();
    assert_eq!(bottom, vec![3, 4]);
    // Bad settings and scope.
    let bad = json!({"min_group_activities": 2, "min_suggestions": 1, "excellent_quota_pct": 60, "bottom_n": 2, "excluded_deputy_ids": []});
    app.send(app.req(reqwest::Method::PUT, &format!("/api/v1/evaluation-settings/{city}"), Some(&admin)).json(&bad))
        .await
        .expect(422, "validation_failed");
    let yaohai = app.login("yaohai").await;
    app.send(
        app.req(reqwest::Method::PUT, &format!("/api/v1/evaluation-settings/{city}"), Some(&yaohai)).json(&settings),
    )
    .await
    .expect(404, "not_found");
    app.get("/api/v1/evaluations", &app.login("13955110000").await).await.expect(403, "forbidden");
    // What-if: a suggestion worth 6 instead of 3 lifts deputy 1 further and changes no rank of
    // 1–4, but doubles their suggestion points; nothing is written.
    let before = app.get(&format!("/api/v1/deputies/1/points?year={year}"), &admin).await.body["total"].clone();
    let sim = app
        .post(
            "/api/v1/point-rules/simulate",
            &admin,
            json!({"year": year, "rules": [{"code": "suggestion_filed", "points": 6}]}),
        )
        .await;
    sim.expect(200, "");
    let one = sim.body["top"].as_array().unwrap().iter().find(|d| d["deputy_id"] == 1).unwrap().clone();
    assert_eq!((one["current_total"].as_i64(), one["simulated_total"].as_i64()), (Some(16), Some(28)));
    assert_eq!(sim.body["totals_changed"], 4);
    // A cap of 6 a year on suggestions brings deputies 1 and 2 level: ranks change.
    let capped = app
        .post(
            "/api/v1/point-rules/simulate",
            &admin,
            json!({"year": year, "rules": [{"code": "suggestion_filed", "points": 3, "yearly_cap": 6}]}),
        )
        .await;
    let rank = |d: i64| {
        capped.body["top"].as_array().unwrap().iter().find(|x| x["deputy_id"] == d).unwrap()["simulated_rank"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(rank(1), rank(2));
    assert!(capped.body["ranks_changed"].as_i64().unwrap() >= 1);
    assert_eq!(app.get(&format!("/api/v1/deputies/1/points?year={year}"), &admin).await.body["total"], before);
    app.post(
        "/api/v1/point-rules/simulate",
        &admin,
        json!({"year": year, "rules": [{"code": "x", "points": 1, "yearly_cap": -1}]}),
    )
    .await
    .expect(422, "validation_failed");
}
