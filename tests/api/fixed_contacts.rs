//! Fixed contacts (代表联系群众): a deputy's list of constituents, added only with consent, phones
//! sealed and read in full only through an audited view; visits dated neither in the future nor
//! before the consent, their issues filed as an opinion case; overdue contacts remind the deputy
//! once; staff see counts and overdue contacts; other deputies and regions are kept out.

use crate::project_setup::deputy_token;
use crate::reception::app_with_sms;
use serde_json::json;

fn days_ago(app: &crate::helpers::TestApp, n: i64) -> String {
    (app.clock.now() - chrono::Duration::days(n))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
pub async fn a_deputy_keeps_fixed_contacts_with_consent_visits_them_and_is_reminded_when_late() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let me = app.login("13955110000").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let contact = |phone: &str, every: i64, consent: serde_json::Value| json!({"name": "李大娘", "phone": phone, "community": "城南社区", "every_days": every, "consent": consent});
    let given = json!({"given_on": days_ago(&app, 30), "how": "written"});
    // Without consent nothing is kept.
    let refused = app.post("/api/v1/me/fixed-contacts", &me, contact("13900001111", 30, json!(null))).await;
    assert_eq!(refused.expect(422, "validation_failed").body["errors"][0]["code"], "consent_required");
    app.post("/api/v1/me/fixed-contacts", &me, contact("12345", 30, given.clone()))
        .await
        .expect(422, "validation_failed");
    app.post("/api/v1/me/fixed-contacts", &admin, contact("13900001111", 30, given.clone()))
        .await
        .expect(403, "forbidden");
    let made = app.post("/api/v1/me/fixed-contacts", &me, contact("13900001111", 30, given.clone())).await;
    let id = made.expect(201, "").body["id"].as_i64().unwrap();
    assert_eq!(made.body["phone_masked"], "139****1111");
    assert!(app.tables_containing("13900001111").is_empty(), "the phone is sealed in every table");
    let late = app.post("/api/v1/me/fixed-contacts", &me, contact("13900002222", 7, given)).await;
    let late_id = late.expect(201, "").body["id"].as_i64().unwrap();
    assert_eq!(late.body["overdue"], true);
    // Visits: not in the future, not before the consent; issues may become an opinion case.
    let visits = format!("/api/v1/fixed-contacts/{id}/visits");
    let visit = |on: String| json!({"visit_on": on, "channel": "visit", "summary": "入户走访", "issues": "小区路灯坏了三盏", "file_opinion": true, "category": "urban_construction"});
    let future = app.post(&visits, &me, visit(days_ago(&app, -1))).await;
    assert_eq!(future.expect(422, "validation_failed").body["errors"][0]["code"], "in_future");
    let early = app.post(&visits, &me, visit(days_ago(&app, 40))).await;
    assert_eq!(early.expect(422, "validation_failed").body["errors"][0]["code"], "before_consent");
    let done = app.post(&visits, &me, visit(app.today())).await;
    let ticket = done.expect(201, "").body["opinion_ticket"].as_str().unwrap().to_string();
    let case = app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await;
    assert_eq!(case.expect(200, "").body["category"], "urban_construction");
    let listed = app.get("/api/v1/me/fixed-contacts", &me).await;
    let first = listed.body.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(
        (first["last_visit_on"].as_str(), first["overdue"].as_bool()),
        (Some(app.today().as_str()), Some(false))
    );
    // Another deputy sees and logs nothing; another county's staff neither.
    let other = deputy_token(&app, &admin, 2).await;
    app.get(&visits, &other).await.expect(404, "not_found");
    app.post(&visits, &other, visit(app.today())).await.expect(404, "not_found");
    app.get(&format!("/api/v1/fixed-contacts/{id}/phone"), &other).await.expect(404, "not_found");
    let district = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan2", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": district});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan2", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/fixed-contacts/{id}/phone"), &shushan).await.expect(404, "not_found");
    app.get(&format!("/api/v1/fixed-contacts?region_id={city}"), &shushan).await.expect(404, "not_found");
    // Staff see counts and the overdue contact, masked; the full phone is an audited read.
    let sum = app.get(&format!("/api/v1/fixed-contacts?region_id={city}"), &admin).await;
    assert_eq!((sum.expect(200, "").body["contacts"].as_i64(), sum.body["overdue_count"].as_i64()), (Some(2), Some(1)));
    assert_eq!(sum.body["overdue"][0]["id"].as_i64(), Some(late_id));
    assert!(!sum.text.contains("13900002222"));
    let full = app.get(&format!("/api/v1/fixed-contacts/{late_id}/phone"), &admin).await;
    assert_eq!(full.expect(200, "").body["phone"], "13900002222");
    let audited = app.raw_strings("SELECT record_id AS v FROM audit_log WHERE action = 'fixed_contact.phone_read'");
    assert_eq!(audited, vec![Some(late_id.to_string())]);
    // The late contact reminds its deputy once per due date.
    assert_eq!(lvzhi::contacts::remind_overdue(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::contacts::remind_overdue(&app.state).await.unwrap(), 0);
    let told = app.raw_strings("SELECT body AS v FROM notices WHERE title = '联系群众提醒'");
    assert!(told.len() == 1 && told[0].as_deref().unwrap().contains("李大娘"));
    // Ending a contact stops its visits.
    app.post(&format!("/api/v1/fixed-contacts/{late_id}/end"), &me, json!({})).await.expect(200, "");
    let ended = app.post(&format!("/api/v1/fixed-contacts/{late_id}/visits"), &me, visit(app.today())).await;
    ended.expect(409, "illegal_transition");
}
