//! A public consultation on a phone in a real browser: from the station's page to the list of
//! consultations, the text article by article, a comment on an article (signing in on the way
//! and coming back), and the questionnaire; the stored rows are checked, every page passes
//! axe-core. Skipped without Chromium unless LVZHI_REQUIRE_CHROMIUM=1 (as the phone pages' tests).

use crate::browser::browser;
use crate::consultations::draft;
use crate::phone::codes;
use crate::reception::app_with_sms;
use fantoccini::Locator;
use serde_json::json;

#[tokio::test]
pub async fn a_constituent_comments_and_answers_a_consultation_on_a_phone() {
    let Some(b) = browser().await else { return };
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let body = draft(&app, city, 1, 0, 72, &[1]);
    let id = app.post("/api/v1/consultations", &admin, body).await.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/consultations/{id}/publish"), &admin, json!({})).await.expect(200, "");
    let mut problems = vec![];
    b.open(&app, &format!("/m/{station}")).await;
    b.click("a.button[href$='/consultations']").await;
    b.wait_path(&format!("/m/{station}/consultations")).await;
    assert!(b.html().await.contains("征求中"));
    problems.extend(b.axe("consultations").await);
    b.click(&format!("a[href$='/consultations/{id}']")).await;
    b.wait_path(&format!("/m/{station}/consultations/{id}")).await;
    let html = b.html().await;
    assert!(
        html.contains("第二条") && html.contains("&lt;script&gt;") && !html.contains("<script>alert"),
        "escaped text"
    );
    b.shot("consultation").await;
    problems.extend(b.axe("consultation").await);
    // A comment before signing in: sign in, come back, send it.
    b.fill("text", "建议增加共享单车停放的规定。").await;
    b.click("form[action$='/comment'] button[type=submit]").await;
    b.wait_path("/m/sign-in").await;
    b.sign_in(&app, &g, "13800142061", 0).await;
    b.click("form[action='/m/sign-in'] button[type=submit]").await;
    b.wait_path(&format!("/m/{station}/consultations/{id}")).await;
    b.c.wait().for_element(Locator::Id("article")).await.unwrap().select_by_value("3").await.unwrap();
    b.fill("text", "建议增加共享单车停放的规定。").await;
    b.fill("wording", "公民应当文明出行，规范停放共享单车。").await;
    b.click("form[action$='/comment'] button[type=submit]").await;
    b.c.wait().for_element(Locator::Css("p.ok")).await.unwrap();
    assert!(b.html().await.contains("意见已提交"));
    let stored = app.raw_strings(&format!(
        "SELECT CAST(article AS TEXT) || '|' || author_kind || '|' || body AS v FROM consultation_comments WHERE consultation_id = {id}"
    ));
    assert_eq!(stored, vec![Some("3|constituent|建议增加共享单车停放的规定。".to_string())]);
    // The questionnaire: one choice, two boxes, the scale.
    b.click("input[name='single-1'][value='0']").await;
    b.click("input[name='multiple-2'][value='0']").await;
    b.click("input[name='multiple-2'][value='2']").await;
    b.click("input[name='scale-3'][value='4']").await;
    b.shot("consultation-survey").await;
    b.click("form[action$='/answers'] button[type=submit]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !b.html().await.contains("问卷已提交") {
        assert!(std::time::Instant::now() < deadline, "the answers were not taken: {}", b.html().await);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    problems.extend(b.axe("consultation-sent").await);
    let kept = app.raw_strings(&format!("SELECT answers AS v FROM consultation_answers WHERE consultation_id = {id}"));
    let kept: serde_json::Value = serde_json::from_str(kept[0].as_deref().unwrap()).unwrap();
    assert_eq!(kept, json!({"1": 0, "2": [0, 2], "3": 4}));
    assert!(problems.is_empty(), "{problems:#?}");
}
