//! The rulebook over time: a rule change is a new version, and a congress's own rulebook is\ninherited by lower congresses.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_rule_change_is_a_new_version_and_entries_keep_theirs() {
    let app = spawn_demo().await;
    let root = app.root_token().await;
    let first = app
        .post(
            "/api/v1/ledger/awards",
            &root,
            json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "A"}),
        )
        .await;
    assert_eq!((first.body["points"].as_i64(), first.body["rule_version"].as_i64()), (Some(3), Some(1)));
    let v2 = app
        .post(
            "/api/v1/point-rules",
            &root,
            json!({"code": "suggestion_filed", "name": "提出代表建议", "category": "suggestion", "points": 4, "clause": "§3.2"}),
        )
        .await;
    v2.expect(201, "");
    assert_eq!(v2.body["version"], 2);
    let second = app
        .post(
            "/api/v1/ledger/awards",
            &root,
            json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "B"}),
        )
        .await;
    assert_eq!((second.body["points"].as_i64(), second.body["rule_version"].as_i64()), (Some(4), Some(2)));
    let st = app.get("/api/v1/deputies/1/points", &root).await;
    assert_eq!(st.body["entries"][0]["rule_version"], 1);
    // Bad rules.
    let bad = app
        .post(
            "/api/v1/point-rules",
            &root,
            json!({"code": "x", "name": "x", "category": "activity", "points": 1, "clause": "§1", "yearly_cap": -1}),
        )
        .await;
    bad.expect(422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["code"], "invalid_cap");
    let bad = app.post("/api/v1/point-rules", &root, json!({"code": "x", "name": "x", "category": "activity", "points": 1, "clause": "§1", "effective_from": "2026-06-01", "effective_to": "2026-01-01"})).await;
    assert_eq!(bad.body["errors"][0]["code"], "invalid_range");
    let admin = app.login("admin").await;
    app.post(
        "/api/v1/point-rules",
        &admin,
        json!({"code": "x", "name": "x", "category": "activity", "points": 1, "clause": "§1"}),
    )
    .await
    .expect(403, "forbidden");
    // Balances can be rebuilt from the entries and agree with them.
    let diffs = lvzhi::db::tx(&app.state.db, |c| lvzhi::ledger::rebuild_balances(c, true)).await.unwrap();
    assert!(diffs.is_empty(), "{diffs:?}");
    app.raw_sql("UPDATE ledger_balances SET points = points + 100").unwrap();
    let diffs = lvzhi::db::tx(&app.state.db, |c| lvzhi::ledger::rebuild_balances(c, true)).await.unwrap();
    assert_eq!(diffs.len(), 1);
    assert_eq!(app.get("/api/v1/deputies/1/points", &root).await.body["total"], 7);
}

/// (a deputy whose congress is under `county`, one whose congress is not), as seen by `token`.
async fn deputy_in_and_out(app: &TestApp, token: &str, county: i64, other: i64) -> (i64, i64) {
    let inside = app.get(&format!("/api/v1/deputies?region_id={county}&limit=200"), token).await;
    let outside = app.get(&format!("/api/v1/deputies?region_id={other}&limit=200"), token).await;
    // A deputy whose every seat is in the county (a city seat would not change the congress: the
    // township or county seat is more local, but keep the test independent of that rule).
    let only = |a: &Answer, region: i64| {
        a.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["seats"].as_array().unwrap().iter().all(|s| s["level"] != "city" && s["level"] != "province"))
            .map(|d| d["id"].as_i64().unwrap())
            .unwrap_or_else(|| panic!("no deputy under {region}"))
    };
    (only(&inside, county), only(&outside, other))
}

#[tokio::test]
async fn a_congress_has_its_own_rulebook_and_lower_congresses_inherit_it() {
    let app = spawn_demo().await;
    let root = app.root_token().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let me = app.get("/api/v1/auth/me", &yaohai).await;
    let county = me.body["region"]["id"].as_i64().unwrap();
    let regions = app.get("/api/v1/regions?limit=200", &admin).await;
    let other =
        regions.body["items"].as_array().unwrap().iter().find(|r| r["level"] == "county" && r["id"] != county).unwrap()
            ["id"]
            .as_i64()
            .unwrap();
    let city = regions.body["items"].as_array().unwrap().iter().find(|r| r["level"] == "city").unwrap()["id"]
        .as_i64()
        .unwrap();
    let (inside, outside) = deputy_in_and_out(&app, &admin, county, other).await;
    // 瑶海区 pays 3 for a reception (the default rulebook pays 2).
    let rule = json!({"region_id": county, "code": "station_reception", "name": "进站接待选民（瑶海区）", "category": "station_reception", "points": 3, "yearly_cap": 30, "clause": "瑶§2.1"});
    let v = app.post("/api/v1/point-rules", &yaohai, rule.clone()).await;
    v.expect(201, "");
    assert_eq!((v.body["region_id"].as_i64(), v.body["version"].as_i64()), (Some(county), Some(1)));
    let book = app.get(&format!("/api/v1/point-rules?region_id={county}"), &yaohai).await;
    let rules = book.body.as_array().unwrap();
    let r = rules.iter().find(|x| x["code"] == "station_reception").unwrap();
    assert_eq!((r["points"].as_i64(), r["region_id"].as_i64()), (Some(3), Some(county)));
    assert!(
        rules.iter().filter(|x| x["code"] != "station_reception").all(|x| x["region_id"] == 0),
        "the rest is inherited"
    );
    // The city's own rule applies to the city's other districts; 瑶海区's more local rule wins there.
    let mut city_rule = rule.clone();
    city_rule["region_id"] = json!(city);
    city_rule["points"] = json!(1);
    city_rule["clause"] = json!("合§2.1");
    app.post("/api/v1/point-rules", &admin, city_rule).await.expect(201, "");
    let award = |deputy: i64, src: &str| {
        app.post(
            "/api/v1/ledger/awards",
            &root,
            json!({"deputy_id": deputy, "rule_code": "station_reception", "source_kind": "reception_log", "source_id": src}),
        )
    };
    let a = award(inside, "R1").await;
    a.expect(201, "");
    assert_eq!(
        (a.body["points"].as_i64(), a.body["clause"].as_str(), a.body["rule_region_id"].as_i64()),
        (Some(3), Some("瑶§2.1"), Some(county))
    );
    let b = award(outside, "R2").await;
    assert_eq!((b.body["points"].as_i64(), b.body["rule_region_id"].as_i64()), (Some(1), Some(city)));
    // Scope: a district admin changes only its own congress's rulebook.
    let mut foreign = rule.clone();
    foreign["region_id"] = json!(other);
    app.post("/api/v1/point-rules", &yaohai, foreign).await.expect(404, "not_found");
    let mut default = rule;
    default.as_object_mut().unwrap().remove("region_id");
    app.post("/api/v1/point-rules", &yaohai, default).await.expect(403, "forbidden");
    app.get("/api/v1/point-rules?region_id=999999", &yaohai).await.expect(404, "not_found");
}
