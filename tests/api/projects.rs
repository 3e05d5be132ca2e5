//! 民生实事项目票决制: a round collected (from a deputy, staff and a constituent's opinion),
//! screened, voted at the session by the deputies present (once each; paper voters and their
//! tally under maker-checker), closed with a tally anyone can recount, and the abuse it must
//! survive.

use crate::project_setup::{check_in, choices, voting};
use crate::reception::app_with_sms;
use serde_json::json;
use std::process::Command;

fn verify_tally(file: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lvzhi")).arg("verify-tally").arg(file).output().unwrap()
}

#[tokio::test]
pub async fn a_round_is_voted_by_those_present_and_its_tally_recounts() {
    let (app, g) = app_with_sms().await;
    let r = voting(&app, &g, 4, 2).await;
    let admin = app.login("admin").await;
    let votes = format!("/api/v1/project-rounds/{}/votes", r.id);
    let ((_, a), (b_id, b), (c_id, c), (_, d)) =
        (r.deputies[0].clone(), r.deputies[1].clone(), r.deputies[2].clone(), r.deputies[3].clone());
    // What a deputy sees: the ballot of three, two approvals at most.
    let ballot = app.get(&format!("/api/v1/project-rounds/{}/ballot", r.id), &a).await;
    assert_eq!(
        (ballot.body["candidates"].as_array().unwrap().len(), ballot.body["max_approvals"].as_i64()),
        (3, Some(2))
    );
    // Seated but not checked in; too many approvals; a candidate off the ballot; no answer for one.
    app.post(&votes, &c, choices(&r, 1)).await.expect(403, "not_present");
    app.post(&votes, &a, choices(&r, 3)).await.expect(422, "too_many_approvals");
    let mut off = choices(&r, 1);
    off["choices"]["999999"] = json!("approve");
    app.post(&votes, &a, off).await.expect(422, "validation_failed");
    let mut short = choices(&r, 1);
    short["choices"].as_object_mut().unwrap().remove(&r.candidates[2].to_string());
    app.post(&votes, &a, short).await.expect(422, "validation_failed");
    // A deputy votes once: a receipt; again is 409.
    let first = app.post(&votes, &a, choices(&r, 2)).await;
    let receipt_a = first.expect(201, "").body["receipt"].as_str().unwrap().to_string();
    assert_eq!(receipt_a.len(), 32);
    app.post(&votes, &a, choices(&r, 1)).await.expect(409, "already_voted");
    assert_eq!(app.get(&format!("/api/v1/project-rounds/{}/ballot", r.id), &a).await.body["voted"], true);
    // 50 submissions at once by one deputy: exactly one ballot.
    let sends = (0..50).map(|_| app.post(&votes, &b, choices(&r, 1)));
    let answers = futures_util::future::join_all(sends).await;
    let taken: Vec<String> =
        answers.iter().filter(|x| x.status == 201).map(|x| x.body["receipt"].as_str().unwrap().to_string()).collect();
    assert_eq!(taken.len(), 1, "{:?}", answers.iter().map(|x| x.status).collect::<Vec<_>>());
    assert!(answers.iter().filter(|x| x.status != 201).all(|x| x.status == 409 && x.body["code"] == "already_voted"));
    let receipt_b = taken[0].clone();
    // Deputy c votes on paper: staff record it, and the app refuses c afterwards.
    let paper = format!("/api/v1/project-rounds/{}/paper-voters", r.id);
    app.post(&paper, &a, json!({"deputy_ids": [c_id]})).await.expect(404, "not_found");
    let rec = app.post(&paper, &admin, json!({"deputy_ids": [c_id]})).await;
    assert_eq!(rec.expect(200, "").body["recorded"], 1);
    app.post(&paper, &admin, json!({"deputy_ids": [b_id]})).await.expect(409, "already_voted");
    check_in(&app, &admin, r.event, &c).await;
    app.post(&votes, &c, choices(&r, 1)).await.expect(409, "already_voted");
    // The paper tally: no more ballots than paper voters; its proposer cannot approve it.
    let tallies = format!("/api/v1/project-rounds/{}/paper-tallies", r.id);
    let count = |n: i64| json!([{"candidate_id": r.candidates[0], "approve": n, "oppose": 0, "abstain": 0}]);
    let over = app.post(&tallies, &admin, json!({"ballots": 2, "counts": count(2)})).await;
    assert_eq!(over.expect(422, "validation_failed").body["errors"][0]["code"], "too_many_ballots");
    let t = app.post(&tallies, &admin, json!({"ballots": 1, "counts": count(1)})).await;
    let tally = t.expect(201, "").body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/project-rounds/{}/close", r.id), &admin, json!({})).await.expect(409, "tallies_pending");
    app.post(&format!("{tallies}/{tally}/approve"), &admin, json!({})).await.expect(403, "maker_checker");
    let root = app.root_token().await;
    app.post(&format!("{tallies}/{tally}/approve"), &root, json!({})).await.expect(200, "");
    // Closing publishes every ballot, the paper count and the result with its digest.
    let closed = app.post(&format!("/api/v1/project-rounds/{}/close", r.id), &admin, json!({})).await;
    closed.expect(200, "");
    let feed = app.get("/api/v1/feed?types=cn.lvzhi.project_round.result_published", &admin).await;
    let told = &feed.expect(200, "").body["items"].as_array().unwrap().last().unwrap()["data"];
    assert_eq!((&told["round_id"], &told["digest"]), (&json!(r.id), &closed.body["digest"]));
    let tally = &closed.body["tally"];
    let receipts: Vec<&str> =
        tally["ballots"].as_array().unwrap().iter().map(|b| b["receipt"].as_str().unwrap()).collect();
    assert_eq!(receipts.len(), 2);
    assert!(receipts.contains(&receipt_a.as_str()) && receipts.contains(&receipt_b.as_str()));
    assert_eq!(tally["paper_ballots"], 1);
    // Candidate 0: approved by a, b and on paper (3 of 3 cast); candidate 1 by a only.
    let top = &tally["results"][0];
    assert_eq!(
        (top["candidate_id"].as_i64(), top["approve"].as_i64(), top["adopted"].as_bool()),
        (Some(r.candidates[0]), Some(3), Some(true))
    );
    assert_eq!(
        (tally["results"][1]["approve"].as_i64(), tally["results"][1]["adopted"].as_bool()),
        (Some(1), Some(false))
    );
    app.post(&votes, &d, choices(&r, 1)).await.expect(409, "voting_closed");
    // Anyone downloads it and recounts; a changed ballot fails.
    let public = app.send(app.client.get(app.url(&format!("/api/v1/public/project-rounds/{}/result", r.id)))).await;
    assert_eq!(public.expect(200, "").body["digest"], closed.body["digest"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("result.json");
    std::fs::write(&file, &public.text).unwrap();
    let ok = verify_tally(&file);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("tally verified"));
    let tampered = public.text.replacen("\"oppose\"", "\"approve\"", 1);
    std::fs::write(&file, tampered).unwrap();
    let bad = verify_tally(&file);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("tally rejected"));
    // Voting is a point source, once per round, for app and paper voters alike.
    let noted = app.raw_strings(&format!(
        "SELECT CAST(deputy_id AS TEXT) AS v FROM point_events WHERE kind = 'project_voted' AND source_id = {} ORDER BY deputy_id",
        r.id
    ));
    assert_eq!(noted.len(), 3);
}

#[tokio::test]
pub async fn other_regions_staff_and_deputies_of_other_congresses_are_kept_out() {
    let (app, g) = app_with_sms().await;
    let r = voting(&app, &g, 1, 1).await;
    let admin = app.login("admin").await;
    let county = app.region_id(&admin, "340104").await;
    let body = json!({"username": "shushan", "password": "shushan-pw-1", "role": "admin", "display_name": "蜀山区", "region_id": county});
    app.post("/api/v1/accounts", &admin, body).await.expect(201, "");
    let shushan = app.login_raw("shushan", "shushan-pw-1").await.body["access_token"].as_str().unwrap().to_string();
    let round = format!("/api/v1/project-rounds/{}", r.id);
    app.get(&round, &shushan).await.expect(404, "not_found");
    app.post(&format!("{round}/close"), &shushan, json!({})).await.expect(404, "not_found");
    app.post(&format!("{round}/paper-voters"), &shushan, json!({"deputy_ids": [1]})).await.expect(404, "not_found");
    assert!(app
        .get(&format!("/api/v1/project-rounds?region_id={county}"), &shushan)
        .await
        .body
        .as_array()
        .unwrap()
        .is_empty());
    // A deputy seated only below the city is not of this congress.
    let page = app.get(&format!("/api/v1/deputies?region_id={county}&limit=200"), &admin).await;
    let outsider = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["seats"].as_array().unwrap().iter().all(|s| s["region_id"] != r.city))
        .map(|d| d["id"].as_i64().unwrap())
        .unwrap();
    let t = crate::project_setup::deputy_token(&app, &admin, outsider).await;
    app.get(&round, &t).await.expect(404, "not_found");
    app.post(&format!("{round}/votes"), &t, choices(&r, 1)).await.expect(403, "not_present");
    // Candidates are gathered while collecting only; steps out of order are refused.
    let late = json!({"title": "x", "description": "y"});
    app.post(&format!("{round}/candidates"), &admin, late).await.expect(409, "illegal_transition");
    app.post(&format!("{round}/screen"), &admin, json!({})).await.expect(409, "illegal_transition");
    // Before the vote opened nobody votes: a second round still collecting.
    let r2 =
        app.post("/api/v1/project-rounds", &admin, json!({"region_id": r.city, "year": 2028, "title": "2028年"})).await;
    let id2 = r2.expect(201, "").body["id"].as_i64().unwrap();
    let demo = app.login("13955110000").await;
    app.post(&format!("/api/v1/project-rounds/{id2}/votes"), &demo, choices(&r, 1)).await.expect(409, "voting_closed");
    app.post("/api/v1/project-rounds", &demo, json!({"year": 2028, "title": "x"})).await.expect(403, "forbidden");
    // A ticket with a NUL byte or other junk names no opinion (found by contract fuzzing).
    let junk = json!({"ticket": "\u{0}{\u{a0}ô"});
    app.post(&format!("/api/v1/project-rounds/{id2}/candidates/from-opinion"), &admin, junk)
        .await
        .expect(404, "not_found");
}
