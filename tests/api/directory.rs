use crate::helpers::*;
use serde_json::{json, Value};

pub async fn first(app: &TestApp, token: &str, path: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{}limit=200&cursor={c}", if path.contains('?') { "&" } else { "?" }),
            None => format!("{path}{}limit=200", if path.contains('?') { "&" } else { "?" }),
        };
        let a = app.get(&url, token).await;
        a.expect(200, "");
        if let Some(v) = a.body["items"].as_array().unwrap().iter().find(|v| pred(v)) {
            return v.clone();
        }
        match a.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => panic!("nothing in {path} matched"),
        }
    }
}

/// Records of 庐阳区 (340103), which the 瑶海区 admin must not see.
pub struct Foreign {
    pub region: i64,
    pub group: i64,
    pub station: i64,
    pub unit: i64,
    pub deputy: i64,
}

pub async fn foreign(app: &TestApp, admin: &str) -> Foreign {
    let region = app.region_id(admin, "340103").await;
    let group =
        first(app, admin, &format!("/api/v1/groups?region_id={region}"), |_| true).await["id"].as_i64().unwrap();
    let station =
        first(app, admin, &format!("/api/v1/stations?region_id={region}"), |_| true).await["id"].as_i64().unwrap();
    let unit = first(app, admin, "/api/v1/units", |_| true).await["id"].as_i64().unwrap();
    let deputy = first(app, admin, &format!("/api/v1/deputies?region_id={region}"), |d| {
        d["seats"].as_array().unwrap().len() == 1
    })
    .await["id"]
        .as_i64()
        .unwrap();
    Foreign { region, group, station, unit, deputy }
}

#[tokio::test]
pub async fn every_directory_route_answers_404_to_an_admin_of_another_county() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let f = foreign(&app, &admin).await;
    let yaohai = app.login("yaohai").await;
    let etag = "\"x-0-v1\"";
    let gets = [
        format!("/api/v1/regions/{}", f.region),
        format!("/api/v1/groups/{}", f.group),
        format!("/api/v1/stations/{}", f.station),
        format!("/api/v1/units/{}", f.unit),
        format!("/api/v1/deputies/{}", f.deputy),
        format!("/api/v1/deputies/{}/phone", f.deputy),
        format!("/api/v1/deputies?region_id={}", f.region),
        format!("/api/v1/groups?region_id={}", f.region),
        format!("/api/v1/stations?region_id={}", f.region),
        format!("/api/v1/units?region_id={}", f.region),
    ];
    for path in &gets {
        let a = app.get(path, &yaohai).await;
        assert_eq!(a.status, 404, "GET {path}: {}", a.text);
        assert_eq!(a.code(), "not_found");
        // The same path for a record that does not exist says exactly the same.
        let missing = path.replace(&f.region.to_string(), "999999").replace(&format!("/{}", f.deputy), "/999999");
        let m = app.get(&missing, &yaohai).await;
        assert_eq!((m.status.as_u16(), m.code()), (404, "not_found"), "GET {missing}");
    }
    let patches = [
        (format!("/api/v1/regions/{}", f.region), json!({"name": "x"})),
        (format!("/api/v1/groups/{}", f.group), json!({"name": "x"})),
        (format!("/api/v1/stations/{}", f.station), json!({"name": "x"})),
        (format!("/api/v1/units/{}", f.unit), json!({"name": "x"})),
        (format!("/api/v1/deputies/{}", f.deputy), json!({"name": "x"})),
    ];
    for (path, body) in &patches {
        for m in [Some(etag), None] {
            let a = app.patch(path, &yaohai, m, body.clone()).await;
            assert_eq!((a.status.as_u16(), a.code()), (404, "not_found"), "PATCH {path}: {}", a.text);
        }
    }
    for path in [
        format!("/api/v1/groups/{}", f.group),
        format!("/api/v1/stations/{}", f.station),
        format!("/api/v1/units/{}", f.unit),
    ] {
        let a = app.delete(&path, &yaohai).await;
        assert_eq!((a.status.as_u16(), a.code()), (404, "not_found"), "DELETE {path}");
    }
    // Creating under a foreign parent.
    app.post(
        "/api/v1/regions",
        &yaohai,
        json!({"code": "340103099", "name": "x", "parent_id": f.region, "level": "township"}),
    )
    .await
    .expect(404, "not_found");
    app.post("/api/v1/groups", &yaohai, json!({"region_id": f.region, "name": "x", "term": 18}))
        .await
        .expect(404, "not_found");
    app.post("/api/v1/stations", &yaohai, json!({"region_id": f.region, "kind": "point", "name": "x", "address": "y", "latitude": 31.8, "longitude": 117.2}))
        .await
        .expect(404, "not_found");
    app.post("/api/v1/units", &yaohai, json!({"region_id": f.region, "name": "x"})).await.expect(404, "not_found");
    // A seat in a foreign region is refused as an unknown region (no leak either way).
    let seat = json!({"level": "county", "region_id": f.region, "term": 18});
    app.post("/api/v1/deputies", &yaohai, json!({"name": "王五", "gender": "男", "seats": [seat.clone()]}))
        .await
        .expect(422, "validation_failed");
    // A seat for a foreign deputy: the deputy is out of scope, exactly like a missing one.
    app.post(&format!("/api/v1/deputies/{}/seats", f.deputy), &yaohai, seat).await.expect(404, "not_found");
    app.patch(&format!("/api/v1/deputies/{}/seats/1", f.deputy), &yaohai, Some(etag), json!({"status": "resigned"}))
        .await
        .expect(404, "not_found");
    // Its own county works, and lists hold only its subtree.
    let own = app.region_id(&yaohai, "340102").await;
    app.get(&format!("/api/v1/regions/{own}"), &yaohai).await.expect(200, "");
    let regions = app.get("/api/v1/regions?limit=200", &yaohai).await;
    let codes: Vec<&str> =
        regions.body["items"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 5, "瑶海区 and its 4 sub-districts: {codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("340102")));
    let deputies = app.get("/api/v1/deputies?limit=200", &yaohai).await;
    for d in deputies.body["items"].as_array().unwrap() {
        assert!(d["seats"].as_array().unwrap().iter().any(|s| s["region_code"] == "340102"), "{d}");
    }
}

#[tokio::test]
pub async fn region_updates_need_the_current_etag() {
    let app = spawn_demo().await;
    let yaohai = app.login("yaohai").await;
    let parent = app.region_id(&yaohai, "340102").await;
    let created = app
        .post(
            "/api/v1/regions",
            &yaohai,
            json!({"code": "340102005", "name": "新街道", "parent_id": parent, "level": "township"}),
        )
        .await;
    created.expect(201, "");
    let id = created.body["id"].as_i64().unwrap();
    let v1 = created.etag();
    assert!(!v1.is_empty());
    let path = format!("/api/v1/regions/{id}");
    app.patch(&path, &yaohai, None, json!({"name": "改名街道"})).await.expect(428, "precondition_required");
    let ok = app.patch(&path, &yaohai, Some(&v1), json!({"name": "改名街道"})).await;
    ok.expect(200, "");
    assert_eq!(ok.body["name"], "改名街道");
    assert_ne!(ok.etag(), v1);
    app.patch(&path, &yaohai, Some(&v1), json!({"name": "又改"})).await.expect(412, "precondition_failed");
    // Wrong level or code for the parent.
    app.post(
        "/api/v1/regions",
        &yaohai,
        json!({"code": "340102006", "name": "x", "parent_id": parent, "level": "county"}),
    )
    .await
    .expect(422, "validation_failed");
    let bad = app
        .post(
            "/api/v1/regions",
            &yaohai,
            json!({"code": "350102006", "name": "x", "parent_id": parent, "level": "township"}),
        )
        .await;
    bad.expect(422, "validation_failed");
    assert_eq!(bad.body["errors"][0]["code"], "code_not_in_parent");
    // Scoped admins cannot create top-level regions; the code is unique.
    app.post("/api/v1/regions", &yaohai, json!({"code": "350000", "name": "福建省", "level": "province"}))
        .await
        .expect(403, "forbidden");
    app.post(
        "/api/v1/regions",
        &yaohai,
        json!({"code": "340102005", "name": "dup", "parent_id": parent, "level": "township"}),
    )
    .await
    .expect(409, "already_exists");
}

#[tokio::test]
pub async fn deputies_crud_masks_phones_and_audits_full_reads() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let county = app.region_id(&admin, "340102").await;
    let city = app.region_id(&admin, "340100").await;
    let created = app
        .post("/api/v1/deputies", &admin, json!({"name": "赵敏", "gender": "女", "phone": "138 0000 1234", "seats": [{"level": "city", "region_id": city, "term": 17}, {"level": "county", "region_id": county, "term": 18, "electoral_unit": "瑶海区第9选区"}]}))
        .await;
    created.expect(201, "");
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["phone"], "138****1234");
    assert_eq!(created.body["gender"], "female");
    assert_eq!(created.body["seats"].as_array().unwrap().len(), 2);
    // Full number: audited.
    let phone = app.get(&format!("/api/v1/deputies/{id}/phone"), &admin).await;
    phone.expect(200, "");
    assert_eq!(phone.body["phone"], "13800001234");
    let audit = app.get(&format!("/api/v1/audit?action=deputy.read_phone&record_id={id}"), &admin).await;
    assert_eq!(audit.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        audit.body["items"][0]["actor"],
        format!("admin:{}", app.get("/api/v1/auth/me", &admin).await.body["id"])
    );
    // A deputy sees others' public profile (no phone, no electoral unit) and may not read phones.
    let deputy = app.login("13955110000").await;
    let public = app.get(&format!("/api/v1/deputies/{id}"), &deputy).await;
    public.expect(200, "");
    assert!(public.body.get("phone").is_none());
    assert!(public.body["seats"][1].get("electoral_unit").is_none());
    app.get(&format!("/api/v1/deputies/{id}/phone"), &deputy).await.expect(403, "forbidden");
    app.post("/api/v1/deputies", &deputy, json!({"name": "x", "gender": "男", "seats": []}))
        .await
        .expect(403, "forbidden");
    let own = app.get("/api/v1/deputies/1", &deputy).await;
    assert_eq!(own.body["phone"], "139****0000");
    // Update with ETag; a seat status change.
    let etag = created.etag();
    let upd =
        app.patch(&format!("/api/v1/deputies/{id}"), &admin, Some(&etag), json!({"introduction": "社区医生"})).await;
    upd.expect(200, "");
    let seat_id = upd.body["seats"][1]["id"].as_i64().unwrap();
    let seat = app
        .patch(
            &format!("/api/v1/deputies/{id}/seats/{seat_id}"),
            &admin,
            Some(&upd.etag()),
            json!({"status": "resigned", "status_date": "2026-11-01"}),
        )
        .await;
    seat.expect(200, "");
    assert_eq!(seat.body["seats"][1]["status"], "resigned");
    app.patch(&format!("/api/v1/deputies/{id}"), &admin, Some(&etag), json!({"name": "x"}))
        .await
        .expect(412, "precondition_failed");
    // Validation.
    let bad = app
        .post("/api/v1/deputies", &admin, json!({"name": "", "gender": "x", "phone": "123", "seats": [{"level": "county", "region_id": city, "term": 17}]}))
        .await;
    bad.expect(422, "validation_failed");
    let fields: Vec<&str> =
        bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "gender", "phone"]);
    let mismatch = app
        .post(
            "/api/v1/deputies",
            &admin,
            json!({"name": "钱七", "gender": "男", "seats": [{"level": "county", "region_id": city, "term": 17}]}),
        )
        .await;
    assert_eq!(mismatch.body["errors"][0]["code"], "level_mismatch");
    app.post(
        "/api/v1/deputies",
        &admin,
        json!({"name": "孙八", "gender": "男", "phone": "13800001234", "seats": [{"level": "city", "region_id": city, "term": 17}]}),
    )
    .await
    .expect(409, "already_exists");
}

#[tokio::test]
pub async fn lists_page_with_cursors_and_filters() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let mut seen = vec![];
    let mut path = "/api/v1/deputies?limit=150".to_string();
    loop {
        let a = app.get(&path, &admin).await;
        a.expect(200, "");
        seen.extend(a.body["items"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()));
        match a.body["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/deputies?limit=150&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 400);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    app.get("/api/v1/deputies?limit=500", &admin).await.expect(422, "validation_failed");
    app.get("/api/v1/deputies?cursor=%%%", &admin).await.expect(422, "validation_failed");
    let county = app.get("/api/v1/deputies?level=county&limit=200", &admin).await;
    assert_eq!(county.body["items"].as_array().unwrap().len(), 150);
    let named = app.get("/api/v1/deputies?q=%E6%9D%8E&limit=200", &admin).await;
    assert!(named.body["items"].as_array().unwrap().iter().all(|d| d["name"].as_str().unwrap().contains('李')));
    let homes = app.get("/api/v1/stations?kind=home", &admin).await;
    assert_eq!(homes.body["items"].as_array().unwrap().len(), 3);
}
