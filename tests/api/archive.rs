use crate::helpers::*;
use serde_json::json;

/// `lvzhi verify-ledger --archive FILE` against the test app's database and keys.
fn verify_archive(app: &TestApp, file: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .args(["verify-ledger", "--archive"])
        .arg(file)
        .env("DATABASE_URL", lvzhi::db::connection_string(&app.state.settings.database_url))
        .env("LVZHI_DATA_DIR", &app.state.settings.data_dir)
        .env_remove("REDIS_URL")
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_duty_archive_tells_the_year_and_its_signed_export_verifies_until_the_ledger_is_rewritten() {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let c = app.post("/api/v1/checkins", &staff, json!({"station_id": station, "deputy_id": 1})).await;
    c.expect(201, "");
    let cid = c.body["id"].as_i64().unwrap();
    app.clock.advance(chrono::Duration::minutes(90));
    let staff = app.login("staff1").await;
    app.post(&format!("/api/v1/checkins/{cid}/checkout"), &staff, json!({})).await.expect(200, "");
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let root = app.root_token().await;
    app.post(
        "/api/v1/ledger/awards",
        &root,
        json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "S-9"}),
    )
    .await
    .expect(201, "");
    let deputy = app.login("13955110000").await;
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    app.post(
        "/api/v1/me/appeals",
        &deputy,
        json!({"kind": "missing", "occurred_on": format!("{year}-03-01"), "description": "三月小组活动未计"}),
    )
    .await
    .expect(201, "");
    let a = app.get(&format!("/api/v1/me/archive?year={year}"), &deputy).await;
    a.expect(200, "");
    assert_eq!(
        (a.body["duty"]["receptions"].as_i64(), a.body["duty"]["reception_hours"].as_f64()),
        (Some(1), Some(1.5))
    );
    assert_eq!(a.body["suggestions"], 1);
    assert_eq!(a.body["points_total"], 5, "2 for the reception, 3 for the suggestion");
    assert_eq!(a.body["appeals"][0]["kind"], "missing");
    assert!(a.body["chain_head"]["hash"].as_str().unwrap().len() == 64);
    // CSV for printing: a BOM, a header, one row per entry and the total.
    let csv = app
        .send(app.req(reqwest::Method::GET, &format!("/api/v1/me/archive?year={year}&format=csv"), Some(&deputy)))
        .await;
    assert_eq!(csv.headers.get("content-type").unwrap(), "text/csv; charset=utf-8");
    assert!(csv.text.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("entry_id,occurred_at,rule_code"));
    assert_eq!(lines.len(), 1 + 2 + 1);
    assert!(lines[3].contains("total,,5"), "{}", lines[3]);
    // Who may read it.
    app.get(&format!("/api/v1/deputies/1/archive?year={year}"), &app.login("admin").await).await.expect(200, "");
    app.get(&format!("/api/v1/deputies/1/archive?year={year}"), &app.login("yaohai").await)
        .await
        .expect(404, "not_found");
    app.get("/api/v1/me/archive?format=pdf", &deputy).await.expect(422, "validation_failed");
    // The signed export verifies against the ledger …
    let signed = app.get(&format!("/api/v1/deputies/1/archive/signed?year={year}"), &deputy).await;
    signed.expect(200, "");
    assert_eq!(signed.body["signature"]["alg"], "EdDSA");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive.json");
    std::fs::write(&file, &signed.text).unwrap();
    let out = verify_archive(&app, &file);
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("verified"));
    // … is refused when edited (a point added by hand) …
    let mut edited = signed.body.clone();
    edited["archive"]["points_total"] = json!(6);
    let forged = dir.path().join("forged.json");
    std::fs::write(&forged, edited.to_string()).unwrap();
    let out = verify_archive(&app, &forged);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signature does not match"));
    // … and when the ledger behind it is rewritten (the triggers dropped, an entry's hash replaced).
    let head = signed.body["archive"]["chain_head"]["entry_id"].as_i64().unwrap();
    let drop = if app.state.settings.database_url.is_postgres() {
        "DROP TRIGGER ledger_entries_append_only ON ledger_entries"
    } else {
        "DROP TRIGGER ledger_entries_no_update"
    };
    app.raw_sql(drop).unwrap();
    app.raw_sql(&format!("UPDATE ledger_entries SET hash = 'f{}' WHERE id = {head}", "0".repeat(63))).unwrap();
    let out = verify_archive(&app, &file);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rewritten"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn archive_csv_cells_never_run_as_formulas() {
    let app = spawn_demo().await;
    let root = app.root_token().await;
    let reason = "=HYPERLINK(\"http://evil.example\",\"点我\")";
    let award = json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": "@S-10", "reason": reason});
    app.post("/api/v1/ledger/awards", &root, award).await.expect(201, "");
    let year = chrono::Datelike::year(&app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai));
    let deputy = app.login("13955110000").await;
    let csv = app
        .send(app.req(reqwest::Method::GET, &format!("/api/v1/me/archive?year={year}&format=csv"), Some(&deputy)))
        .await;
    assert_eq!(csv.status, 200);
    let mut rows = csv::Reader::from_reader(csv.text.trim_start_matches('\u{feff}').as_bytes());
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.get(8) == Some("'@S-10"))
        .expect("the award's row, its source defused");
    assert_eq!(row.get(9), Some(format!("'{reason}").as_str()));
    // Numbers stay numbers.
    assert_eq!(row.get(4), Some("3"));
}
