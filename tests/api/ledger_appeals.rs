//! Appeals, and the consumer of point events under a burst.

use super::ledger::*;
use crate::helpers::*;
use serde_json::json;

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
