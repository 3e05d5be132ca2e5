//! Deputies' suggestions: filed with a co-signer, accepted and assigned by staff, handled by a
//! unit that logs a contact and replies, rated by the author; the points appear once.

use crate::helpers::*;
use serde_json::{json, Value};

/// The region of a deputy's first seat, and another deputy with a seat there and one without.
pub async fn peers(app: &TestApp, admin: &str) -> (i64, i64, i64) {
    let me = app.get("/api/v1/deputies/1", admin).await;
    let region = me.body["seats"][0]["region_id"].as_i64().unwrap();
    let (mut inside, mut outside) = (None, None);
    for id in 2..=400 {
        let d = app.get(&format!("/api/v1/deputies/{id}"), admin).await;
        let seated = d.body["seats"].as_array().unwrap().iter().any(|s| s["region_id"] == region);
        match seated {
            true if inside.is_none() => inside = Some(id),
            false if outside.is_none() => outside = Some(id),
            _ => {}
        }
        if inside.is_some() && outside.is_some() {
            break;
        }
    }
    (region, inside.unwrap(), outside.unwrap())
}

pub async fn deputy_login(app: &TestApp, admin: &str, deputy: i64) -> String {
    let user = format!("cosigner{deputy}");
    app.post(
        "/api/v1/accounts",
        admin,
        json!({"username": user, "password": "cosigner-pw-1", "role": "deputy", "display_name": "联名代表", "deputy_id": deputy}),
    )
    .await
    .expect(201, "");
    let t = app.login_raw(&user, "cosigner-pw-1").await;
    t.body["access_token"].as_str().unwrap().to_string()
}

pub fn at(id: i64, action: &str) -> String {
    format!("/api/v1/suggestions/{id}/{action}")
}

#[tokio::test]
pub async fn a_suggestion_with_a_cosigner_is_assigned_handled_replied_and_rated_and_earns_points_once() {
    let app = spawn_demo().await;
    let (admin, author, unit, unit2) =
        (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await, app.login("unit2").await);
    let (region, peer, stranger) = peers(&app, &admin).await;
    let cosigner = deputy_login(&app, &admin, peer).await;
    let draft = json!({"title": "关于增设老旧小区电梯的建议", "content": "建议市政府加大老旧小区加装电梯补贴。", "category": "urban_construction", "period": "recess", "region_id": region});
    // A co-signer outside the congress is refused; staff and units file nothing.
    let mut bad = draft.clone();
    bad["cosigner_ids"] = json!([stranger]);
    let refused = app.post("/api/v1/suggestions", &author, bad).await;
    assert_eq!(refused.expect(422, "validation_failed").body["errors"][0]["code"], "cosigner_out_of_scope");
    app.post("/api/v1/suggestions", &admin, draft.clone()).await.expect(403, "forbidden");
    let mut good = draft.clone();
    good["cosigner_ids"] = json!([peer]);
    good["publish_consent"] = json!(true);
    let s = app.post("/api/v1/suggestions", &author, good).await;
    s.expect(201, "");
    let id = s.body["id"].as_i64().unwrap();
    assert_eq!(
        (s.body["status"].as_str(), s.body["cosigners"][0]["status"].as_str()),
        (Some("draft"), Some("invited"))
    );
    // A PDF attached by the author (an executable named .pdf is refused; only the author attaches).
    let pdf = lvzhi::demo::agenda_pdf();
    let send = |who: &str, name: &str, bytes: &[u8]| {
        let (ct, body) = crate::delivery::multipart(name, bytes);
        app.send(
            app.req(reqwest::Method::POST, &at(id, "attachments"), Some(who)).header("content-type", ct).body(body),
        )
    };
    send(&author, "filename=\"exe.pdf\"", b"MZ\x90\x00 not a pdf at all").await.expect(415, "unsupported_media_type");
    send(&cosigner, "filename=\"report.pdf\"", &pdf).await.expect(403, "forbidden");
    let up = send(&author, "filename=\"report.pdf\"", &pdf).await;
    up.expect(201, "");
    let link = up.body["url"].as_str().unwrap().to_string();
    let file = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().await.unwrap().as_ref(), pdf.as_slice());
    app.send(app.client.get(app.url(&link.replace("exp=", "exp=1")))).await.expect(403, "link_invalid");
    // Staff do not see drafts; submitting waits for the co-signer.
    app.get(&format!("/api/v1/suggestions/{id}"), &admin).await.expect(404, "not_found");
    app.post(&at(id, "submit"), &author, json!({})).await.expect(409, "cosigners_pending");
    app.post(&at(id, "cosign"), &author, json!({"confirm": true})).await.expect(403, "forbidden");
    let c = app.post(&at(id, "cosign"), &cosigner, json!({"confirm": true})).await;
    assert_eq!(c.expect(200, "").body["cosigners"][0]["status"], "confirmed");
    app.post(&at(id, "cosign"), &cosigner, json!({"confirm": false})).await.expect(409, "already_decided");
    let sub = app.post(&at(id, "submit"), &author, json!({})).await;
    sub.expect(200, "");
    assert!(sub.body["number"].as_str().unwrap().starts_with("JY20"), "{}", sub.text);
    // Staff: return for revision (reason required), the author revises and resubmits, accepted.
    app.post(&at(id, "return"), &admin, json!({"reason": " "})).await.expect(422, "validation_failed");
    app.post(&at(id, "return"), &admin, json!({"reason": "请补充具体措施"})).await.expect(200, "");
    app.post(
        &at(id, "revise"),
        &author,
        json!({"title": "关于增设老旧小区电梯的建议", "content": "建议：一、提高补贴；二、简化审批。", "category": "urban_construction"}),
    )
    .await
    .expect(200, "");
    app.post(&at(id, "submit"), &author, json!({})).await.expect(200, "");
    app.post(&at(id, "assign"), &admin, json!({"lead_unit_id": 1})).await.expect(409, "illegal_transition");
    app.post(&at(id, "accept"), &admin, json!({})).await.expect(200, "");
    // Assigned to unit 1 (lead) and unit 2 (co-handling), a key suggestion; no more withdrawing.
    app.post(&at(id, "assign"), &admin, json!({"lead_unit_id": 99})).await.expect(422, "validation_failed");
    let a = app
        .post(&at(id, "assign"), &admin, json!({"lead_unit_id": 1, "co_unit_ids": [2], "key_leader": "王副主任"}))
        .await;
    a.expect(200, "");
    assert_eq!(
        (a.body["status"].as_str(), a.body["key_leader"].as_str(), a.body["units"].as_array().map(Vec::len)),
        (Some("assigned"), Some("王副主任"), Some(2))
    );
    assert!(a.body["due_at"].is_string() && a.body["overdue"] == false);
    app.post(&at(id, "withdraw"), &author, json!({})).await.expect(409, "illegal_transition");
    // The units: acknowledge; the co-handling unit may not reply; no reply without a contact.
    app.post(&at(id, "acknowledge"), &unit, json!({})).await.expect(200, "");
    let reply = json!({"classification": "B", "body": "已列入明年计划，正在推进。"});
    app.post(&at(id, "reply"), &unit2, reply.clone()).await.expect(403, "forbidden");
    let none = app.post(&at(id, "reply"), &unit, reply.clone()).await;
    assert_eq!(none.expect(422, "validation_failed").body["errors"][0]["code"], "contact_required");
    app.post(&at(id, "contacts"), &unit, json!({"channel": "fax", "contacted_on": app.today(), "summary": "x"}))
        .await
        .expect(422, "validation_failed");
    app.post(
        &at(id, "contacts"),
        &unit,
        json!({"channel": "visit", "contacted_on": app.today(), "summary": "登门听取代表意见"}),
    )
    .await
    .expect(200, "");
    let r = app.post(&at(id, "reply"), &unit, reply.clone()).await;
    assert_eq!(
        (r.expect(200, "").body["status"].as_str(), r.body["classification"].as_str()),
        (Some("replied"), Some("B"))
    );
    // The author heard of the return and of the reply by notices of their own (inbox and push).
    let inbox = app.get("/api/v1/me/inbox", &author).await;
    let titles: Vec<&str> =
        inbox.body["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("您的建议已答复")) && titles.iter().any(|t| t.starts_with("建议退回修改")),
        "{titles:?}"
    );
    // Only the author rates it (403 for the co-signer and staff); unsatisfied sends it back once.
    let path = at(id, "evaluate");
    let rate = |who: &str, sat: &str| {
        let (who, body) = (who.to_string(), json!({"satisfaction": sat, "comment": "进度太慢"}));
        let (app, path) = (&app, &path);
        async move { app.post(path, &who, body).await }
    };
    rate(&cosigner, "satisfied").await.expect(403, "forbidden");
    rate(&admin, "satisfied").await.expect(403, "forbidden");
    let again = rate(&author, "unsatisfied").await;
    assert_eq!(
        (again.expect(200, "").body["status"].as_str(), again.body["round"].as_i64()),
        (Some("assigned"), Some(2))
    );
    assert_eq!(
        app.post(&at(id, "reply"), &unit, reply.clone()).await.expect(422, "validation_failed").body["errors"][0]
            ["code"],
        "contact_required"
    );
    app.post(
        &at(id, "contacts"),
        &unit,
        json!({"channel": "meeting", "contacted_on": app.today(), "summary": "座谈会"}),
    )
    .await
    .expect(200, "");
    app.post(&at(id, "reply"), &unit, json!({"classification": "A", "body": "已落实。"})).await.expect(200, "");
    let done = rate(&author, "satisfied").await;
    assert_eq!(
        (done.expect(200, "").body["status"].as_str(), done.body["satisfaction"].as_str()),
        (Some("evaluated"), Some("satisfied"))
    );
    rate(&author, "satisfied").await.expect(409, "illegal_transition");
    // Every step is in the history and the audit log.
    let steps: Vec<&str> =
        done.body["events"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        vec![
            "draft",
            "submitted",
            "returned",
            "submitted",
            "accepted",
            "assigned",
            "replied",
            "assigned",
            "replied",
            "evaluated"
        ]
    );
    let log = app.get(&format!("/api/v1/audit?record_type=suggestion&record_id={id}&limit=100"), &admin).await;
    let actions: Vec<&str> =
        log.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in [
        "suggestion.create",
        "suggestion.cosign",
        "suggestion.submit",
        "suggestion.return",
        "suggestion.accept",
        "suggestion.assign",
        "suggestion.contact",
        "suggestion.reply",
        "suggestion.evaluate",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    // Points: filing and key for the author, co-signing for the co-signer, once each.
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let mine = app.get("/api/v1/me/points", &author).await;
    let codes = |v: &Value| -> Vec<String> {
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["source_kind"] == "suggestion")
            .map(|e| e["rule_code"].as_str().unwrap().to_string())
            .collect()
    };
    let mut got = codes(&mine.body);
    got.sort();
    assert_eq!(got, vec!["suggestion_filed", "suggestion_key"]);
    assert_eq!(codes(&app.get("/api/v1/me/points", &cosigner).await.body), vec!["suggestion_cosigned"]);
    // Lists: the author's and the co-signer's, the unit's queue, staff's.
    assert_eq!(app.get("/api/v1/me/suggestions", &cosigner).await.body["items"][0]["id"], id);
    assert_eq!(app.get("/api/v1/me/suggestions", &unit2).await.body["items"][0]["id"], id);
    assert_eq!(app.get("/api/v1/suggestions?status=evaluated", &admin).await.body["items"][0]["id"], id);
}
