use crate::helpers::*;
use lvzhi::config::Rankings;
use serde_json::{json, Value};

async fn ranking(app: &TestApp, base: &str, token: &str, query: &str) -> Value {
    let limit = if query.contains("limit=") { "" } else { "limit=50&" };
    let r = app.send(app.client.get(format!("{base}/api/v1/rankings?{limit}{query}")).bearer_auth(token)).await;
    r.expect(200, "");
    r.body
}

/// The same question to the leaderboard server and to its SQL twins (kept tables, a count of the
/// scope): the same answer from each.
async fn same(app: &TestApp, sql: &[String; 2], token: &str, query: &str) -> Value {
    let mut a = ranking(app, &app.base, token, query).await;
    assert_eq!(a["source"], "sorted_sets", "{query}");
    a["source"] = Value::Null;
    for (base, source) in sql.iter().zip(["sql", "sql_scan"]) {
        let mut b = ranking(app, base, token, query).await;
        assert_eq!(b["source"], source, "{query}");
        b["source"] = Value::Null;
        assert_eq!(a, b, "{source}: {query}");
    }
    a
}

#[tokio::test]
async fn leaderboards_rank_exactly_like_sql_and_follow_awards_and_seat_changes() {
    let app = spawn_demo_with(&[("LVZHI_RANKINGS", "sorted_sets")]).await;
    let sql = [app.twin(|s| s.rankings = Rankings::Sql), app.twin(|s| s.rankings = Rankings::SqlScan)];
    let root = app.root_token().await;
    let deputy = app.login("13955110000").await;
    // Totals with ties: 3, 6, 9, 12, 3, 6 … and one deduction.
    for d in 1..=16i64 {
        for k in 0..(d % 4 + 1) {
            let body = json!({"deputy_id": d, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": format!("S{d}-{k}")});
            app.post("/api/v1/ledger/awards", &root, body).await.expect(201, "");
        }
    }
    app.post(
        "/api/v1/ledger/awards",
        &root,
        json!({"deputy_id": 5, "rule_code": "meeting_absent", "source_kind": "meeting_roll", "source_id": "M1"}),
    )
    .await
    .expect(201, "");
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    lvzhi::ledger::rebuild_board(&app.state, year).await.unwrap();
    // Kept tables: built from the totals, then kept by the same outbox as the boards.
    assert_eq!(lvzhi::ledger::build_rank_tables(&app.state, year).await.unwrap(), 16);
    app.settle_rankings().await;
    let d1 = app.get("/api/v1/deputies/1", &root).await;
    let seat = d1.body["seats"][0].clone();
    let (county, level) = (seat["region_id"].as_i64().unwrap(), seat["level"].as_str().unwrap().to_string());
    let scopes = [
        String::new(),
        format!("region_id={county}"),
        format!("level={level}"),
        format!("region_id={county}&level={level}"),
    ];
    for q in &scopes {
        for token in [&root, &deputy] {
            same(&app, &sql, token, &format!("year={year}&{q}")).await;
        }
    }
    let all = same(&app, &sql, &deputy, &format!("year={year}")).await;
    assert_eq!(all["deputies_ranked"], 16);
    let top = all["top"].as_array().unwrap();
    assert_eq!((top[0]["points"].as_i64(), top[0]["rank"].as_i64()), (Some(12), Some(1)));
    // Ties share a rank and list by deputy id.
    assert_eq!(top[1]["rank"], 1);
    assert!(top[0]["deputy_id"].as_i64() < top[1]["deputy_id"].as_i64());
    assert_eq!(all["me"]["points"], 6);
    // A short page ends inside a tie and still ranks itself as SQL does; my place is counted.
    for limit in [1, 2, 3, 5] {
        let page = same(&app, &sql, &deputy, &format!("year={year}&limit={limit}")).await;
        assert_eq!(page["top"].as_array().unwrap().len(), limit);
        assert_eq!((page["deputies_ranked"].as_i64(), &page["me"]), (Some(16), &all["me"]));
    }
    // A new award moves deputy 1 to the top once the outbox is applied.
    for k in 0..3 {
        let body = json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": format!("late-{k}")});
        app.post("/api/v1/ledger/awards", &root, body).await.expect(201, "");
    }
    app.settle_rankings().await;
    let all = same(&app, &sql, &deputy, &format!("year={year}")).await;
    assert_eq!((all["me"]["rank"].as_i64(), all["me"]["points"].as_i64()), (Some(1), Some(15)));
    // A seat change moves a deputy into a group's ranking.
    let group = app.get(&format!("/api/v1/groups?region_id={county}"), &root).await.body["items"][0].clone();
    let (gid, gterm) = (group["id"].as_i64().unwrap(), group["term"].as_i64().unwrap());
    let before = same(&app, &sql, &root, &format!("year={year}&group_id={gid}")).await;
    let mut moved = false;
    for mover in (1..=16i64).filter(|d| before["top"].as_array().unwrap().iter().all(|t| t["deputy_id"] != *d)) {
        let m = app.get(&format!("/api/v1/deputies/{mover}"), &root).await;
        let etag = m.headers.get("etag").unwrap().to_str().unwrap().to_string();
        let Some(s) = m.body["seats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["region_id"] == group["region_id"] && s["term"] == gterm)
            .cloned()
        else {
            continue;
        };
        let sid = s["id"].as_i64().unwrap();
        app.patch(&format!("/api/v1/deputies/{mover}/seats/{sid}"), &root, Some(&etag), json!({"group_id": gid}))
            .await
            .expect(200, "");
        moved = true;
        break;
    }
    assert!(moved, "a ranked deputy with a seat in the group's congress");
    app.settle_rankings().await;
    let after = same(&app, &sql, &root, &format!("year={year}&group_id={gid}")).await;
    assert_eq!(after["deputies_ranked"].as_i64().unwrap(), before["deputies_ranked"].as_i64().unwrap() + 1);
    // Bad scopes.
    app.get(&format!("/api/v1/rankings?group_id={gid}&level=city"), &root).await.expect(422, "validation_failed");
    app.get("/api/v1/rankings?level=galactic", &root).await.expect(422, "validation_failed");
    app.get("/api/v1/rankings?group_id=999999", &root).await.expect(404, "not_found");
}

#[tokio::test]
async fn sql_rankings_are_read_from_tables_built_at_start_up_and_repaired_by_a_rebuild() {
    use lvzhi::ledger::seeding as table_store;
    let app = spawn_demo_with(&[("LVZHI_RANKINGS", "sql")]).await;
    let root = app.root_token().await;
    for (d, n) in [(1i64, 2), (2, 1), (3, 3)] {
        for k in 0..n {
            let body = json!({"deputy_id": d, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": format!("T{d}-{k}")});
            app.post("/api/v1/ledger/awards", &root, body).await.expect(201, "");
        }
    }
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    // The server's worker builds this year's tables when it starts; until then SQL counts.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let r = loop {
        app.settle_rankings().await;
        let r = ranking(&app, &app.base, &root, &format!("year={year}")).await;
        if r["source"] == "sql" && r["deputies_ranked"] == 3 {
            break r;
        }
        assert!(std::time::Instant::now() < deadline, "tables not built: {r}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let top: Vec<(i64, i64)> = r["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["deputy_id"].as_i64().unwrap(), t["points"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, vec![(3, 9), (1, 6), (2, 3)]);
    let counts = |app: &TestApp| {
        let db = app.state.db.clone();
        async move { lvzhi::db::run(&db, move |c| table_store::counts(c, year, "all")).await.unwrap() }
    };
    let mut all = counts(&app).await;
    all.sort_unstable();
    assert_eq!(all, vec![(3, 1), (6, 1), (9, 1)]);
    // Rows lost behind the server's back: a rebuild brings back exactly what differs.
    let db = app.state.db.clone();
    lvzhi::db::tx(&db, move |c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("DELETE FROM ledger_rank_members WHERE deputy_id = 3").execute(c)?;
        diesel::sql_query("UPDATE ledger_rank_counts SET n = n - 1 WHERE points = 9").execute(c)?;
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(ranking(&app, &app.base, &root, &format!("year={year}")).await["deputies_ranked"], 2);
    assert_eq!(lvzhi::ledger::build_rank_tables(&app.state, year).await.unwrap(), 3);
    let again = ranking(&app, &app.base, &root, &format!("year={year}")).await;
    assert_eq!((&again["top"], &again["deputies_ranked"]), (&r["top"], &r["deputies_ranked"]));
    let mut all = counts(&app).await;
    all.sort_unstable();
    assert_eq!(all, vec![(3, 1), (6, 1), (9, 1)]);
}

#[tokio::test]
async fn a_published_quarter_stays_fixed_and_the_daily_head_digest_catches_rewritten_chains() {
    let app = spawn_demo().await;
    let root = app.root_token().await;
    let admin = app.login("admin").await;
    for (d, n) in [(1, 3), (2, 1), (3, 2), (4, 2)] {
        for k in 0..n {
            let body = json!({"deputy_id": d, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": format!("Q{d}-{k}")});
            app.post("/api/v1/ledger/awards", &root, body).await.expect(201, "");
        }
    }
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    let s = app.post("/api/v1/rankings/snapshots", &admin, json!({"year": year, "quarter": 1})).await;
    s.expect(201, "");
    assert_eq!(s.body["deputies"], 4);
    let id = s.body["id"].as_i64().unwrap();
    app.post("/api/v1/rankings/snapshots", &admin, json!({"year": year, "quarter": 1}))
        .await
        .expect(409, "already_published");
    app.post("/api/v1/rankings/snapshots", &admin, json!({"year": year, "quarter": 5}))
        .await
        .expect(422, "validation_failed");
    app.post("/api/v1/rankings/snapshots", &app.login("13955110000").await, json!({"year": year, "quarter": 2}))
        .await
        .expect(403, "forbidden");
    let path = format!("/api/v1/rankings/snapshots/{id}");
    let before = app.get(&path, &admin).await.body["items"].clone();
    let ranks: Vec<(i64, i64)> = before
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["deputy_id"].as_i64().unwrap(), r["rank"].as_i64().unwrap()))
        .collect();
    assert_eq!(ranks, vec![(1, 1), (3, 2), (4, 2), (2, 4)]);
    // Later awards do not move a published quarter; the database refuses edits.
    app.post(
        "/api/v1/ledger/awards",
        &root,
        json!({"deputy_id": 2, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "late"}),
    )
    .await
    .expect(201, "");
    assert_eq!(app.get(&path, &admin).await.body["items"], before);
    assert!(app.raw_sql(&format!("UPDATE ranking_snapshot_rows SET points = 99 WHERE snapshot_id = {id}")).is_err());
    assert!(app.raw_sql(&format!("DELETE FROM ranking_snapshots WHERE id = {id}")).is_err());
    let list = app.get(&format!("/api/v1/rankings/snapshots?year={year}"), &app.login("13955110000").await).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    // The chain heads are published once a day; a rewrite of a chain no longer yields the digest.
    let first = lvzhi::ledger::publish_heads(&app.state).await.unwrap().expect("published");
    assert_eq!(first.heads, 4);
    assert!(lvzhi::ledger::publish_heads(&app.state).await.unwrap().is_none(), "once a day");
    let h = app.get("/api/v1/ledger/heads", &admin).await;
    assert_eq!(
        (h.body[0]["digest"].as_str(), h.body[0]["still_matches"].as_bool()),
        (Some(first.digest.as_str()), Some(true))
    );
    let drop = if app.state.settings.database_url.is_postgres() {
        "DROP TRIGGER ledger_entries_append_only ON ledger_entries"
    } else {
        "DROP TRIGGER ledger_entries_no_update"
    };
    app.raw_sql(drop).unwrap();
    app.raw_sql(&format!("UPDATE ledger_entries SET hash = 'e{}' WHERE id = {}", "0".repeat(63), first.entries_upto))
        .unwrap();
    let h = app.get("/api/v1/ledger/heads", &admin).await;
    assert_eq!(h.body[0]["still_matches"], false);
}
