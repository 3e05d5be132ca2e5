use crate::helpers::*;
use serde_json::json;

async fn accepted_checkin(app: &TestApp, staff: &str, station: i64, deputy: i64) -> i64 {
    let a = app.post("/api/v1/checkins", staff, json!({"station_id": station, "deputy_id": deputy})).await;
    a.expect(201, "");
    let id = a.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/checkins/{id}/checkout"), staff, json!({})).await.expect(200, "");
    id
}

#[tokio::test]
async fn checkins_become_explained_capped_points_and_rankings() {
    let app = spawn_demo().await;
    // Move to next June (so the twelve days below never straddle a new year).
    let now = app.clock.now();
    let june = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&now) + 1, 6, 1)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap()
        .and_utc();
    app.clock.advance(june - now);
    let mut staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    // Twelve receptions in a year; the rule grants 2 each with a yearly cap of 20 and a daily cap of 2.
    let mut ids = vec![];
    for day in 0..12 {
        ids.push(accepted_checkin(&app, &staff, station, 1).await);
        if day == 0 {
            // A second reception the same day: the daily cap bites.
            ids.push(accepted_checkin(&app, &staff, station, 1).await);
        }
        app.clock.advance(chrono::Duration::days(1));
        staff = app.login("staff1").await;
        lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    }
    accepted_checkin(&app, &staff, station, 2).await;
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    // Consuming again changes nothing (exactly once per source).
    assert_eq!(lvzhi::ledger::consume_point_events(&app.state).await.unwrap(), 0);
    let deputy = app.login("13955110000").await;
    let year = app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y").to_string();
    let me = app.get(&format!("/api/v1/me/points?year={year}"), &deputy).await;
    me.expect(200, "");
    let entries = me.body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 13);
    assert_eq!(entries[0]["rule_code"], "station_reception");
    assert_eq!(entries[0]["clause"], "§3.4");
    assert_eq!(entries[0]["source_kind"], "checkin");
    assert_eq!(entries[1]["points"], 0, "second reception the same day: daily cap");
    assert!(entries[1]["cap_note"].as_str().unwrap().contains("daily"));
    let total: i64 = entries.iter().map(|e| e["points"].as_i64().unwrap()).sum();
    assert_eq!(total, 20, "yearly cap of 20 holds");
    assert!(entries.iter().any(|e| e["points"] == 0 && e["cap_note"].as_str().unwrap_or("").starts_with("cap 20")));
    assert_eq!(me.body["total"], 20);
    assert_eq!(me.body["by_category"][0]["category"], "station_reception");
    // Rankings: deputy 1 first, deputy 2 second; the deputy sees their own place.
    app.settle_rankings().await;
    let r = app.get(&format!("/api/v1/rankings?year={year}"), &deputy).await;
    r.expect(200, "");
    assert_eq!(r.body["top"][0]["deputy_id"], 1);
    assert_eq!(r.body["top"][1]["deputy_id"], 2);
    assert_eq!(r.body["me"]["rank"], 1);
    assert_eq!(r.body["me"]["percentile"], 100.0);
    // Staff in scope read a deputy's statement; another district's admin cannot.
    let admin = app.login("admin").await;
    app.get(&format!("/api/v1/deputies/2/points?year={year}"), &admin).await.expect(200, "");
    let yaohai = app.login("yaohai").await;
    app.get(&format!("/api/v1/deputies/2/points?year={year}"), &yaohai).await.expect(404, "not_found");
}

#[tokio::test]
async fn reversals_are_linked_and_the_chain_catches_tampering() {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    accepted_checkin(&app, &staff, station, 1).await;
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let admin = app.login("admin").await;
    let st = app.get("/api/v1/deputies/1/points", &admin).await;
    let entry = st.body["entries"][0]["id"].as_i64().unwrap();
    let rev = app.post(&format!("/api/v1/ledger/entries/{entry}/reverse"), &admin, json!({"reason": "重复登记"})).await;
    rev.expect(201, "");
    assert_eq!(rev.body["points"], -2);
    assert_eq!(rev.body["reverses"], entry);
    let after = app.get("/api/v1/deputies/1/points", &admin).await;
    assert_eq!(after.body["entries"][0]["reversed_by"], rev.body["id"]);
    assert_eq!(after.body["total"], 0);
    // Reversing a reversal, reversing twice, a missing entry.
    app.post(&format!("/api/v1/ledger/entries/{}/reverse", rev.body["id"]), &admin, json!({"reason": "x"}))
        .await
        .expect(422, "validation_failed");
    app.post(&format!("/api/v1/ledger/entries/{entry}/reverse"), &admin, json!({"reason": "x"}))
        .await
        .expect(409, "already_reversed");
    // A missing entry and one out of scope answer alike.
    let missing = app.post("/api/v1/ledger/entries/999999/reverse", &admin, json!({"reason": "x"})).await;
    missing.expect(404, "not_found");
    let outside = app
        .post(&format!("/api/v1/ledger/entries/{entry}/reverse"), &app.login("yaohai").await, json!({"reason": "x"}))
        .await;
    outside.expect(404, "not_found");
    assert_eq!(missing.body, outside.body);
    app.post(&format!("/api/v1/ledger/entries/{entry}/reverse"), &staff, json!({"reason": "x"}))
        .await
        .expect(403, "forbidden");
    let v = app.get("/api/v1/ledger/verify", &admin).await;
    v.expect(200, "");
    assert_eq!(v.body["ok"], true);
    assert_eq!(v.body["entries_checked"], 2);
    // The database refuses edits; a forged row inserted past the chain is caught by verify.
    assert!(app.raw_sql("UPDATE ledger_entries SET points = 50").unwrap_err().contains("append-only"));
    assert!(app.raw_sql("DELETE FROM ledger_entries").unwrap_err().contains("append-only"));
    let forged = "INSERT INTO ledger_entries (deputy_id, rule_id, rule_code, category, year, points, requested_points, occurred_at, recorded_at, source_kind, source_id, actor, prev_hash, hash) \
                  SELECT deputy_id, rule_id, rule_code, category, year, 30, 30, occurred_at, recorded_at, 'manual', 'forged', actor, hash, 'deadbeef' FROM ledger_entries WHERE id = 1";
    app.raw_sql(forged).unwrap();
    let v = app.get("/api/v1/ledger/verify", &admin).await;
    assert_eq!(v.body["ok"], false);
    assert_eq!(v.body["first_broken_entry"], 3);
}

#[tokio::test]
async fn the_rulebook_is_published() {
    let app = spawn_demo().await;
    let deputy = app.login("13955110000").await;
    let r = app.get("/api/v1/point-rules", &deputy).await;
    r.expect(200, "");
    let rules = r.body.as_array().unwrap();
    let reception = rules.iter().find(|x| x["code"] == "station_reception").unwrap();
    assert_eq!(
        (reception["points"].as_i64(), reception["yearly_cap"].as_i64(), reception["version"].as_i64()),
        (Some(2), Some(20), Some(1))
    );
    assert!(rules.iter().any(|x| x["code"] == "meeting_absent" && x["points"] == -10));
}

#[tokio::test]
async fn manual_awards_need_a_second_person() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let p = app
        .post(
            "/api/v1/ledger/proposals",
            &admin,
            json!({"deputy_id": 1, "rule_code": "manual_bonus", "points": 5, "reason": "抗洪抢险表现突出"}),
        )
        .await;
    p.expect(201, "");
    let id = p.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/ledger/proposals/{id}/decide"), &admin, json!({"approve": true}))
        .await
        .expect(403, "maker_checker");
    let root = app.root_token().await;
    app.post(&format!("/api/v1/ledger/proposals/{id}/decide"), &root, json!({"approve": false}))
        .await
        .expect(422, "validation_failed");
    let ok = app
        .post(&format!("/api/v1/ledger/proposals/{id}/decide"), &root, json!({"approve": true, "note": "同意"}))
        .await;
    ok.expect(200, "");
    assert_eq!(ok.body["status"], "approved");
    let entry = ok.body["entry_id"].as_i64().unwrap();
    app.post(&format!("/api/v1/ledger/proposals/{id}/decide"), &root, json!({"approve": true}))
        .await
        .expect(409, "already_decided");
    let st = app.get("/api/v1/deputies/1/points", &admin).await;
    let e = st.body["entries"].as_array().unwrap().iter().find(|e| e["id"] == entry).unwrap().clone();
    assert_eq!(
        (e["points"].as_i64(), e["source_kind"].as_str(), e["reason"].as_str()),
        (Some(5), Some("manual"), Some("抗洪抢险表现突出"))
    );
    // Bad proposals.
    app.post(
        "/api/v1/ledger/proposals",
        &admin,
        json!({"deputy_id": 1, "rule_code": "manual_bonus", "points": 0, "reason": ""}),
    )
    .await
    .expect(422, "validation_failed");
    app.post(
        "/api/v1/ledger/proposals",
        &admin,
        json!({"deputy_id": 1, "rule_code": "suggestion_filed", "points": 3, "reason": "x"}),
    )
    .await
    .expect(422, "validation_failed");
    let yaohai = app.login("yaohai").await;
    app.post(
        "/api/v1/ledger/proposals",
        &yaohai,
        json!({"deputy_id": 2, "rule_code": "manual_bonus", "points": 3, "reason": "x"}),
    )
    .await
    .expect(404, "not_found");
}

#[tokio::test]
async fn direct_awards_are_idempotent_by_source_even_when_racing() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let body = json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "S-2026-001"});
    let first = app.post("/api/v1/ledger/awards", &admin, body.clone()).await;
    first.expect(201, "");
    let again = app.post("/api/v1/ledger/awards", &admin, body.clone()).await;
    again.expect(200, "");
    assert_eq!(again.body["id"], first.body["id"]);
    // Fifty concurrent awards for one source: exactly one entry.
    let race = json!({"deputy_id": 3, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "S-2026-002"});
    let answers =
        futures_util::future::join_all((0..50).map(|_| app.post("/api/v1/ledger/awards", &admin, race.clone()))).await;
    assert!(
        answers.iter().all(|a| a.status == 200 || a.status == 201),
        "{:?}",
        answers.iter().map(|a| a.text.clone()).collect::<Vec<_>>()
    );
    assert_eq!(answers.iter().filter(|a| a.status == 201).count(), 1);
    // Repeats answered within the bulk that created the entry carry its id too.
    let created = answers.iter().find(|a| a.status == 201).map(|a| a.body["id"].clone()).unwrap();
    assert!(created.as_i64().is_some_and(|id| id > 0), "{created}");
    assert!(
        answers.iter().all(|a| a.body["id"] == created),
        "{:?}",
        answers.iter().map(|a| a.body["id"].clone()).collect::<Vec<_>>()
    );
    let st = app.get("/api/v1/deputies/3/points", &admin).await;
    assert_eq!(st.body["entries"].as_array().unwrap().iter().filter(|e| e["source_id"] == "S-2026-002").count(), 1);
    // Twenty concurrent awards racing a yearly cap of 10 (2 points each): the cap holds.
    let answers = futures_util::future::join_all((0..20).map(|i| {
        app.post(
            "/api/v1/ledger/awards",
            &admin,
            json!({"deputy_id": 4, "rule_code": "training_attended", "source_kind": "training", "source_id": format!("T-{i}")}),
        )
    }))
    .await;
    assert!(
        answers.iter().all(|a| a.status == 201),
        "{:?}",
        answers.iter().map(|a| a.text.clone()).collect::<Vec<_>>()
    );
    let st = app.get("/api/v1/deputies/4/points", &admin).await;
    assert_eq!(st.body["total"], 10);
    assert_eq!(st.body["entries"].as_array().unwrap().len(), 20);
    let v = app.get("/api/v1/ledger/verify", &admin).await;
    assert_eq!(v.body["ok"], true, "{}", v.text);
    // Bad awards.
    app.post(
        "/api/v1/ledger/awards",
        &admin,
        json!({"deputy_id": 1, "rule_code": "manual_bonus", "source_kind": "x", "source_id": "1"}),
    )
    .await
    .expect(422, "validation_failed");
    app.post(
        "/api/v1/ledger/awards",
        &admin,
        json!({"deputy_id": 1, "rule_code": "nope", "source_kind": "x", "source_id": "1"}),
    )
    .await
    .expect(422, "validation_failed");
    app.post(
        "/api/v1/ledger/awards",
        &admin,
        json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "checkin", "source_id": "1"}),
    )
    .await
    .expect(422, "validation_failed");
    app.post(
        "/api/v1/ledger/awards",
        &admin,
        json!({"deputy_id": 999_999, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "9"}),
    )
    .await
    .expect(404, "not_found");
    let yaohai = app.login("yaohai").await;
    app.post(
        "/api/v1/ledger/awards",
        &yaohai,
        json!({"deputy_id": 2, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "9"}),
    )
    .await
    .expect(404, "not_found");
    let deputy = app.login("13955110000").await;
    app.post("/api/v1/ledger/awards", &deputy, body).await.expect(403, "forbidden");
}

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

#[tokio::test]
async fn appeals_are_threaded_and_resolved_by_a_reversal_a_new_entry_or_a_reasoned_rejection() {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    accepted_checkin(&app, &staff, station, 1).await;
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let deputy = app.login("13955110000").await;
    let admin = app.login("admin").await;
    let st = app.get("/api/v1/me/points", &deputy).await;
    let entry = st.body["entries"].as_array().unwrap().iter().rev().find(|e| e["source_kind"] == "checkin").unwrap()
        ["id"]
        .as_i64()
        .unwrap();
    // A dispute: the reception was registered twice.
    let a = app
        .post(
            "/api/v1/me/appeals",
            &deputy,
            json!({"kind": "dispute", "entry_id": entry, "description": "同一次接待登记了两次"}),
        )
        .await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "open");
    let id = a.body["id"].as_i64().unwrap();
    app.post("/api/v1/me/appeals", &deputy, json!({"kind": "dispute", "entry_id": entry, "description": "again"}))
        .await
        .expect(409, "appeal_open");
    // Bad appeals.
    let other = app.get("/api/v1/deputies/2/points", &admin).await;
    let foreign =
        other.body["entries"].as_array().unwrap().first().map(|e| e["id"].as_i64().unwrap()).unwrap_or(999_999);
    let bad = app
        .post("/api/v1/me/appeals", &deputy, json!({"kind": "dispute", "entry_id": foreign, "description": "x"}))
        .await;
    bad.expect(422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["code"], "unknown_entry");
    app.post("/api/v1/me/appeals", &deputy, json!({"kind": "missing", "description": "x"}))
        .await
        .expect(422, "validation_failed");
    app.post("/api/v1/me/appeals", &deputy, json!({"kind": "other", "description": "x"}))
        .await
        .expect(422, "validation_failed");
    app.post("/api/v1/me/appeals", &admin, json!({"kind": "missing", "description": "x", "occurred_on": "2026-05-01"}))
        .await
        .expect(403, "forbidden");
    // The thread: the deputy and staff in scope talk; others see nothing.
    app.post(&format!("/api/v1/appeals/{id}/messages"), &deputy, json!({"body": "签到表上有两次记录"}))
        .await
        .expect(201, "");
    let t = app.post(&format!("/api/v1/appeals/{id}/messages"), &admin, json!({"body": "已核实，将冲正一条"})).await;
    t.expect(201, "");
    assert_eq!(t.body["messages"].as_array().unwrap().len(), 2);
    app.get(&format!("/api/v1/appeals/{id}"), &app.login("yaohai").await).await.expect(404, "not_found");
    app.get(&format!("/api/v1/appeals/{id}"), &staff).await.expect(403, "forbidden");
    let queue = app.get("/api/v1/appeals?status=open", &admin).await;
    assert!(queue.body["items"].as_array().unwrap().iter().any(|x| x["id"] == id));
    // Resolved by a reversal of the disputed entry.
    app.post(&format!("/api/v1/appeals/{id}/resolve"), &admin, json!({"action": "reverse", "note": ""}))
        .await
        .expect(422, "validation_failed");
    let r = app
        .post(&format!("/api/v1/appeals/{id}/resolve"), &admin, json!({"action": "reverse", "note": "重复登记，冲正"}))
        .await;
    r.expect(200, "");
    assert_eq!((r.body["status"].as_str(), r.body["resolution"].as_str()), (Some("resolved"), Some("reversal")));
    let reversal = r.body["result_entry_id"].as_i64().unwrap();
    let st = app.get("/api/v1/me/points", &deputy).await;
    let rev = st.body["entries"].as_array().unwrap().iter().find(|e| e["id"] == reversal).unwrap().clone();
    assert_eq!((rev["reverses"].as_i64(), rev["points"].as_i64()), (Some(entry), Some(-2)));
    app.post(&format!("/api/v1/appeals/{id}/resolve"), &admin, json!({"action": "reject", "note": "x"}))
        .await
        .expect(409, "appeal_closed");
    app.post(&format!("/api/v1/appeals/{id}/messages"), &deputy, json!({"body": "谢谢"}))
        .await
        .expect(409, "appeal_closed");
    // A missing activity, counted with a new entry.
    // Dates from the app's clock: this year's May 12th and June 1st.
    let year = app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y").to_string();
    let m = app
        .post(
            "/api/v1/me/appeals",
            &deputy,
            json!({"kind": "missing", "occurred_on": format!("{year}-05-12"), "description": "5月12日小组活动未计分"}),
        )
        .await;
    m.expect(201, "");
    let mid = m.body["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/appeals/{mid}/resolve"),
            &admin,
            json!({"action": "award", "note": "补记", "rule_code": "group_activity_attended"}),
        )
        .await;
    r.expect(200, "");
    assert_eq!(r.body["resolution"], "new_entry");
    let st = app.get(&format!("/api/v1/me/points?year={year}"), &deputy).await;
    let new =
        st.body["entries"].as_array().unwrap().iter().find(|e| e["id"] == r.body["result_entry_id"]).unwrap().clone();
    assert_eq!(
        (new["source_kind"].as_str(), new["points"].as_i64(), new["rule_code"].as_str()),
        (Some("appeal"), Some(2), Some("group_activity_attended"))
    );
    // And a reasoned rejection.
    let n = app
        .post(
            "/api/v1/me/appeals",
            &deputy,
            json!({"kind": "missing", "occurred_on": format!("{year}-06-01"), "description": "视察未计分"}),
        )
        .await;
    let nid = n.body["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/appeals/{nid}/resolve"),
            &admin,
            json!({"action": "reject", "note": "当日无视察活动记录"}),
        )
        .await;
    assert_eq!(
        (r.body["status"].as_str(), r.body["resolution_note"].as_str()),
        (Some("rejected"), Some("当日无视察活动记录"))
    );
    let mine = app.get("/api/v1/me/appeals", &deputy).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_burst_of_point_events_is_consumed_in_one_round() {
    let app = spawn_demo().await;
    let entries = || {
        app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM ledger_entries WHERE source_kind = 'checkin'")[0]
            .clone()
            .unwrap()
    };
    let pending = || {
        app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM point_events WHERE consumed_at IS NULL")[0]
            .clone()
            .unwrap()
    };
    let before: i64 = entries().parse().unwrap();
    // More than two batches of point events, as a 9:00 burst of check-ins leaves them.
    let now = app.state.now();
    lvzhi::db::tx(&app.state.db, move |c| {
        for i in 0..1234i64 {
            lvzhi::ledger::note(
                c,
                lvzhi::ledger::PointEvent {
                    deputy: 1 + i % 10,
                    kind: "station_reception",
                    source: ("checkin", 900_000 + i),
                    at: now,
                },
                now,
            )?;
        }
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(pending(), "1234");
    let consumed = lvzhi::ledger::consume_pending_point_events(&app.state).await.unwrap();
    assert!(consumed <= 1234, "{consumed}");
    assert_eq!(pending(), "0");
    assert_eq!(entries().parse::<i64>().unwrap() - before, 1234);
}
