//! Consultations (征求意见): a draft regulation split into articles is put to named deputies and
//! the public within a window; deputies and constituents comment article by article and answer
//! the questionnaire; a contact point's staff enter a walk-in's view; staff read the results
//! (JSON, CSV with formulas defused, a printable page with every text escaped), decide on each
//! comment (the author is told), and publish the feedback report after the close.

use crate::helpers::TestApp;
use crate::project_setup::deputy_token;
use crate::reception::constituent;
use serde_json::{json, Value};

pub const TEXT: &str = "合肥市文明行为促进条例（草案）\n第一章 总则\n第一条 为了培育和践行社会主义核心价值观，制定本条例。\n第二条 本条例适用于本市行政区域内的文明行为促进工作。<script>alert(1)</script>\n第二章 规范\n第三条 公民应当文明出行。";

pub fn draft(app: &TestApp, city: i64, station: i64, opens_in_h: i64, closes_in_h: i64, deputies: &[i64]) -> Value {
    let at = |h: i64| (app.clock.now() + chrono::Duration::hours(h)).to_rfc3339();
    json!({
        "region_id": city, "title": "合肥市文明行为促进条例（草案）", "kind": "regulation",
        "summary": "市人大常委会法工委就条例草案征求意见。", "text": TEXT,
        "attachments": [{"title": "起草说明", "url": "https://example.org/shuoming.pdf"}],
        "questions": [
            {"kind": "single", "text": "您是否赞成设立文明行为奖励制度？", "options": ["赞成", "不赞成", "说不清"], "required": true},
            {"kind": "multiple", "text": "您认为最需要规范的不文明行为有？", "options": ["乱扔垃圾", "闯红灯", "高空抛物"]},
            {"kind": "scale", "text": "您对草案总体满意程度（1-5）", "required": true},
            {"kind": "text", "text": "其他建议"}
        ],
        "opens_at": at(opens_in_h), "closes_at": at(closes_in_h),
        "audience": {"deputies": deputies}, "public": true, "contact_points": [station]
    })
}

pub fn answers(single: usize, scale: i64) -> Value {
    json!({"answers": [{"question": 1, "choice": single}, {"question": 2, "choices": [0, 2]}, {"question": 3, "scale": scale}]})
}

/// A token again for a deputy given an account by [`deputy_token`].
pub async fn relogin(app: &TestApp, deputy: i64) -> String {
    let a = app.login_raw(&format!("1395512{deputy:04}"), "deputy-pw-123").await;
    a.body["access_token"].as_str().unwrap().to_string()
}

fn count(app: &TestApp, sql: &str) -> String {
    app.raw_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM {sql}"))[0].clone().unwrap_or_default()
}

#[tokio::test]
pub async fn a_draft_is_answered_by_deputies_the_public_and_a_contact_point_and_fed_back() {
    // Quiet hours off: the decision's text is checked at whatever hour the test runs.
    let (app, g) = crate::case_texts::app("off").await;
    let admin = app.login("admin").await;
    let me = app.login("13955110000").await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let (two, three) = (deputy_token(&app, &admin, 2).await, deputy_token(&app, &admin, 3).await);
    // Bad drafts name their fields; a deputy may not draft.
    let mut bad = draft(&app, city, station, 1, 0, &[1, 2]);
    bad["questions"][0]["options"] = json!(["只有一个"]);
    let refused = app.post("/api/v1/consultations", &admin, bad).await;
    let fields: Vec<String> = refused.expect(422, "validation_failed").body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(fields.contains(&"questions.options".into()) && fields.contains(&"closes_at".into()), "{fields:?}");
    app.post("/api/v1/consultations", &me, draft(&app, city, station, 1, 72, &[1, 2])).await.expect(403, "forbidden");
    // The draft: split into articles (the title as 前言, chapters left out), unseen by deputies.
    let made = app.post("/api/v1/consultations", &admin, draft(&app, city, station, 1, 72, &[1, 2])).await;
    let c = made.expect(201, "").body.clone();
    let id = c["id"].as_i64().unwrap();
    let headings: Vec<&str> =
        c["articles"].as_array().unwrap().iter().map(|a| a["heading"].as_str().unwrap()).collect();
    assert_eq!(headings, ["前言", "第一条", "第二条", "第三条"]);
    assert_eq!((c["status"].as_str(), c["questions"][2]["number"].as_i64()), (Some("draft"), Some(3)));
    let at = format!("/api/v1/consultations/{id}");
    app.get(&at, &me).await.expect(404, "not_found");
    // Published: the two deputies get a notice; a third deputy and another district's staff see nothing.
    let published = app.post(&format!("{at}/publish"), &admin, json!({})).await;
    assert_eq!(
        (published.expect(200, "").body["status"].as_str(), published.body["reached"].as_i64()),
        (Some("scheduled"), Some(2))
    );
    app.post(&format!("{at}/publish"), &admin, json!({})).await.expect(409, "already_published");
    let inbox = app.get("/api/v1/me/inbox", &two).await;
    assert!(inbox.text.contains("征求意见：合肥市文明行为促进条例（草案）"), "{}", inbox.text);
    app.get(&at, &three).await.expect(404, "not_found");
    let district = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan4", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": district});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan4", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&at, &shushan).await.expect(404, "not_found");
    app.get(&format!("{at}/results"), &shushan).await.expect(404, "not_found");
    // Before the window opens: 409.
    let comments = format!("{at}/comments");
    let on_two = json!({"article": 2, "text": "建议删去第二款。", "wording": "本条例适用于本市。"});
    app.post(&comments, &me, on_two.clone()).await.expect(409, "consultation_closed");
    app.put(&format!("{at}/answers"), &me, answers(0, 4)).await.expect(409, "consultation_closed");
    let now = app.clock.now().timestamp();
    app.clock.advance(chrono::Duration::seconds(7200 + 60 - now % 60 + 1));
    let (me, two, admin, staff) =
        (app.login("13955110000").await, relogin(&app, 2).await, app.login("admin").await, app.login("staff1").await);
    let shushan = app.login_raw("shushan4", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    // A deputy comments on an article and in general; an unknown article is refused.
    let made = app.post(&comments, &me, on_two).await;
    assert_eq!(made.expect(201, "").body["author"].as_str().map(|s| !s.is_empty()), Some(true));
    app.post(&comments, &me, json!({"text": "=HYPERLINK(\"http://x\") 总体赞成。"})).await.expect(201, "");
    let unknown = app.post(&comments, &me, json!({"article": 9, "text": "?"})).await;
    assert_eq!(unknown.expect(422, "validation_failed").body["errors"][0]["field"], "article");
    // The questionnaire: a required question missing, a question of another questionnaire.
    let ans = format!("{at}/answers");
    let missing = app.put(&ans, &me, json!({"answers": [{"question": 1, "choice": 0}]})).await;
    let e = &missing.expect(422, "validation_failed").body["errors"][0];
    assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some("questions[3]"), Some("required")));
    let foreign = app.put(&ans, &me, json!({"answers": [{"question": 7, "choice": 0}, {"question": 1, "choice": 0}, {"question": 3, "scale": 2}]})).await;
    assert_eq!(foreign.expect(422, "validation_failed").body["errors"][0]["field"], "answers[0].question");
    assert_eq!(app.put(&ans, &me, answers(0, 4)).await.expect(200, "").body["replaced"], false);
    assert_eq!(app.put(&ans, &me, answers(1, 5)).await.expect(200, "").body["replaced"], true);
    // Two first answers at once by one deputy: one answer.
    let (a, b) = tokio::join!(app.put(&ans, &two, answers(0, 3)), app.put(&ans, &two, answers(0, 3)));
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200), "{} {}", a.text, b.text);
    assert_eq!(count(&app, &format!("consultation_answers WHERE consultation_id = {id}")), "2");
    assert_eq!(count(&app, &format!("consultation_participation WHERE consultation_id = {id}")), "2");
    // The deputy sees what they sent; the points are noted once.
    let mine = app.get(&at, &me).await.body["mine"].clone();
    assert_eq!((mine["comments"].as_array().unwrap().len(), mine["answers"]["3"].as_i64()), (2, Some(5)));
    assert_eq!(count(&app, "point_events WHERE kind = 'consultation_answered' AND deputy_id = 1"), "1");
    let listed = app.get("/api/v1/consultations", &me).await.body.clone();
    let entry = listed.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(entry["answered"], true);
    // A constituent comments on the public text; 50 in a minute are throttled.
    let alice = constituent(&app, &g, "13800138061").await;
    app.post(&comments, &alice, json!({"article": 3, "text": "建议增加共享单车停放的规定。"})).await.expect(201, "");
    app.put(&ans, &alice, answers(2, 2)).await.expect(200, "");
    let mut statuses = vec![];
    for i in 0..50 {
        statuses.push(app.post(&comments, &alice, json!({"text": format!("第{i}条意见")})).await.status.as_u16());
    }
    assert!(statuses.contains(&429) && statuses.iter().filter(|s| **s == 201).count() < 10, "{statuses:?}");
    // A walk-in's view at the contact point: a phone only with consent.
    let walk = format!("{at}/walk-in-comments");
    let view = json!({"station_id": station, "channel": "visit", "article": 1, "text": "建议写明志愿服务激励。", "phone": "13800138062"});
    let no_consent = app.post(&walk, &staff, view.clone()).await;
    assert_eq!(no_consent.expect(422, "validation_failed").body["errors"][0]["code"], "consent_required");
    let mut with = view.clone();
    with["consent"] = json!(true);
    let w = app.post(&walk, &staff, with).await;
    assert_eq!(w.expect(201, "").body["author_kind"], "walk_in");
    assert!(!app.raw_strings("SELECT phone_sealed AS v FROM consultation_comments WHERE author_kind = 'walk_in'")[0]
        .clone()
        .unwrap()
        .contains("13800138062"));
    let mut elsewhere = view.clone();
    elsewhere["station_id"] = json!(station + 1000);
    app.post(&walk, &staff, elsewhere).await.expect(422, "validation_failed");
    app.post(&walk, &me, view).await.expect(403, "forbidden");
    // The results: comments per article with authors, counts with volumes, by level.
    let r = app.get(&format!("{at}/results?by=level"), &admin).await;
    let r = r.expect(200, "").body.clone();
    assert_eq!(
        (r["reached"].as_i64(), r["deputies_took_part"].as_i64(), r["respondents"].as_i64()),
        (Some(2), Some(2), Some(3))
    );
    let art2 = r["articles"].as_array().unwrap().iter().find(|a| a["number"] == 2).unwrap();
    assert_eq!(art2["comments"][0]["wording"], "本条例适用于本市。");
    let art3 = r["articles"].as_array().unwrap().iter().find(|a| a["number"] == 3).unwrap();
    assert_eq!(art3["comments"][0]["author"], "138****8061");
    let q1 = &r["questions"][0];
    assert_eq!(
        (q1["answered"].as_i64(), q1["counts"][0]["count"].as_i64(), q1["counts"][0]["permille"].as_i64()),
        (Some(3), Some(1), Some(333))
    );
    assert!(q1["groups"].as_array().unwrap().iter().any(|g| g["group"] == "public"));
    app.get(&format!("{at}/results"), &me).await.expect(403, "forbidden");
    let csv = app.get(&format!("{at}/results?format=csv"), &admin).await;
    assert!(csv.text.contains("'=HYPERLINK") && !csv.text.contains(",=HYPERLINK"), "{}", csv.text);
    let page = app.get(&format!("{at}/results?format=html"), &admin).await;
    assert!(
        page.text.contains("&#60;script&#62;alert(1)&#60;/script&#62;") && !page.text.contains("<script>alert"),
        "{}",
        page.text
    );
    // Decisions: the deputy gets a notice, the constituent a text.
    let ids: Vec<(i64, String)> = r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["comments"].as_array().unwrap().clone())
        .map(|c| (c["id"].as_i64().unwrap(), c["author_kind"].as_str().unwrap().to_string()))
        .collect();
    let deputy_c = ids.iter().find(|x| x.1 == "deputy").unwrap().0;
    let public_c = art3["comments"][0]["id"].as_i64().unwrap();
    let decide = |c: i64| format!("/api/v1/consultation-comments/{c}/decision");
    app.put(&decide(deputy_c), &admin, json!({"decision": "maybe", "reason": "x"}))
        .await
        .expect(422, "validation_failed");
    app.put(&decide(deputy_c), &shushan, json!({"decision": "adopted", "reason": "x"})).await.expect(404, "not_found");
    app.put(&decide(deputy_c), &admin, json!({"decision": "adopted", "reason": "已据此修改。"})).await.expect(200, "");
    let d = app
        .put(&decide(public_c), &admin, json!({"decision": "partly_adopted", "reason": "在第三条中增加原则性规定。"}))
        .await;
    assert_eq!(d.expect(200, "").body["decision"], "partly_adopted");
    assert!(app.get("/api/v1/me/inbox", &me).await.text.contains("意见采纳情况"));
    lvzhi::sms::deliver_once(&app.state).await.unwrap();
    assert!(g
        .for_token("13800138061")
        .iter()
        .any(|t| t.body["body"].as_str().unwrap_or_default().contains("部分采纳")));
    let mine = app.get(&at, &alice).await.body["mine"]["comments"].clone();
    assert!(mine.as_array().unwrap().iter().any(|c| c["decision"] == "partly_adopted"));
    // The feedback only after the close; then public, and answers are refused.
    let fb = format!("{at}/feedback");
    app.post(&fb, &admin, json!({"summary": "共收到意见若干条。"})).await.expect(409, "illegal_transition");
    app.clock.advance(chrono::Duration::hours(72));
    let (me, admin) = (app.login("13955110000").await, app.login("admin").await);
    app.post(&comments, &me, json!({"text": "晚了"})).await.expect(409, "consultation_closed");
    let report = app.post(&fb, &admin, json!({"summary": "共收到意见若干条，采纳两条。"})).await;
    let art = report.expect(200, "").body["articles"].as_array().unwrap().clone();
    assert_eq!(
        art.iter().map(|a| a["adopted"].as_i64().unwrap() + a["partly_adopted"].as_i64().unwrap()).sum::<i64>(),
        2
    );
    let public = app.send(app.client.get(app.url(&format!("/api/v1/public/consultations/{id}/feedback")))).await;
    assert_eq!(public.expect(200, "").body["summary"], "共收到意见若干条，采纳两条。");
    assert!(!public.text.contains("13800138061") && !public.text.contains("8061"));
    app.post(&fb, &admin, json!({"summary": "again"})).await.expect(409, "already_published");
    let listed = app.send(app.client.get(app.url(&format!("/api/v1/public/consultations?region_id={city}")))).await;
    assert_eq!(listed.expect(200, "").body[0]["status"], "feedback_published");
}
