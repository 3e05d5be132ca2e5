//! The station desk's pages (`/desk/`) through HTTP: staff sign in, see the day, file a walk-in
//! the person later finds on the phone pages, review a check-in and change the roster; a deputy's
//! or a constituent's session is refused, and so is a form without the desk's CSRF token.

use crate::helpers::*;
use crate::opinion_cases::on_duty;
use crate::phone::{Phone, Seen};
use crate::reception::app_with_sms;
use serde_json::json;

/// Opens the desk's sign-in page and signs `user` in; answers the sign-in's answer.
pub async fn desk_sign_in(app: &TestApp, user: &str) -> (Phone, Seen) {
    let mut p = Phone::new(app);
    assert_eq!(p.get("/desk/sign-in").await.status, 200);
    let csrf = p.desk_csrf();
    let seen = p.post("/desk/sign-in", &[("csrf", &csrf), ("username", user), ("password", PASSWORD)]).await;
    (p, seen)
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
pub async fn staff_sign_in_see_the_day_and_file_a_walk_in_the_person_finds_later() {
    let (app, g) = app_with_sms().await;
    let mut anon = Phone::new(&app);
    let first = anon.get("/desk/").await;
    assert_eq!((first.status, first.location()), (303, "/desk/sign-in?next=%2Fdesk%2F"));
    let (mut desk, seen) = desk_sign_in(&app, "staff1").await;
    assert_eq!((seen.status, seen.location()), (303, "/desk/"));
    assert!(seen.header("set-cookie").contains("Path=/desk"), "the desk's cookies stay under /desk");
    let day = desk.get("/desk/").await;
    assert_eq!(day.status, 200);
    assert!(day.html.contains("值班安排") && day.html.contains("来访登记"), "{}", day.html);
    assert!(day.header("content-security-policy").contains("default-src 'none'"));
    let station: String = {
        let key = "name=\"station\" value=\"";
        let at = day.html.find(key).unwrap() + key.len();
        day.html[at..].chars().take_while(char::is_ascii_digit).collect()
    };
    let csrf = desk.desk_csrf();
    let form = |consent: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("station", station.clone()),
            ("key", "0123456789abcdef0123456789abcdef".to_string()),
            ("channel", "walk_in".into()),
            ("category", "transport".into()),
            ("title", "公交站台没有遮雨棚".into()),
            ("content", "老人下雨天等车淋雨".into()),
            ("name", "李桂兰".into()),
            ("phone", "13800148001".into()),
            ("consent", consent.into()),
        ]
    };
    // No consent: the form comes back with the words and what was typed.
    let bad = form("");
    let refs = pairs(&bad);
    let again = desk.post("/desk/walk-ins", &refs).await;
    assert_eq!(again.status, 422);
    assert!(again.html.contains("须经群众同意") && again.html.contains("公交站台没有遮雨棚"));
    // Without the CSRF token nothing is filed.
    let forged: Vec<(&str, &str)> = refs.iter().filter(|(k, _)| *k != "csrf").copied().collect();
    assert_eq!(desk.post("/desk/walk-ins", &forged).await.status, 403);
    let good = form("verbal");
    let refs = pairs(&good);
    let filed = desk.post("/desk/walk-ins", &refs).await;
    assert_eq!(filed.status, 303, "{}", filed.html);
    let ticket = filed.location().split("filed=").nth(1).unwrap().to_string();
    // The same form sent twice (same key) files one case.
    assert_eq!(desk.post("/desk/walk-ins", &refs).await.location(), filed.location());
    assert_eq!(app.raw_strings("SELECT ticket AS v FROM opinions").len(), 1);
    let shown = desk.get(filed.location()).await;
    assert!(shown.html.contains(&ticket) && shown.html.contains("李桂兰"));
    // The person signs in on the phone pages later and finds the case.
    let mut phone = Phone::new(&app);
    phone.sign_in(&app, &g, "13800148001", "/m/cases").await;
    let cases = phone.get("/m/cases").await;
    assert!(cases.html.contains(&ticket), "{}", cases.html);
}

#[tokio::test]
pub async fn the_desk_refuses_deputies_and_constituents_and_reviews_and_edits_for_staff() {
    let (app, _g) = app_with_sms().await;
    // A deputy signing in at the desk is refused and keeps no session.
    let (mut deputy_desk, seen) = desk_sign_in(&app, "13955110000").await;
    assert_eq!(seen.status, 403);
    assert!(!deputy_desk.cookies.contains_key("d_session"));
    assert_eq!(deputy_desk.get("/desk/").await.status, 303);
    // A session of another kind put in the desk's cookie is refused too.
    let tokens = app.login_raw("13955110000", PASSWORD).await.body;
    let mut forged = Phone::new(&app);
    let pair = format!("{}~{}", tokens["access_token"].as_str().unwrap(), tokens["refresh_token"].as_str().unwrap());
    forged.cookies.insert("d_session".into(), pair);
    assert_eq!(forged.get("/desk/").await.status, 403);
    // A check-in far from the station waits for review; staff confirm it at the desk.
    let (admin, staff1, deputy) = (app.login("admin").await, app.login("staff1").await, app.login("13955110000").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff1).await;
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff1).await.body["token"].as_str().unwrap().to_string();
    let lat = s.body["latitude"].as_f64().unwrap() + 0.05;
    let ci = json!({"station_id": station, "token": token, "latitude": lat, "longitude": s.body["longitude"], "accuracy_m": 15.0});
    let pending = app.post("/api/v1/checkins", &deputy, ci).await;
    assert_eq!(pending.body["status"], "pending_review");
    let id = pending.body["id"].as_i64().unwrap();
    let (mut desk, _) = desk_sign_in(&app, "staff1").await;
    let day = desk.get("/desk/").await;
    assert!(day.html.contains(&format!("approve-{id}")), "{}", day.html);
    let csrf = desk.desk_csrf();
    let st = station.to_string();
    let done = desk
        .post(&format!("/desk/checkins/{id}/review"), &[("csrf", &csrf), ("station", &st), ("decision", "approve")])
        .await;
    assert_eq!((done.status, done.location()), (303, format!("/desk/?station={station}&done=reviewed").as_str()));
    assert_eq!(app.get(&format!("/api/v1/checkins/{id}"), &staff1).await.body["status"], "accepted");
    // The roster: a stale version is refused with words, a fresh one saved.
    let slot = on_duty(&app, &admin, station, 1, 3 * 24 * 60).await;
    let page = desk.get(&format!("/desk/slots/{slot}?station={station}")).await;
    assert_eq!(page.status, 200);
    let value_of = |name: &str| {
        let key = format!("name=\"{name}\" type=\"datetime-local\" value=\"");
        let at = page.html.find(&key).unwrap() + key.len();
        page.html[at..at + 16].to_string()
    };
    let (starts, ends) = (value_of("starts"), value_of("ends"));
    let fields = |version: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("station", st.clone()),
            ("version", version.into()),
            ("starts", starts.clone()),
            ("ends", ends.clone()),
            ("keep", "1".into()),
            ("note", "带好登记本".into()),
        ]
    };
    let stale = fields("7");
    let refs = pairs(&stale);
    let refused = desk.post(&format!("/desk/slots/{slot}"), &refs).await;
    assert_eq!(refused.status, 422);
    assert!(refused.html.contains("已被他人修改"), "{}", refused.html);
    let fresh = fields("1");
    let refs = pairs(&fresh);
    let saved = desk.post(&format!("/desk/slots/{slot}"), &refs).await;
    assert_eq!((saved.status, saved.location()), (303, format!("/desk/?station={station}&done=saved").as_str()));
    assert_eq!(app.get(&format!("/api/v1/slots/{slot}"), &staff1).await.body["note"], "带好登记本");
    // Another station's slot is out of reach.
    let other = on_duty(&app, &admin, 2, 1, 3 * 24 * 60).await;
    if station != 2 {
        assert_eq!(desk.get(&format!("/desk/slots/{other}")).await.status, 404);
    }
    assert_eq!(desk.get("/desk/nothing-here").await.status, 404);
}
