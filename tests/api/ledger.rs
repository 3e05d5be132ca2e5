use crate::helpers::*;
use serde_json::json;

pub async fn accepted_checkin(app: &TestApp, staff: &str, station: i64, deputy: i64) -> i64 {
    let a = app.post("/api/v1/checkins", staff, json!({"station_id": station, "deputy_id": deputy})).await;
    a.expect(201, "");
    let id = a.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/checkins/{id}/checkout"), staff, json!({})).await.expect(200, "");
    id
}

#[tokio::test]
pub async fn checkins_become_explained_capped_points_and_rankings() {
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
pub async fn reversals_are_linked_and_the_chain_catches_tampering() {
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
pub async fn the_rulebook_is_published() {
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
pub async fn manual_awards_need_a_second_person() {
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
pub async fn direct_awards_are_idempotent_by_source_even_when_racing() {
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
