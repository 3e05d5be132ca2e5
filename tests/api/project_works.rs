//! 民生实事 after the vote: the adopted projects carried out by their units (a lead and co-units)
//! against milestones — the red light and the daily text to the lead unit when one is overdue —
//! reported on with photos, inspected by deputies (remarks once, a point source), rated at year
//! end in secret and published with a digest anyone can recount; what the public and the
//! phone page show; and the opinion a candidate came from showing where it went.

use crate::browser::browser;
use crate::phone::Phone;
use crate::project_secrecy::columns;
use crate::project_setup::{check_in, choices, voting, Round};
use crate::reception::app_with_sms;
use serde_json::json;

/// The round voted by three present deputies (candidates 0 and 1 adopted) and closed.
async fn closed(app: &crate::helpers::TestApp, g: &crate::fake_gateway::Gateway) -> Round {
    let r = voting(app, g, 3, 3).await;
    for (_, t) in &r.deputies {
        app.post(&format!("/api/v1/project-rounds/{}/votes", r.id), t, choices(&r, 2)).await.expect(201, "");
    }
    let admin = app.login("admin").await;
    app.post(&format!("/api/v1/project-rounds/{}/close", r.id), &admin, json!({})).await.expect(200, "");
    r
}

async fn unit_id(app: &crate::helpers::TestApp, admin: &str, name: &str) -> i64 {
    let all = app.get("/api/v1/units?limit=200", admin).await;
    all.body["items"].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
pub async fn adopted_projects_are_carried_out_reported_on_inspected_and_shown_red_when_late() {
    let (app, g) = app_with_sms().await;
    let r = closed(&app, &g).await;
    let admin = app.login("admin").await;
    let (housing, transport) =
        (unit_id(&app, &admin, "合肥市住房和城乡建设局").await, unit_id(&app, &admin, "合肥市交通运输局").await);
    let (p0, p1, p2) = (r.candidates[0], r.candidates[1], r.candidates[2]);
    let project = |id: i64| format!("/api/v1/projects/{id}");
    let put = |path: String, body: serde_json::Value| {
        app.send(app.req(reqwest::Method::PUT, &path, Some(&admin)).json(&body))
    };
    // Only adopted candidates are projects; the round waits for every lead unit.
    app.get(&project(p2), &admin).await.expect(404, "not_found");
    let implement = format!("/api/v1/project-rounds/{}/implement", r.id);
    app.post(&implement, &admin, json!({})).await.expect(422, "validation_failed");
    put(format!("{}/units", project(p0)), json!({"lead_unit_id": 999999})).await.expect(422, "validation_failed");
    let set = put(format!("{}/units", project(p0)), json!({"lead_unit_id": housing, "co_unit_ids": [transport]})).await;
    assert_eq!(set.expect(200, "").body["co_units"][0]["id"], transport);
    put(format!("{}/units", project(p1)), json!({"lead_unit_id": transport})).await.expect(200, "");
    let started = app.post(&implement, &admin, json!({})).await;
    assert_eq!(started.expect(200, "").body["status"], "implementing");
    // Milestones: one already late, one ahead.
    let day = |d: i64| (app.clock.now() + chrono::Duration::days(d)).format("%Y-%m-%d").to_string();
    let ms = format!("{}/milestones", project(p0));
    app.post(&ms, &admin, json!({"title": "选址", "due_on": "2027-02-30"})).await.expect(422, "validation_failed");
    let late = app.post(&ms, &admin, json!({"title": "完成选址", "due_on": day(-2)})).await;
    let late_id = late.expect(201, "").body["milestones"][0]["id"].as_i64().unwrap();
    app.post(&ms, &admin, json!({"title": "建成投用", "due_on": day(60)})).await.expect(201, "");
    let red = app.get("/api/v1/projects?red=true", &admin).await;
    let ids: Vec<i64> = red.body.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![p0]);
    // The lead unit is texted once a day while it stays late.
    assert_eq!(lvzhi::projects::text_overdue_milestones(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::projects::text_overdue_milestones(&app.state).await.unwrap(), 0, "once a day");
    lvzhi::sms::deliver_once(&app.state).await.unwrap();
    let texts: Vec<String> =
        g.for_token("0551-63500001").iter().map(|x| x.body["body"].as_str().unwrap_or_default().to_string()).collect();
    assert!(texts.iter().any(|t| t.contains("完成选址") && t.contains("民生实事")), "{texts:?}");
    // Progress by the units, with a photo: the co-unit reports; others may not.
    let (lead, co) = (app.login("unit1").await, app.login("unit2").await);
    let demo = app.login("13955110000").await;
    let upload = |token: String| {
        let part = reqwest::multipart::Part::bytes(crate::opinion_photos::fixture("gps.jpg")).file_name("a.jpg");
        app.send(
            app.req(reqwest::Method::POST, "/api/v1/project-photos", Some(&token))
                .multipart(reqwest::multipart::Form::new().part("file", part)),
        )
    };
    upload(demo.clone()).await.expect(403, "forbidden");
    let photo = upload(co.clone()).await;
    let photo = photo.expect(201, "").body["id"].as_i64().unwrap();
    let progress = format!("{}/progress", project(p0));
    let report = json!({"quarter": "2027-Q1", "percent": 35, "spent_yuan": 900000, "text": "已完成选址和设计。", "photo_ids": [photo]});
    app.post(&progress, &demo, report.clone()).await.expect(403, "forbidden");
    app.post(&format!("{}/progress", project(p1)), &lead, report.clone()).await.expect(404, "not_found");
    app.post(&progress, &co, json!({"quarter": "2027-Q5", "percent": 101, "spent_yuan": 0, "text": "x"}))
        .await
        .expect(422, "validation_failed");
    let filed = app.post(&progress, &co, report.clone()).await;
    let v = filed.expect(201, "").body.clone();
    assert_eq!((v["percent"].as_i64(), v["progress"][0]["unit"]["id"].as_i64()), (Some(35), Some(transport)));
    let url = v["progress"][0]["photos"][0]["url"].as_str().unwrap().to_string();
    let img = app.send(app.client.get(app.url(&url))).await;
    assert_eq!(img.status.as_u16(), 200);
    app.post(&progress, &co, report.clone()).await.expect(422, "validation_failed");
    // The lead unit marks the late milestone done (a co-unit may not); the light goes off.
    let done = format!("{}/milestones/{late_id}/done", project(p0));
    app.post(&done, &co, json!({})).await.expect(403, "forbidden");
    let off = app.post(&done, &lead, json!({})).await;
    assert_eq!(off.expect(200, "").body["red"], false);
    app.post(&done, &lead, json!({})).await.expect(409, "illegal_transition");
    // An inspection: an event of kind inspection linked to the project; remarks once, when present.
    let start = app.clock.now() + chrono::Duration::minutes(1);
    let ev = app
        .post("/api/v1/events", &admin, json!({"kind": "inspection", "title": "视察老年助餐点建设", "region_id": r.city, "venue": "明光路街道",
            "latitude": 31.8206, "longitude": 117.2272, "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339()}))
        .await;
    let event = ev.body["id"].as_i64().expect("event");
    let link = format!("{}/inspections", project(p0));
    app.post(&link, &admin, json!({"event_id": r.event})).await.expect(422, "validation_failed");
    app.post(&link, &admin, json!({"event_id": event})).await.expect(201, "");
    app.post(&link, &admin, json!({"event_id": event})).await.expect(409, "already_exists");
    app.clock.advance(chrono::Duration::minutes(2));
    let (admin, demo) = (app.login("admin").await, app.login("13955110000").await);
    let remarks = format!("{}/inspections/{event}/remarks", project(p0));
    app.post(&remarks, &demo, json!({"text": "进度偏慢，建议加快。"})).await.expect(403, "not_present");
    check_in(&app, &admin, event, &demo).await;
    let given = app.post(&remarks, &demo, json!({"text": "进度偏慢，建议加快。"})).await;
    assert_eq!(given.expect(201, "").body["inspections"][0]["remarks"][0]["deputy_id"], 1);
    app.post(&remarks, &demo, json!({"text": "again"})).await.expect(409, "already_exists");
    let noted = app.raw_strings(&format!("SELECT CAST(deputy_id AS TEXT) AS v FROM point_events WHERE kind = 'project_inspected' AND source_id = {event}"));
    assert_eq!(noted, vec![Some("1".to_string())]);
    // The unit sees its projects only; a deputy of the congress sees them all.
    let mine = app.get("/api/v1/projects", &lead).await;
    let ids: Vec<i64> = mine.body.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![p0]);
    assert_eq!(app.get(&format!("/api/v1/projects?round_id={}", r.id), &demo).await.body.as_array().unwrap().len(), 2);
    // The opinion the third candidate came from shows where it went.
    let round = app.get(&format!("/api/v1/project-rounds/{}", r.id), &admin).await;
    let ticket = round.body["candidates"][2]["sources"]["opinions"][0].as_str().unwrap().to_string();
    let o = app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await;
    let events = o.expect(200, "").body["events"].as_array().unwrap().clone();
    assert!(events.iter().any(|e| e["note"].as_str().unwrap_or_default().contains("民生实事候选项目")), "{events:?}");
}

#[tokio::test]
pub async fn the_year_end_assessment_is_secret_published_recountable_and_public() {
    let (app, g) = app_with_sms().await;
    let r = closed(&app, &g).await;
    let admin = app.login("admin").await;
    let (housing, transport) =
        (unit_id(&app, &admin, "合肥市住房和城乡建设局").await, unit_id(&app, &admin, "合肥市交通运输局").await);
    let (p0, p1) = (r.candidates[0], r.candidates[1]);
    for (p, u) in [(p0, housing), (p1, transport)] {
        let body = json!({"lead_unit_id": u});
        app.send(app.req(reqwest::Method::PUT, &format!("/api/v1/projects/{p}/units"), Some(&admin)).json(&body))
            .await
            .expect(200, "");
    }
    let round = format!("/api/v1/project-rounds/{}", r.id);
    app.post(&format!("{round}/assessment/open"), &admin, json!({})).await.expect(409, "illegal_transition");
    app.post(&format!("{round}/implement"), &admin, json!({})).await.expect(200, "");
    let rate = format!("{round}/ratings");
    let sheet = |a: &str, b: &str| json!({"ratings": {p0.to_string(): a, p1.to_string(): b}});
    let (a, b) = (r.deputies[0].1.clone(), r.deputies[1].1.clone());
    app.post(&rate, &a, sheet("satisfied", "dissatisfied")).await.expect(409, "voting_closed");
    app.post(&format!("{round}/assess"), &admin, json!({})).await.expect(409, "voting_closed");
    app.post(&format!("{round}/assessment/open"), &admin, json!({})).await.expect(200, "");
    let seen = app.get(&format!("{round}/assessment"), &a).await;
    assert_eq!((seen.body["open"].as_bool(), seen.body["rated"].as_bool()), (Some(true), Some(false)));
    assert_eq!(seen.body["projects"].as_array().unwrap().len(), 2);
    app.post(&rate, &a, json!({"ratings": {p0.to_string(): "satisfied"}})).await.expect(422, "validation_failed");
    app.post(&rate, &a, sheet("great", "satisfied")).await.expect(422, "validation_failed");
    let first = app.post(&rate, &a, sheet("satisfied", "dissatisfied")).await;
    let receipt = first.expect(201, "").body["receipt"].as_str().unwrap().to_string();
    app.post(&rate, &a, sheet("satisfied", "satisfied")).await.expect(409, "already_rated");
    app.post(&rate, &admin, sheet("satisfied", "satisfied")).await.expect(403, "forbidden");
    app.post(&rate, &b, sheet("basically_satisfied", "dissatisfied")).await.expect(201, "");
    // While open a sheet is sealed, with nothing of the deputy; who rated has no time.
    assert_eq!(app.raw_strings("SELECT sealed AS v FROM project_pending_ratings").len(), 2);
    assert!(app.tables_containing(&receipt).is_empty());
    assert!(app.tables_containing("\"dissatisfied\"").is_empty());
    assert_eq!(columns(&app, "project_assessors"), ["round_id", "deputy_id"]);
    assert_eq!(columns(&app, "project_pending_ratings"), ["id", "round_id", "sealed"]);
    // Closing publishes every sheet under its receipt and the counts with their volumes.
    let closed = app.post(&format!("{round}/assess"), &admin, json!({})).await;
    let a_ = &closed.expect(200, "").body["assessment"];
    assert_eq!(a_["rated"], 2);
    assert!(a_["sheets"].as_array().unwrap().iter().any(|s| s["receipt"] == receipt.as_str()));
    let first_project = a_["projects"].as_array().unwrap().iter().find(|p| p["candidate_id"] == p0).unwrap();
    assert_eq!(
        (
            first_project["satisfied"].as_i64(),
            first_project["basically_satisfied"].as_i64(),
            first_project["satisfaction_permille"].as_i64()
        ),
        (Some(1), Some(1), Some(1000))
    );
    assert!(app.raw_strings("SELECT sealed AS v FROM project_pending_ratings").is_empty());
    // After: the receipt in the settled sheets and the published assessment only.
    let mut at = app.tables_containing(&receipt);
    at.sort();
    assert_eq!(at, ["project_ratings", "project_rounds"]);
    assert_eq!(columns(&app, "project_ratings"), ["receipt", "round_id", "choices"]);
    assert_eq!(app.get(&round, &admin).await.body["status"], "assessed");
    app.post(&rate, &b, sheet("satisfied", "satisfied")).await.expect(409, "voting_closed");
    // Anyone downloads and recounts it; a changed rating fails.
    let public = app.send(app.client.get(app.url(&format!("/api/v1/public/project-rounds/{}/assessment", r.id)))).await;
    assert_eq!(public.expect(200, "").body["digest"], closed.body["digest"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("assessment.json");
    std::fs::write(&file, &public.text).unwrap();
    let run = |f: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lvzhi")).arg("verify-tally").arg(f).output().unwrap()
    };
    let ok = run(&file);
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("assessment verified"),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    std::fs::write(&file, public.text.replacen("\"dissatisfied\"", "\"satisfied\"", 1)).unwrap();
    assert_eq!(run(&file).status.code(), Some(1));
    // The public list and the phone page: ranked projects, their units and ratings.
    let city = app.get(&format!("/api/v1/regions/{}", r.city), &admin).await.body["code"].as_str().unwrap().to_string();
    let anon = |path: String| app.send(app.client.get(app.url(&path)));
    let list = anon(format!("/api/v1/public/projects?region={city}")).await;
    let items = list.expect(200, "").body.as_array().unwrap().clone();
    assert_eq!(items.iter().map(|p| p["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![p0, p1]);
    assert_eq!(
        (items[0]["lead_unit"].as_str(), items[0]["assessment"]["satisfied"].as_i64()),
        (Some("合肥市住房和城乡建设局"), Some(1))
    );
    anon("/api/v1/public/projects".into()).await.expect(422, "validation_failed");
    anon("/api/v1/public/projects?region=999999".into()).await.expect(404, "not_found");
    let station = app.get("/api/v1/stations/1", &admin).await.body["public_code"].as_str().unwrap().to_string();
    let near = anon(format!("/api/v1/public/projects?station={station}")).await;
    assert_eq!(near.expect(200, "").body.as_array().unwrap().len(), 2);
    let mut phone = Phone::new(&app);
    let page = phone.get(&format!("/m/{station}/projects")).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("新建社区老年食堂") && page.html.contains("满意度"), "{}", page.html);
}

#[tokio::test]
pub async fn the_station_page_leads_a_phone_to_the_projects_under_way() {
    let Some(b) = browser().await else { return };
    let (app, g) = app_with_sms().await;
    let r = closed(&app, &g).await;
    let admin = app.login("admin").await;
    let housing = unit_id(&app, &admin, "合肥市住房和城乡建设局").await;
    let body = json!({"lead_unit_id": housing});
    let put =
        app.req(reqwest::Method::PUT, &format!("/api/v1/projects/{}/units", r.candidates[0]), Some(&admin)).json(&body);
    app.send(put).await.expect(200, "");
    let late = (app.clock.now() - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let ms = format!("/api/v1/projects/{}/milestones", r.candidates[0]);
    app.post(&ms, &admin, json!({"title": "完成选址", "due_on": late})).await.expect(201, "");
    let station = app.get("/api/v1/stations/1", &admin).await.body["public_code"].as_str().unwrap().to_string();
    b.open(&app, &format!("/m/{station}")).await;
    b.click(&format!("a.button[href='/m/{station}/projects']")).await;
    b.wait_path(&format!("/m/{station}/projects")).await;
    let html = b.html().await;
    assert!(
        html.contains("新建社区老年食堂")
            && html.contains("合肥市住房和城乡建设局（牵头）")
            && html.contains("有节点逾期"),
        "{html}"
    );
    b.shot("projects").await;
    let problems = b.axe("projects").await;
    assert!(problems.is_empty(), "{problems:?}");
}
