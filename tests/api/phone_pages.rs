//! The phone pages under `/m/` through HTTP (no browser): what a printed code opens, signing in,
//! and the abuse the pages must survive — forged forms, script in shown text, foreign return
//! addresses, other people's tickets, a session that ran out in the middle of a form.

use crate::helpers::*;
use crate::phone::{codes, hidden, Phone};
use crate::reception::app_with_sms;
use serde_json::json;

fn count(app: &TestApp, sql: &str) -> usize {
    app.raw_strings(sql).len()
}

#[tokio::test]
pub async fn a_code_opens_the_station_page_or_the_deputy_card_and_an_unknown_one_a_friendly_404() {
    let app = spawn_demo().await;
    let (station, deputy) = codes(&app).await;
    let mut phone = Phone::new(&app);
    let s = phone.get(&format!("/m/{station}")).await;
    assert_eq!(s.status, 200);
    assert!(s.html.contains("本周接待安排") && s.html.contains("查看地图") && s.html.contains("uri.amap.com"));
    for b in ["留言", "预约", "查进度"] {
        assert!(s.html.contains(&format!(">{b}</a>")), "button {b}");
    }
    let csp = s.header("content-security-policy");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(s.html.contains(&format!("<script nonce=\"{nonce}\"")), "the script carries this answer's nonce");
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(s.header("x-frame-options"), "DENY");
    assert!(s.header("set-cookie").contains("HttpOnly") && s.header("set-cookie").contains("SameSite=Lax"));
    let d = phone.get(&format!("/m/{deputy}")).await;
    assert_eq!(d.status, 200);
    assert!(d.html.contains("代表简介") || d.html.contains("人大代表"));
    assert!(!d.html.contains("1395511") && !s.html.contains("1395511"), "never a deputy's phone number");
    let missing = phone.get("/m/SNOSUCHCODE").await;
    assert_eq!(missing.status, 404);
    assert!(missing.html.contains("没有找到这个页面"));
    assert_eq!(phone.get("/m/no/such/page").await.status, 404);
    // Every asset comes from the binary.
    let css = phone.get("/m/static/m.css").await;
    assert_eq!((css.status, css.header("content-type")), (200, "text/css; charset=utf-8"));
    assert_eq!(phone.get("/m/static/m.js").await.status, 200);
}

#[tokio::test]
pub async fn signing_in_returns_to_the_page_and_never_to_another_site() {
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let mut phone = Phone::new(&app);
    let back = phone.sign_in(&app, &g, "13800139001", &format!("/m/{station}/opinion")).await;
    assert_eq!((back.status, back.location()), (303, format!("/m/{station}/opinion").as_str()));
    let session = back.header("set-cookie");
    assert!(session.starts_with("m_session=") && session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    assert!(!session.contains("Secure"), "plain http in the test: no Secure flag");
    assert_eq!(phone.get(&format!("/m/{station}/opinion")).await.status, 200);
    for evil in ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"] {
        let mut other = Phone::new(&app);
        let back = other.sign_in(&app, &g, "13800139002", evil).await;
        assert_eq!((back.status, back.location()), (303, "/m/cases"), "{evil}");
        // A minute between two codes to one number.
        app.clock.advance(chrono::Duration::seconds(61));
    }
}

#[tokio::test]
pub async fn a_form_without_our_csrf_token_is_refused_and_stores_nothing() {
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let mut phone = Phone::new(&app);
    phone.sign_in(&app, &g, "13800139003", "/m/cases").await;
    let form = phone.get(&format!("/m/{station}/opinion")).await;
    let key = hidden(&form.html, "key");
    let before = count(&app, "SELECT ticket AS v FROM opinions");
    for csrf in ["", "0123456789abcdef0123456789abcdef"] {
        let fields =
            [("csrf", csrf), ("key", key.as_str()), ("category", "transport"), ("title", "t"), ("content", "c")];
        let r = phone.post_multipart(&format!("/m/{station}/opinion"), &fields, vec![]).await;
        assert_eq!(r.status, 403, "csrf {csrf:?}");
    }
    let r = phone.post("/m/sign-out", &[("csrf", "wrong")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(count(&app, "SELECT ticket AS v FROM opinions"), before, "nothing stored");
    assert!(phone.cookies.contains_key("m_session"), "still signed in");
}

#[tokio::test]
pub async fn what_people_typed_is_shown_escaped_on_every_page() {
    let (app, g) = app_with_sms().await;
    let (station, deputy) = codes(&app).await;
    let admin = app.login("admin").await;
    // A deputy introduction with markup in it.
    let id = app.raw_strings(&format!("SELECT CAST(id AS TEXT) AS v FROM deputies WHERE public_code = '{deputy}'"))[0]
        .clone()
        .unwrap();
    let d = app.get(&format!("/api/v1/deputies/{id}"), &admin).await;
    let etag = d.etag();
    let intro = "热心公益<script>alert('intro')</script>\"><img src=x onerror=alert(2)>";
    app.patch(&format!("/api/v1/deputies/{id}"), &admin, Some(&etag), json!({"introduction": intro}))
        .await
        .expect(200, "");
    let mut phone = Phone::new(&app);
    let card = phone.get(&format!("/m/{deputy}")).await;
    assert!(
        card.html.contains("&#60;script&#62;alert(&#39;intro&#39;)&#60;/script&#62;")
            || card.html.contains("&lt;script&gt;"),
        "{}",
        card.html
    );
    assert!(!card.html.contains("<script>alert") && !card.html.contains("<img src=x"));
    phone.sign_in(&app, &g, "13800139004", "/m/cases").await;
    let form = phone.get(&format!("/m/{station}/opinion")).await;
    let csrf = phone.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("key", &hidden(&form.html, "key")),
        ("category", "transport"),
        ("title", "<script>alert(1)</script>"),
        ("content", "\"><img src=x onerror=alert(1)>"),
    ];
    let filed = phone.post_multipart(&format!("/m/{station}/opinion"), &fields, vec![]).await;
    assert_eq!(filed.status, 303, "{}", filed.html);
    let case_path = filed.location().split('?').next().unwrap().to_string();
    let written =
        phone.post(&format!("{case_path}/message"), &[("csrf", &csrf), ("body", "<script>alert('m')</script>")]).await;
    assert_eq!(written.status, 303);
    let page = phone.get(&case_path).await;
    assert_eq!(page.status, 200);
    for raw in ["<script>alert", "<img src=x"] {
        assert!(!page.html.contains(raw), "{raw} is escaped");
    }
    assert!(page.html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    let list = phone.get("/m/cases").await;
    assert!(!list.html.contains("<script>alert"));
}

#[tokio::test]
pub async fn another_persons_ticket_answers_the_same_404_as_a_missing_one() {
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let mut alice = Phone::new(&app);
    alice.sign_in(&app, &g, "13800139005", "/m/cases").await;
    let filed = alice.file(&station, &[("category", "health"), ("title", "诊所"), ("content", "排队太久")]).await;
    let case_path = filed.location().split('?').next().unwrap().to_string();
    assert_eq!(alice.get(&case_path).await.status, 200);
    let mut bob = Phone::new(&app);
    bob.sign_in(&app, &g, "13800139006", "/m/cases").await;
    let theirs = bob.get(&case_path).await;
    let missing = bob.get("/m/cases/20990101-999999").await;
    assert_eq!((theirs.status, missing.status), (404, 404));
    let strip = |h: &str| h.split("<main").nth(1).unwrap().split("</main>").next().unwrap().to_string();
    assert_eq!(strip(&theirs.html), strip(&missing.html), "nothing tells them apart");
}

#[tokio::test]
pub async fn a_form_sent_after_the_session_ran_out_signs_in_and_comes_back_with_the_text() {
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let mut phone = Phone::new(&app);
    phone.get(&format!("/m/{station}")).await;
    let csrf = phone.csrf();
    // Never signed in (or the session is gone): the form's text rides along to the sign-in.
    let fields = [
        ("csrf", csrf.as_str()),
        ("key", "0123456789abcdef0123456789abcdef"),
        ("category", "transport"),
        ("title", "公交站台"),
        ("content", "没有遮雨棚"),
    ];
    let r = phone.post_multipart(&format!("/m/{station}/opinion"), &fields, vec![]).await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/m/sign-in?next="), "{}", r.location());
    let next: String = url::form_urlencoded::parse(r.location().split('?').nth(1).unwrap().as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let back = phone.sign_in(&app, &g, "13800139007", &next).await;
    assert_eq!(back.location(), next);
    let form = phone.get(&next).await;
    assert!(form.html.contains("value=\"公交站台\"") && form.html.contains(">没有遮雨棚</textarea>"), "{}", form.html);
    // A session cookie that no longer works is the same as none.
    phone.cookies.insert("m_session".into(), "garbage~garbage".into());
    let r = phone.get("/m/cases").await;
    assert_eq!((r.status, r.location().starts_with("/m/sign-in")), (303, true));
}

#[tokio::test]
pub async fn code_requests_through_the_pages_keep_the_api_limits() {
    let (app, _g) = app_with_sms().await;
    let mut phone = Phone::new(&app);
    phone.get("/m/sign-in").await;
    let csrf = phone.csrf();
    let first = phone.post("/m/sign-in/code", &[("csrf", &csrf), ("phone", "13800139008")]).await;
    assert_eq!(first.status, 200);
    let again = phone.post("/m/sign-in/code", &[("csrf", &csrf), ("phone", "13800139008")]).await;
    assert_eq!(again.status, 422);
    assert!(again.html.contains("操作太频繁"), "the number's one-a-minute limit holds through the pages");
    let bad = phone.post("/m/sign-in/code", &[("csrf", &csrf), ("phone", "12345")]).await;
    assert!(bad.html.contains("11位手机号码"));
    let stored = app.raw_strings("SELECT CAST(id AS TEXT) AS v FROM otp_codes");
    assert_eq!(stored.len(), 1, "one code was made");
}

#[tokio::test]
pub async fn sign_ins_through_the_pages_keep_the_api_limit_per_address() {
    let (_gateway, base) = crate::fake_gateway::start_all().await;
    let sms = format!("{base}/sms");
    let app = spawn_demo_with(&[
        ("LVZHI_SMS_URL", &sms),
        ("LVZHI_SMS_SECRET", "s"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_LOGIN_RATE_PER_MINUTE", "2"),
    ])
    .await;
    let mut phone = Phone::new(&app);
    phone.get("/m/sign-in").await;
    let csrf = phone.csrf();
    let wrong = [
        ("csrf", csrf.as_str()),
        ("phone", "13800139009"),
        ("code", "000000"),
        ("consent_version", "2026-11"),
        ("consent", "yes"),
    ];
    let answers = [
        phone.post("/m/sign-in", &wrong).await,
        phone.post("/m/sign-in", &wrong).await,
        phone.post("/m/sign-in", &wrong).await,
    ];
    assert!(answers[0].html.contains("验证码") && !answers[0].html.contains("操作太频繁"));
    assert!(answers[2].html.contains("操作太频繁"), "the third sign-in in a minute from one address is held back");
}
