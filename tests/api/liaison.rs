//! Liaison links (双联系): a member (a deputy of the congress or a staff account of it) linked for
//! a term with a deputy of that congress or one directly below; contacts logged by either side
//! within the term and never in the future; the coverage of the congress's deputies; and the
//! abuse it must survive.

use crate::project_setup::deputy_token;
use crate::reception::app_with_sms;
use serde_json::json;

/// Deputies seated in a congress (up to 1,000) and how many there are.
async fn seated(app: &crate::helpers::TestApp, admin: &str, region: i64) -> (Vec<i64>, u64) {
    let r = app.get(&format!("/api/v1/sitting-in/next?region_id={region}&n=1000"), admin).await;
    let ids = r.body["next"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    (ids, r.body["seated"].as_u64().unwrap())
}

#[tokio::test]
pub async fn members_are_linked_with_deputies_log_contacts_and_staff_see_the_coverage() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let (all, count) = seated(&app, &admin, city).await;
    let target = *all.iter().find(|d| **d != 1).unwrap();
    let link = |member: serde_json::Value, deputy: i64, yearly: i64| {
        let mut b = json!({"region_id": city, "term": 16, "deputy_id": deputy, "yearly_target": yearly});
        b.as_object_mut().unwrap().extend(member.as_object().unwrap().clone());
        b
    };
    let made = app.post("/api/v1/liaison-links", &admin, link(json!({"member_deputy_id": 1}), target, 2)).await;
    let id = made.expect(201, "").body["id"].as_i64().unwrap();
    assert_eq!(
        (made.body["member"]["kind"].as_str(), made.body["target"]["id"].as_i64()),
        (Some("deputy"), Some(target))
    );
    app.post("/api/v1/liaison-links", &admin, link(json!({"member_deputy_id": 1}), target, 2))
        .await
        .expect(409, "already_exists");
    app.post("/api/v1/liaison-links", &admin, link(json!({}), target, 2)).await.expect(422, "validation_failed");
    app.post("/api/v1/liaison-links", &admin, link(json!({"member_deputy_id": 1}), 1, 2))
        .await
        .expect(422, "validation_failed");
    // A staff account of the congress as a member.
    let body = json!({"username": "cw01", "password": "committee-pw-1", "role": "admin", "display_name": "常委会委员甲", "region_id": city});
    let acct = app.post("/api/v1/accounts", &admin, body).await;
    let acct_id = acct.expect(201, "").body["id"].as_i64().unwrap();
    let other = *all.iter().find(|d| **d != 1 && **d != target).unwrap();
    app.post("/api/v1/liaison-links", &admin, link(json!({"member_account_id": acct_id}), other, 4))
        .await
        .expect(201, "");
    // Across congresses that are not parent and child: a district's link with a city deputy.
    let district = app.region_id(&admin, "340104").await;
    let (local, _) = seated(&app, &admin, district).await;
    let across = json!({"region_id": district, "term": 16, "member_deputy_id": local[0], "deputy_id": target});
    let refused = app.post("/api/v1/liaison-links", &admin, across).await;
    assert_eq!(refused.expect(422, "validation_failed").body["errors"][0]["code"], "not_parent_child");
    // Contacts: either side; not in the future, not before the term; others are kept out.
    let (member, linked) = (app.login("13955110000").await, deputy_token(&app, &admin, target).await);
    let today = app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string();
    let tomorrow = (app.clock.now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    let contact = |on: &str| json!({"contact_on": on, "channel": "visit", "summary": "走访了解村道修缮进展", "issues": "村道破损"});
    let contacts = format!("/api/v1/liaison-links/{id}/contacts");
    assert_eq!(app.post(&contacts, &member, contact(&today)).await.expect(201, "").body["side"], "member");
    let future = app.post(&contacts, &member, contact(&tomorrow)).await;
    assert_eq!(future.expect(422, "validation_failed").body["errors"][0]["code"], "in_future");
    let early = app.post(&contacts, &member, contact("2001-01-01")).await;
    assert_eq!(early.expect(422, "validation_failed").body["errors"][0]["code"], "before_term");
    app.post(&contacts, &member, json!({"contact_on": today, "channel": "pigeon", "summary": "x"}))
        .await
        .expect(422, "validation_failed");
    assert_eq!(app.post(&contacts, &linked, contact(&today)).await.expect(201, "").body["side"], "deputy");
    app.post(&contacts, &admin, contact(&today)).await.expect(403, "forbidden");
    let stranger = deputy_token(&app, &admin, other).await;
    app.post(&contacts, &stranger, contact(&today)).await.expect(404, "not_found");
    assert_eq!(app.get(&contacts, &admin).await.body.as_array().unwrap().len(), 2);
    let mine = app.get("/api/v1/me/liaison-links", &linked).await;
    assert_eq!(mine.expect(200, "").body[0]["contacts_this_year"], 2);
    // The coverage: who is linked, links below their target, members below their count.
    let cov = app.get(&format!("/api/v1/liaison-links?region_id={city}&coverage=true&min_links=2"), &admin).await;
    let c = &cov.expect(200, "").body["coverage"];
    assert_eq!((c["deputies"].as_u64(), c["linked"]["of"].as_u64()), (Some(count), Some(count)));
    let unlinked: Vec<i64> = c["unlinked"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert!(!unlinked.contains(&target) && !unlinked.contains(&other) && unlinked.contains(&1));
    assert_eq!(c["below_target"].as_array().unwrap().len(), 1, "the staff member's link has no contact yet");
    assert_eq!(c["members_below_count"].as_array().unwrap().len(), 2);
    // Another region's staff see none of it; an ended link takes no contacts.
    let body = json!({"username": "shushan", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": district});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/liaison-links?region_id={city}"), &shushan).await.expect(404, "not_found");
    app.get(&contacts, &shushan).await.expect(404, "not_found");
    app.post(&format!("/api/v1/liaison-links/{id}/end"), &admin, json!({})).await.expect(200, "");
    app.post(&format!("/api/v1/liaison-links/{id}/end"), &admin, json!({})).await.expect(409, "illegal_transition");
    app.post(&contacts, &member, contact(&today)).await.expect(409, "illegal_transition");
}

#[tokio::test]
pub async fn links_are_imported_from_csv_all_or_nothing() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let groups = app.get(&format!("/api/v1/groups?region_id={city}&limit=200"), &admin).await;
    let group = groups.body["items"].as_array().unwrap().iter().find(|g| g["region_id"] == city).unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"username": "cw02", "password": "committee-pw-1", "role": "admin", "display_name": "常委会委员乙", "region_id": city});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let send = |csv: String, ct: &'static str| {
        let r = app.req(
            reqwest::Method::POST,
            &format!("/api/v1/liaison-links/import?region_id={city}&term=16"),
            Some(&admin),
        );
        app.send(r.header("content-type", ct).body(csv))
    };
    let head = "成员手机号,成员账号,代表小组,代表手机号,年度联系次数\n";
    let good = format!("13955110000,,{group},,4\n,cw02,{group},,2\n");
    let bad = format!("{head}{good},nobody,{group},,2\n,cw02,,13800000009,2\n");
    let refused = send(bad, "text/csv").await;
    let rows: Vec<(i64, String)> = refused.expect(422, "validation_failed").body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["code"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(rows, vec![(4, "not_found".to_string()), (5, "not_found".to_string())]);
    let list = format!("/api/v1/liaison-links?region_id={city}");
    assert!(app.get(&list, &admin).await.body["items"].as_array().unwrap().is_empty(), "nothing written");
    send(format!("{head}{good}"), "application/json").await.expect(415, "unsupported_media_type");
    let done = send(format!("{head}{good}"), "text/csv").await;
    assert_eq!(done.expect(201, "").body["created"], 2);
    let items = app.get(&list, &admin).await.body["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|l| l["target"]["kind"] == "group" && l["target"]["name"] == group.as_str()));
    let again = send(format!("{head}{good}"), "text/csv").await;
    assert!(again.expect(422, "validation_failed").body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["code"] == "already_exists"));
}
