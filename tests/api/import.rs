use crate::helpers::*;
use reqwest::Method;

async fn import(app: &TestApp, token: &str, csv: &str) -> Answer {
    app.send(
        app.req(Method::POST, "/api/v1/deputies/import", Some(token))
            .header("content-type", "text/csv; charset=utf-8")
            .body(csv.to_string()),
    )
    .await
}

async fn count(app: &TestApp) -> i64 {
    lvzhi::db::run(&app.state.db, lvzhi::org::count_deputies).await.unwrap()
}

#[tokio::test]
async fn bad_rows_import_nothing_and_are_all_listed() {
    let app = spawn_demo().await;
    let yaohai = app.login("yaohai").await;
    let before = count(&app).await;
    let csv = "\u{feff}姓名,性别,手机号,层级,行政区划代码,届次,选举单位,代表小组\n\
        张三,男,13700000001,县,340102,18,瑶海区第1选区,瑶海区第一代表小组\n\
        ,男,13700000002,县,340102,18,,\n\
        李四,未知,137000,县,340103,18,,\n\
        王五,女,13700000004,市,340102,十八,,\n\
        赵六,女,13700000005,县,340102,18,,不存在的小组\n\
        张三,男,13700000001,县,340102,18,,\n";
    let a = import(&app, &yaohai, csv).await;
    a.expect(422, "validation_failed");
    let got: Vec<(i64, String, String)> = a.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(i64, String, String)> = [
        (3, "name", "required"),
        (4, "gender", "invalid_value"),
        (4, "phone", "invalid_phone"),
        (4, "region_code", "unknown_region"),
        (5, "level", "level_mismatch"),
        (6, "group", "unknown_group"),
        (7, "region_code", "duplicate_seat"),
    ]
    .iter()
    .map(|(r, f, c)| (*r, f.to_string(), c.to_string()))
    .collect();
    assert_eq!(got, want);
    assert_eq!(count(&app).await, before, "nothing may be written");
    // Missing columns are named.
    let a = import(&app, &yaohai, "姓名,性别\n张三,男\n").await;
    a.expect(422, "validation_failed");
    let missing: Vec<&str> =
        a.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(missing, vec!["level", "region_code", "term"]);
    // Not CSV.
    app.send(
        app.req(Method::POST, "/api/v1/deputies/import", Some(&yaohai))
            .header("content-type", "application/json")
            .body("{}"),
    )
    .await
    .expect(415, "unsupported_media_type");
    let deputy = app.login("13955110000").await;
    import(&app, &deputy, "name\n").await.expect(403, "forbidden");
}

#[tokio::test]
async fn good_file_imports_people_and_extra_seats() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let before = count(&app).await;
    // 13955110000 is demo deputy #1 (李华波, a city deputy): the row adds a district seat to that person.
    let first = app.get("/api/v1/deputies/1", &admin).await.body["name"].as_str().unwrap().to_string();
    let csv = format!(
        "name,gender,phone,level,region_code,term,electoral_unit,group,status\n\
         周新,female,13700000011,county,340104,18,蜀山区第3选区,蜀山区第一代表小组,active\n\
         周新,female,13700000011,city,340100,17,蜀山区选举单位,,\n\
         {first},男,13955110000,county,340102,18,,,\n\
         吴明,男,,township,340102001,5,,,辞职\n"
    );
    let a = import(&app, &admin, &csv).await;
    a.expect(201, "");
    assert_eq!(a.body["rows"], 4);
    assert_eq!(a.body["deputies_created"], 2);
    assert_eq!(a.body["seats_added_to_existing"], 1);
    assert_eq!(a.body["seats_created"], 4);
    assert_eq!(count(&app).await, before + 2);
    let d1 = app.get("/api/v1/deputies/1", &admin).await;
    assert_eq!(d1.body["seats"].as_array().unwrap().len(), 2);
    // Importing the same file again clashes on every seat, and writes nothing.
    let again = import(&app, &admin, &csv).await;
    again.expect(422, "validation_failed");
    assert_eq!(count(&app).await, before + 2);
}

/// A large import leaves PostgreSQL knowing the directory's new size (ANALYZE), so the cached
/// plans of the deputy and seat lookups are made again for it instead of scanning the table.
#[tokio::test]
async fn a_large_import_refreshes_the_directory_statistics() {
    let app = spawn_demo().await;
    let yaohai = app.login("yaohai").await;
    let before = count(&app).await;
    let mut csv = String::from("姓名,性别,手机号,层级,行政区划代码,届次\n");
    for i in 0..1000 {
        csv.push_str(&format!("代表{i},女,1390000{i:04},县,340102,18\n"));
    }
    let a = import(&app, &yaohai, &csv).await;
    a.expect(201, "");
    assert_eq!(a.body["deputies_created"], 1000);
    assert_eq!(count(&app).await, before + 1000);
    if app.is_postgres() {
        let seen = app.raw_strings("SELECT reltuples::bigint::text AS v FROM pg_class WHERE relname = 'deputies'");
        let seen: i64 = seen[0].as_deref().unwrap().parse().unwrap();
        assert_eq!(seen, before + 1000, "the statistics count every deputy");
    }
}
