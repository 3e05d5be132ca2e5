//! 述职评议's deadline: in the year by which the congress requires a report (its evaluation
//! settings), every deputy in office there with no report scheduled hears of it once; the plan
//! lists as overdue whoever has not reported once that year is over.

use crate::helpers::*;
use crate::reception::app_with_sms;
use serde_json::json;

async fn due_by(app: &TestApp, admin: &str, city: i64, year: i32) {
    let settings = json!({"min_group_activities": 0, "min_suggestions": 0, "excellent_quota_pct": 10, "bottom_n": 1,
        "excluded_deputy_ids": [], "duty_report_due_year": year});
    let put =
        app.req(reqwest::Method::PUT, &format!("/api/v1/evaluation-settings/{city}"), Some(admin)).json(&settings);
    app.send(put).await.expect(200, "");
}

#[tokio::test]
pub async fn the_due_year_tells_the_unscheduled_once_and_makes_the_unreported_overdue() {
    let (app, _g) = app_with_sms().await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let d = app.get("/api/v1/deputies/1", &admin).await;
    let (term, city) =
        (d.body["seats"][0]["term"].as_i64().unwrap(), d.body["seats"][0]["region_id"].as_i64().unwrap());
    let year: i32 = app.today()[..4].parse().unwrap();
    // Deputy 1 has a report scheduled; the others of the city have none.
    let at = (app.clock.now() + chrono::Duration::days(3)).to_rfc3339();
    let item = json!({"items": [{"deputy_id": 1, "term": term, "at": at, "station_id": 1}]});
    app.post("/api/v1/duty-reports/schedule", &admin, item).await.expect(200, "");
    // Nobody is due this year yet: nothing is sent.
    assert_eq!(lvzhi::reports::nudge_due_year_reports(&app.state).await.unwrap(), 0);
    // The installation and the city both require it this year: each deputy is told once.
    let root = app.root_token().await;
    due_by(&app, &root, 0, year).await;
    due_by(&app, &admin, city, year).await;
    let told = lvzhi::reports::nudge_due_year_reports(&app.state).await.unwrap();
    let rows =
        app.raw_strings(&format!("SELECT CAST(deputy_id AS TEXT) AS v FROM duty_report_nudges WHERE year = {year}"));
    assert_eq!(rows.len(), told);
    assert!(told > 10, "the demo city's unscheduled deputies: {told}");
    assert!(!rows.contains(&Some("1".to_string())), "deputy 1 is scheduled");
    let other = rows[0].clone().unwrap();
    let noticed = app.raw_strings(&format!(
        "SELECT n.title AS v FROM notices n JOIN inbox r ON r.notice_id = n.id WHERE r.deputy_id = {other} AND n.title = '述职评议提醒'"
    ));
    assert_eq!(noticed.len(), 1);
    // Once a year: the next round sends nothing.
    assert_eq!(lvzhi::reports::nudge_due_year_reports(&app.state).await.unwrap(), 0);
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    assert!(!inbox.text.contains("述职尚未安排"), "the scheduled deputy is not told");
    // Scheduled in the future is not overdue this year; once the due year is past, it is.
    let plan = format!("/api/v1/duty-reports/plan?region_id={city}&term={term}&filter=overdue");
    let overdue = app.get(&plan, &admin).await.expect(200, "").body.as_array().unwrap().clone();
    assert!(!overdue.iter().any(|l| l["deputy_id"] == 1));
    due_by(&app, &admin, city, year - 1).await;
    let overdue = app.get(&plan, &admin).await.expect(200, "").body.as_array().unwrap().clone();
    assert!(overdue.iter().any(|l| l["deputy_id"] == 1));
    assert!(overdue.iter().all(|l| l["reported"] == false));
}
