//! `lvzhi seed-scale`: a congress of the asked size and realistic shape — a station per 25
//! deputies, a check-in per reception day so far, the year's ledger through the real posting
//! path (chains verify, balances match), notices reaching every deputy — and only once.

use crate::helpers::*;

#[tokio::test]
async fn seed_scale_builds_a_consistent_year_of_duty_once() {
    let app = spawn_app().await;
    let s = lvzhi::demo::seed_scale(&app.state, 260, 2).await.unwrap();
    assert_eq!((s.deputies, s.stations, s.notices, s.inbox_rows), (260, 11, 2, 520));
    // Every deputy checked in on each month's reception day so far (at least January's).
    assert!(s.checkins >= 260 && s.checkins % 260 == 0, "{s:?}");
    let count = |sql: &str| app.raw_strings(sql)[0].clone().unwrap();
    assert_eq!(count("SELECT CAST(count(*) AS TEXT) AS v FROM checkins"), s.checkins.to_string());
    assert_eq!(
        count("SELECT CAST(count(*) AS TEXT) AS v FROM checkins WHERE latitude IS NOT NULL OR position_enc IS NULL"),
        "0"
    );
    assert_eq!(count("SELECT CAST(count(DISTINCT station_id) AS TEXT) AS v FROM checkins"), "11");
    assert_eq!(count("SELECT CAST(count(*) AS TEXT) AS v FROM ledger_entries"), s.entries.to_string());
    assert!(s.entries > s.checkins, "{s:?}");
    let root = app.root_token().await;
    let v = app.get("/api/v1/ledger/verify", &root).await;
    assert_eq!(v.expect(200, "").body["ok"], true, "{}", v.text);
    assert_eq!(v.body["deputies_checked"], 260);
    // Balances equal the entries.
    let diffs = lvzhi::db::tx(&app.state.db, |c| lvzhi::ledger::rebuild_balances(c, false)).await.unwrap();
    assert!(diffs.is_empty(), "{diffs:?}");
    // A deputy's points explain the reception days line by line.
    let id: i64 = count("SELECT CAST(min(id) AS TEXT) AS v FROM deputies").parse().unwrap();
    let points = app.get(&format!("/api/v1/deputies/{id}/points"), &root).await;
    let entries = points.expect(200, "").body["entries"].as_array().unwrap().clone();
    assert!(entries.iter().any(|e| e["rule_code"] == "station_reception"), "{}", points.text);
    // Once only.
    let again = lvzhi::demo::seed_scale(&app.state, 10, 0).await.unwrap_err();
    assert_eq!(again.code, lvzhi::error::Code::AlreadyExists);
}
