//! Courses (培训学习): staff set an online course with materials and a quiz; a deputy opens the
//! materials, answers within the attempts allowed (a doubled submission counts once), and
//! completes the course once studied and passed, which earns the training points once; a
//! closed course takes no answers; the answers are never shown; scope is kept.

use crate::project_setup::deputy_token;
use crate::reception::app_with_sms;
use serde_json::json;

fn course(city: i64, closes: &str, max_attempts: i64) -> serde_json::Value {
    json!({
        "region_id": city, "term": 16, "title": "代表履职基础（初任培训）", "kind": "online", "initial": true,
        "materials": [
            {"title": "代表法解读", "kind": "document", "url": "https://example.org/daibiaofa.pdf"},
            {"title": "履职案例视频", "kind": "video", "url": "https://example.org/anli.mp4"}
        ],
        "min_seconds": 600, "pass_mark": 60, "max_attempts": max_attempts, "closes_on": closes,
        "questions": [
            {"kind": "single", "text": "代表联络站的主要职能是？", "options": ["联系群众", "招商引资", "行政审批"], "answer": [0]},
            {"kind": "multiple", "text": "代表建议的办理环节包括？", "options": ["交办", "答复", "评价", "拍卖"], "answer": [0, 1, 2]},
            {"kind": "true_false", "text": "代表可以委托他人代为表决。", "answer": [1]}
        ]
    })
}

#[tokio::test]
pub async fn a_deputy_studies_answers_and_completes_an_online_course_once() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let me = app.login("13955110000").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let closes = (app.clock.now() + chrono::Duration::days(30))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    // Bad courses are refused with their fields named.
    let mut bad = course(city, &closes, 3);
    bad["questions"][0]["answer"] = json!([5]);
    bad["materials"][0]["url"] = json!("javascript:alert(1)");
    let refused = app.post("/api/v1/courses", &admin, bad).await;
    let fields: Vec<&str> = refused.expect(422, "validation_failed").body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"questions.answer") && fields.contains(&"materials.url"), "{fields:?}");
    app.post(
        "/api/v1/courses",
        &admin,
        json!({"region_id": city, "term": 16, "title": "线下", "kind": "offline", "closes_on": closes}),
    )
    .await
    .expect(422, "validation_failed");
    app.post("/api/v1/courses", &me, course(city, &closes, 3)).await.expect(403, "forbidden");
    let made = app.post("/api/v1/courses", &admin, course(city, &closes, 3)).await;
    let id = made.expect(201, "").body["id"].as_i64().unwrap();
    // The deputy sees it, never the answers.
    let seen = app.get("/api/v1/courses", &me).await;
    let mine = seen.expect(200, "").body.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!((mine["questions"].as_array().unwrap().len(), mine["progress"]["next_attempt"].as_i64()), (3, Some(1)));
    assert!(!seen.text.contains("\"answer\""));
    assert_eq!(mine["questions"][2]["options"], json!(["是", "否"]));
    // A wrong attempt; the same one again is a replay; with other answers a conflict.
    let attempts = format!("/api/v1/courses/{id}/attempts");
    let wrong = json!({"attempt": 1, "answers": [[1], [0, 1], [0]]});
    let first = app.post(&attempts, &me, wrong.clone()).await;
    assert_eq!((first.expect(201, "").body["score"].as_i64(), first.body["passed"].as_bool()), (Some(0), Some(false)));
    app.post(&attempts, &me, wrong).await.expect(200, "");
    app.post(&attempts, &me, json!({"attempt": 1, "answers": [[0], [0], [0]]})).await.expect(409, "already_exists");
    app.post(&attempts, &me, json!({"attempt": 5, "answers": [[0], [0], [0]]})).await.expect(409, "illegal_transition");
    // Two concurrent submissions of attempt 2 count once.
    let two = json!({"attempt": 2, "answers": [[0], [0], [0]]});
    let (a, b) = tokio::join!(app.post(&attempts, &me, two.clone()), app.post(&attempts, &me, two));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert!(statuses == [200, 201], "{statuses:?}: {} {}", a.text, b.text);
    let counted =
        app.raw_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM course_attempts WHERE course_id = {id}"));
    assert_eq!(counted, vec![Some("2".into())]);
    // Passed, but the materials were not open long enough: not complete yet.
    let pass = app.post(&attempts, &me, json!({"attempt": 3, "answers": [[0], [2, 0, 1], [1]]})).await;
    assert_eq!(
        (pass.expect(201, "").body["score"].as_i64(), pass.body["completed"].as_bool()),
        (Some(100), Some(false))
    );
    app.post(&attempts, &me, json!({"attempt": 4, "answers": [[0], [0], [0]]})).await.expect(409, "already_decided");
    let complete = format!("/api/v1/courses/{id}/complete");
    app.post(&complete, &me, json!({})).await.expect(409, "course_incomplete");
    for n in 0..2 {
        app.post(&format!("/api/v1/courses/{id}/materials/{n}/open"), &me, json!({})).await.expect(200, "");
    }
    app.post(&format!("/api/v1/courses/{id}/materials/9/open"), &me, json!({})).await.expect(404, "not_found");
    app.post(&complete, &me, json!({})).await.expect(409, "course_incomplete");
    app.clock.advance(chrono::Duration::seconds(601));
    let done = app.post(&complete, &me, json!({})).await;
    assert!(done.expect(200, "").body["progress"]["completed_at"].is_string());
    app.post(&complete, &me, json!({})).await.expect(200, "");
    let points = app.raw_strings("SELECT kind AS v FROM point_events WHERE kind = 'course_completed'");
    assert_eq!(points.len(), 1, "completion earns points once");
    // Staff read the records; another county's staff and an unseated deputy see nothing.
    let recs = app.get(&format!("/api/v1/courses/{id}/records"), &admin).await;
    let r = &recs.expect(200, "").body[0];
    assert_eq!(
        (r["deputy_id"].as_i64(), r["attempts"].as_i64(), r["best_score"].as_i64()),
        (Some(1), Some(3), Some(100))
    );
    app.get(&format!("/api/v1/courses/{id}/records"), &me).await.expect(403, "forbidden");
    let district = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan3", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": district});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan3", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    app.get(&format!("/api/v1/courses/{id}"), &shushan).await.expect(404, "not_found");
}

#[tokio::test]
pub async fn attempts_run_out_and_a_closed_course_takes_no_answers() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let me = deputy_token(&app, &admin, 2).await;
    let today = app.today();
    let once = app.post("/api/v1/courses", &admin, course(city, &today, 1)).await;
    let id = once.expect(201, "").body["id"].as_i64().unwrap();
    let attempts = format!("/api/v1/courses/{id}/attempts");
    app.post(&attempts, &me, json!({"attempt": 1, "answers": [[1], [1], [0]]})).await.expect(201, "");
    app.post(&attempts, &me, json!({"attempt": 2, "answers": [[0], [0, 1, 2], [1]]}))
        .await
        .expect(409, "attempts_used");
    let other = app.post("/api/v1/courses", &admin, course(city, &today, 3)).await;
    let other = other.expect(201, "").body["id"].as_i64().unwrap();
    app.clock.advance(chrono::Duration::days(2));
    let me = app.login_raw("13955120002", "deputy-pw-123").await.body["access_token"].as_str().unwrap().to_string();
    let late = app
        .post(
            &format!("/api/v1/courses/{other}/attempts"),
            &me,
            json!({"attempt": 1, "answers": [[0], [0, 1, 2], [1]]}),
        )
        .await;
    late.expect(409, "course_closed");
    app.post(&format!("/api/v1/courses/{other}/materials/0/open"), &me, json!({})).await.expect(409, "course_closed");
}

#[tokio::test]
pub async fn the_demo_deputy_completes_the_demo_course_and_the_coverage_counts_it() {
    let app = crate::helpers::spawn_app().await;
    lvzhi::demo::seed(&app.state).await.unwrap();
    let (admin, me) = (app.login("admin").await, app.login("13955110000").await);
    // The demo holds links, fixed contacts (one overdue), a sitting-in meeting and the course.
    assert_eq!(app.get("/api/v1/me/liaison-links", &me).await.expect(200, "").body.as_array().unwrap().len(), 3);
    let contacts = app.get("/api/v1/me/fixed-contacts", &me).await;
    let overdue: Vec<bool> =
        contacts.body.as_array().unwrap().iter().map(|c| c["overdue"].as_bool().unwrap()).collect();
    assert_eq!(overdue, vec![false, true]);
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    assert!(app.get(&format!("/api/v1/sitting-in/next?region_id={city}&n=5"), &admin).await.expect(200, "").body
        ["next"]
        .is_array());
    let courses = app.get("/api/v1/courses", &me).await;
    let course = courses.body.as_array().unwrap().iter().find(|c| c["initial"] == true).unwrap().clone();
    let id = course["id"].as_i64().unwrap();
    let trained = |v: &serde_json::Value| {
        v["obligations"].as_array().unwrap().iter().find(|o| o["code"] == "trained").unwrap()["covered"]
            .as_i64()
            .unwrap()
    };
    let before = trained(&app.get(&format!("/api/v1/coverage?congress={city}"), &admin).await.body);
    for n in 0..course["materials"].as_array().unwrap().len() {
        app.post(&format!("/api/v1/courses/{id}/materials/{n}/open"), &me, json!({})).await.expect(200, "");
    }
    app.clock.advance(chrono::Duration::seconds(course["min_seconds"].as_i64().unwrap()));
    let me = app.login("13955110000").await;
    let answers = json!({"attempt": 1, "answers": [[0], [0, 1, 2], [1]]});
    let done = app.post(&format!("/api/v1/courses/{id}/attempts"), &me, answers).await;
    assert_eq!(
        (done.expect(201, "").body["passed"].as_bool(), done.body["completed"].as_bool()),
        (Some(true), Some(true))
    );
    let admin = app.login("admin").await;
    assert_eq!(trained(&app.get(&format!("/api/v1/coverage?congress={city}"), &admin).await.body), before + 1);
}

#[tokio::test]
pub async fn an_offline_course_is_completed_by_attending_its_training() {
    let (app, _g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let me = app.login("13955110000").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let now = app.clock.now();
    let event = |kind: &str| {
        json!({"kind": kind, "title": "履职能力培训班", "region_id": city, "venue": "市人大常委会会议室",
            "latitude": 31.8206, "longitude": 117.2272, "starts_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
            "ends_at": (now + chrono::Duration::hours(3)).to_rfc3339(), "invitee_ids": [1]})
    };
    let training =
        app.post("/api/v1/events", &admin, event("training")).await.expect(201, "").body["id"].as_i64().unwrap();
    let meeting =
        app.post("/api/v1/events", &admin, event("meeting")).await.expect(201, "").body["id"].as_i64().unwrap();
    let closes = app.today();
    let offline = |e: i64| json!({"region_id": city, "term": 16, "title": "线下培训", "kind": "offline", "event_id": e, "closes_on": closes});
    let refused = app.post("/api/v1/courses", &admin, offline(meeting)).await;
    assert_eq!(refused.expect(422, "validation_failed").body["errors"][0]["field"], "event_id");
    let id = app.post("/api/v1/courses", &admin, offline(training)).await.expect(201, "").body["id"].as_i64().unwrap();
    let complete = format!("/api/v1/courses/{id}/complete");
    app.post(&complete, &me, json!({})).await.expect(409, "course_incomplete");
    app.post(&format!("/api/v1/courses/{id}/attempts"), &me, json!({"attempt": 1, "answers": []}))
        .await
        .expect(409, "illegal_transition");
    crate::project_setup::check_in(&app, &admin, training, &me).await;
    assert!(app.post(&complete, &me, json!({})).await.expect(200, "").body["progress"]["completed_at"].is_string());
    let points = app.raw_strings("SELECT kind AS v FROM point_events WHERE kind = 'course_completed'");
    assert!(points.is_empty(), "the training's attendance earns its points, not the course");
}
