//! Directory administration: station staff, groups, units and stations, the audit log, accounts,\nand the audit retention.

use super::directory::*;
use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn station_staff_edit_only_their_station() {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let me = app.get("/api/v1/auth/me", &staff).await;
    let own = me.body["station_ids"][0].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/stations/{own}"), &staff).await;
    s.expect(200, "");
    let upd = app
        .patch(
            &format!("/api/v1/stations/{own}"),
            &staff,
            Some(&s.etag()),
            json!({"opening_hours": "每周三 9:00-11:30"}),
        )
        .await;
    upd.expect(200, "");
    assert_eq!(upd.body["opening_hours"], "每周三 9:00-11:30");
    app.patch(&format!("/api/v1/stations/{}", own + 1), &staff, Some("*"), json!({"name": "x"}))
        .await
        .expect(404, "not_found");
    app.post(
        "/api/v1/stations",
        &staff,
        json!({"region_id": 1, "kind": "point", "name": "x", "address": "y", "latitude": 31.8, "longitude": 117.2}),
    )
    .await
    .expect(403, "forbidden");
    app.get("/api/v1/audit", &staff).await.expect(403, "forbidden");
    app.get("/api/v1/accounts", &staff).await.expect(403, "forbidden");
    let bad = app
        .patch(&format!("/api/v1/stations/{own}"), &staff, Some(&upd.etag()), json!({"latitude": 123.0, "radius_m": 1}))
        .await;
    bad.expect(422, "validation_failed");
    assert_eq!(bad.body["errors"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn groups_units_and_stations_crud() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let city = app.region_id(&admin, "340100").await;
    let g = app.post("/api/v1/groups", &admin, json!({"region_id": city, "name": "第十五代表小组", "term": 17})).await;
    g.expect(201, "");
    let gid = g.body["id"].as_i64().unwrap();
    let g2 = app.patch(&format!("/api/v1/groups/{gid}"), &admin, Some(&g.etag()), json!({"name": "第十五组"})).await;
    g2.expect(200, "");
    assert_eq!(app.delete(&format!("/api/v1/groups/{gid}"), &admin).await.status, 204);
    app.get(&format!("/api/v1/groups/{gid}"), &admin).await.expect(404, "not_found");
    // A group with members cannot be deleted.
    let used = first(&app, &admin, "/api/v1/groups", |_| true).await["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/groups/{used}"), &admin).await.expect(409, "referenced_record");
    let u = app
        .post("/api/v1/units", &admin, json!({"region_id": city, "name": "合肥市教育局", "contact_name": "周老师"}))
        .await;
    u.expect(201, "");
    let uid = u.body["id"].as_i64().unwrap();
    app.patch(&format!("/api/v1/units/{uid}"), &admin, Some(&u.etag()), json!({"contact_phone": "0551-1234567"}))
        .await
        .expect(200, "");
    let s = app
        .post(
            "/api/v1/stations",
            &admin,
            json!({"region_id": city, "kind": "studio", "name": "新代表工作室", "address": "长江中路1号", "latitude": 31.86, "longitude": 117.28}),
        )
        .await;
    s.expect(201, "");
    assert_eq!(s.body["radius_m"], 150);
    assert!(s.body["public_code"].as_str().unwrap().starts_with('S'));
    let sid = s.body["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/stations/{sid}"), &admin).await.status, 204);
    app.post(
        "/api/v1/stations",
        &admin,
        json!({"region_id": city, "kind": "castle", "name": "x", "address": "y", "latitude": 31.8, "longitude": 117.2}),
    )
    .await
    .expect(422, "validation_failed");
}

#[tokio::test]
async fn audit_log_is_scoped_and_append_only() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let luyang = app.region_id(&admin, "340103").await;
    let yao = app.region_id(&admin, "340102").await;
    app.post("/api/v1/groups", &admin, json!({"region_id": luyang, "name": "审计测试组", "term": 18}))
        .await
        .expect(201, "");
    app.post("/api/v1/groups", &admin, json!({"region_id": yao, "name": "审计测试组", "term": 18}))
        .await
        .expect(201, "");
    let all = app.get("/api/v1/audit?action=group.create", &admin).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    let mine = app.get("/api/v1/audit?action=group.create", &yaohai).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    assert!(mine.body["items"][0]["client_ip"].as_str().unwrap().contains("127.0.0.1"));
    assert!(mine.body["items"][0]["request_id"].as_str().is_some());
    let deputy = app.login("13955110000").await;
    app.get("/api/v1/audit", &deputy).await.expect(403, "forbidden");
    // The database itself refuses to rewrite history.
    let upd = app.raw_sql("UPDATE audit_log SET outcome = 'forged'");
    assert!(upd.unwrap_err().contains("append-only"));
    let del = app.raw_sql("DELETE FROM audit_log");
    assert!(del.unwrap_err().contains("append-only"));
    assert_eq!(app.get("/api/v1/audit?action=group.create", &admin).await.body["items"].as_array().unwrap().len(), 2);
    let _ = Method::GET;
}

#[tokio::test]
async fn admins_create_accounts_inside_their_scope() {
    let app = spawn_demo().await;
    let yaohai = app.login("yaohai").await;
    let own = app.region_id(&yaohai, "340102").await;
    let staff = app
        .post(
            "/api/v1/accounts",
            &yaohai,
            json!({"username": "yh-admin2", "password": "long-enough-1", "role": "admin", "display_name": "second", "region_id": own}),
        )
        .await;
    staff.expect(201, "");
    app.login_raw("yh-admin2", "long-enough-1").await.expect(200, "");
    app.post("/api/v1/accounts", &yaohai, json!({"username": "x-admin", "password": "long-enough-1", "role": "admin", "display_name": "x", "region_id": 2}))
        .await
        .expect(404, "not_found");
    app.post(
        "/api/v1/accounts",
        &yaohai,
        json!({"username": "y-admin", "password": "long-enough-1", "role": "admin", "display_name": "y"}),
    )
    .await
    .expect(403, "forbidden");
    app.post(
        "/api/v1/accounts",
        &yaohai,
        json!({"username": "yh-admin2", "password": "long-enough-1", "role": "admin", "display_name": "dup", "region_id": own}),
    )
    .await
    .expect(409, "already_exists");
    let weak = app
        .post(
            "/api/v1/accounts",
            &yaohai,
            json!({"username": "a b", "password": "short", "role": "unit", "display_name": ""}),
        )
        .await;
    weak.expect(422, "validation_failed");
    let codes: Vec<&str> =
        weak.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["invalid_username", "required", "weak_password", "required"]);
    let list = app.get("/api/v1/accounts", &yaohai).await;
    let names: Vec<&str> =
        list.body["items"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"yaohai") && names.contains(&"yh-admin2") && !names.contains(&"admin"), "{names:?}");
}

#[tokio::test]
async fn audit_rows_are_kept_at_least_183_days_then_the_retention_job_removes_them() {
    let app = spawn_with(&[("LVZHI_AUDIT_KEEP_DAYS", "200")]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    let admin = app.login("admin").await;
    app.post("/api/v1/groups", &admin, serde_json::json!({"region_id": 2, "name": "留痕小组", "term": 17}))
        .await
        .expect(201, "");
    let day = |ago: i64| (chrono::Utc::now() - chrono::Duration::days(ago)).format("%Y-%m-%d %H:%M:%S").to_string();
    let row = |action: &str, ago: i64| {
        format!("INSERT INTO audit_log (at, actor, action, record_type, outcome) VALUES ('{}', 'test', '{action}', 'test', 'ok')", day(ago))
    };
    for (action, ago) in [("t.year_old", 400), ("t.half_year", 190), ("t.five_months", 150)] {
        app.raw_sql(&row(action, ago)).unwrap();
    }
    // Nobody deletes a row younger than 183 days, whatever the SQL.
    let young = app.raw_sql("DELETE FROM audit_log WHERE action = 't.five_months'");
    assert!(young.unwrap_err().contains("append-only"));
    assert!(app
        .raw_sql("UPDATE audit_log SET outcome = 'forged' WHERE action = 't.year_old'")
        .unwrap_err()
        .contains("append-only"));
    // The retention job (200 days here) removes what is older, and only that.
    assert_eq!(lvzhi::audit::retention(&app.state).await.unwrap(), 1);
    let mine = app.get("/api/v1/audit?action=group.create", &admin).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    let root = app.root_token().await;
    let old = app.get("/api/v1/audit?action=t.year_old", &root).await;
    assert_eq!(old.body["items"].as_array().unwrap().len(), 0);
    let kept = app.get("/api/v1/audit?action=t.half_year", &root).await;
    assert_eq!(kept.body["items"].as_array().unwrap().len(), 1, "190 days is inside the 200-day retention");
    // A retention under PIPL's minimum does not start.
    let bad = lvzhi::config::Settings::from_lookup(&|k| (k == "LVZHI_AUDIT_KEEP_DAYS").then(|| "90".to_string()));
    assert_eq!(bad.unwrap_err().var, "LVZHI_AUDIT_KEEP_DAYS");
}
