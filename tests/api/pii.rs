//! Personal data at rest (PIPL): constituents' phone numbers and check-in positions are sealed
//! (AES-256-GCM) in every table, read raw; phone numbers are found by a keyed hash; list views
//! mask, the full number is an audited read; rows stored before sealing are sealed at start-up;
//! key rotation re-seals everything and keeps every constituent's account.

use crate::helpers::*;
use crate::opinion_cases::{file, station_code};
use crate::reception::{app_with_sms, ask, code_for, constituent, sign_in};
use base64::Engine;
use lvzhi::platform::pii::{field, Pii};
use serde_json::json;

const PHONE: &str = "13800138123";

/// Columns of a table, read raw.
fn column(app: &TestApp, sql: &str) -> Vec<String> {
    app.raw_strings(sql).into_iter().flatten().collect()
}

/// A deputy of the demo checks in at the first station of staff1, 30 m from it: (id, position).
async fn check_in(app: &TestApp) -> (i64, (f64, f64)) {
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff).await;
    let pos = (s.body["latitude"].as_f64().unwrap() + 0.000_271_3, s.body["longitude"].as_f64().unwrap() + 0.000_113_7);
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff).await.body["token"].as_str().unwrap().to_string();
    let deputy = app.login("13955110000").await;
    let body =
        json!({"station_id": station, "token": token, "latitude": pos.0, "longitude": pos.1, "accuracy_m": 10.0});
    let a = app.post("/api/v1/checkins", &deputy, body).await;
    (a.expect(201, "").body["id"].as_i64().unwrap(), pos)
}

#[tokio::test]
async fn phone_numbers_and_positions_are_sealed_in_every_table_and_only_an_audited_read_shows_them() {
    let (app, g) = app_with_sms().await;
    let who = constituent(&app, &g, PHONE).await;
    let admin = app.login("admin").await;
    let ticket = file(&app, &who, &station_code(&app, &admin, 1).await, "路灯不亮", None).await;
    let (checkin, pos) = check_in(&app).await;

    // Read raw, no table holds the number: not the constituent, the account, the sign-in code,
    // the SMS outbox, the audit trail or the stored answers.
    assert_eq!(app.tables_containing(PHONE), Vec::<String>::new());
    let (phone, hash) =
        (column(&app, "SELECT phone AS v FROM constituents"), column(&app, "SELECT phone_hash AS v FROM constituents"));
    assert_eq!((phone.len(), hash.len()), (1, 1));
    assert!(phone[0].starts_with("pii1:dev1:"), "{}", phone[0]);
    assert_eq!(hash[0], app.state.pii.phone_hash(PHONE));
    assert_eq!(app.state.pii.open(field::CONSTITUENT_PHONE, &phone[0]).unwrap(), PHONE);
    for p in column(&app, "SELECT phone AS v FROM sms_outbox") {
        assert!(p.starts_with("pii1:"), "{p}");
    }
    assert_eq!(column(&app, "SELECT phone_hash AS v FROM otp_codes"), vec![hash[0].clone()]);
    // The check-in's position: no plain coordinates, the sealed one opens to what was sent.
    assert_eq!(
        column(
            &app,
            "SELECT CAST(count(*) AS TEXT) AS v FROM checkins WHERE latitude IS NOT NULL OR longitude IS NOT NULL"
        ),
        vec!["0"]
    );
    let sealed = column(&app, "SELECT position_enc AS v FROM checkins ORDER BY id DESC LIMIT 1");
    let opened = app.state.pii.open(field::CHECKIN_POSITION, &sealed[0]).unwrap();
    assert_eq!(lvzhi::checkins::decode_position(&opened), Some(pos));
    // A sealed value copied into another column does not open there.
    assert!(app.state.pii.open(field::SMS_PHONE, &phone[0]).is_err());

    // Staff see the number masked in lists and case views; the full number is one audited read.
    let list = app.get("/api/v1/opinions", &admin).await;
    let item = list.body["items"].as_array().unwrap().iter().find(|i| i["ticket"] == ticket.as_str()).unwrap().clone();
    assert_eq!(item["phone_masked"], "138****8123");
    assert_eq!(app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await.body["phone_masked"], "138****8123");
    let reads =
        || column(&app, "SELECT CAST(count(*) AS TEXT) AS v FROM audit_log WHERE action = 'opinion.phone_read'");
    assert_eq!(reads(), vec!["0"]);
    let full = app.get(&format!("/api/v1/opinions/{ticket}/phone"), &admin).await;
    assert_eq!(full.expect(200, "").body["phone"], PHONE);
    assert_eq!(reads(), vec!["1"]);
    // Check-in lists and views carry no position; the reviewer's read of one is audited, and
    // another deputy is told it does not exist.
    let staff = app.login("staff1").await;
    let shown = app.get(&format!("/api/v1/checkins/{checkin}"), &staff).await;
    assert!(shown.expect(200, "").body.get("latitude").is_none(), "{}", shown.text);
    let read = app.get(&format!("/api/v1/checkins/{checkin}/position"), &staff).await;
    assert_eq!(
        (read.expect(200, "").body["latitude"].as_f64(), read.body["longitude"].as_f64()),
        (Some(pos.0), Some(pos.1))
    );
    let audited = column(&app, "SELECT record_id AS v FROM audit_log WHERE action = 'checkin.position_read'");
    assert_eq!(audited, vec![checkin.to_string()]);
    app.get(&format!("/api/v1/checkins/{checkin}/position"), &crate::events::deputy_two(&app, &admin).await)
        .await
        .expect(404, "not_found");
    // The constituent's own view never shows it, masked or not.
    let own = app.get(&format!("/api/v1/me/opinions/{ticket}"), &who).await;
    assert!(own.expect(200, "").body["phone_masked"].is_null(), "{}", own.text);
}

#[tokio::test]
async fn rows_stored_before_sealing_are_sealed_at_start_up_and_still_found() {
    let (app, g) = app_with_sms().await;
    let version = app.state.settings.privacy_notice_version.clone();
    let t = "'2026-01-05 09:00:00'";
    let legacy = "13900000007";
    app.raw_sql(&format!(
        "INSERT INTO accounts (username, password_hash, role, display_name, scopes, disabled, failed_logins, version, created_at, updated_at) \
         VALUES ('constituent:{legacy}', '!otp-only', 'constituent', '139****0007', '', false, 0, 1, {t}, {t})"
    ))
    .unwrap();
    app.raw_sql(&format!(
        "INSERT INTO constituents (account_id, phone, consent_version, consented_at, created_at) \
         SELECT id, '{legacy}', '{version}', {t}, {t} FROM accounts WHERE username = 'constituent:{legacy}'"
    ))
    .unwrap();
    app.raw_sql(&format!(
        "INSERT INTO checkins (deputy_id, station_id, status, qr_valid, inside_geofence, latitude, longitude, offline, staff_confirmed, \
         impossible_travel, reasons, checked_in_at, recorded_at, recorded_by, checked_out_at, auto_closed) \
         VALUES (1, 1, 'accepted', true, true, 31.8611, 117.2822, false, false, false, '', {t}, {t}, 1, '2026-01-05 11:00:00', false)"
    ))
    .unwrap();
    app.raw_sql(&format!(
        "INSERT INTO sms_outbox (deputy_id, phone, body, dedup_id, status, attempts, next_at, created_at) \
         VALUES (0, '{legacy}', 'old text', 'legacy-1', 'sent', 1, {t}, {t})"
    ))
    .unwrap();
    // As after the upgrade that introduced sealing: the pass is pending.
    app.raw_sql("INSERT INTO pii_pending (pass) VALUES ('seal_legacy')").unwrap();
    let account =
        column(&app, &format!("SELECT CAST(id AS TEXT) AS v FROM accounts WHERE username = 'constituent:{legacy}'"))[0]
            .clone();
    assert_eq!(app.tables_containing(legacy).len(), 3);

    // A restart over the same database seals them.
    let state = lvzhi::startup::build_state((*app.state.settings).clone(), app.clock.clone()).await.unwrap();
    let again = app.sibling(state);
    assert_eq!(again.tables_containing(legacy), Vec::<String>::new());
    assert_eq!(column(&app, "SELECT CAST(count(*) AS TEXT) AS v FROM checkins WHERE latitude IS NOT NULL"), vec!["0"]);
    let sealed =
        column(&app, "SELECT position_enc AS v FROM checkins WHERE position_enc IS NOT NULL ORDER BY id DESC LIMIT 1");
    assert_eq!(app.state.pii.open(field::CHECKIN_POSITION, &sealed[0]).unwrap(), "31.8611,117.2822");
    // The constituent signs in to the same account as before.
    ask(&again, legacy).await.expect(202, "");
    let code = code_for(&again, &g, legacy, 1).await;
    let token = sign_in(&again, legacy, &code, None).await;
    let me = again.get("/api/v1/auth/me", token.expect(200, "").body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.body["id"].to_string(), account);
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn rotating_the_keys_reseals_everything_and_keeps_every_account() {
    let (app, g) = app_with_sms().await;
    let who = constituent(&app, &g, PHONE).await;
    let account = app.get("/api/v1/auth/me", &who).await.body["id"].clone();
    let admin = app.login("admin").await;
    let ticket = file(&app, &who, &station_code(&app, &admin, 1).await, "路灯不亮", None).await;
    let (_, pos) = check_in(&app).await;
    // The generated key (dev1) stays second, for opening; k2 seals from now; a new hash key.
    let generated = std::fs::read_to_string(app.state.settings.data_dir.join("pii.keys")).unwrap();
    let old = generated.lines().find_map(|l| l.strip_prefix("LVZHI_PII_KEYS=")).unwrap().to_string();
    let (keys, hash_key) = (format!("k2:{},{old}", b64(&[7; 32])), b64(&[8; 32]));
    let both = Pii::from_config(&keys, &hash_key).unwrap();
    let changed = lvzhi::db::run(&app.state.db, {
        let p = both.clone();
        move |c| lvzhi::ops::rotate_pii(c, &p)
    })
    .await
    .unwrap();
    let count = |name: &str| changed.iter().find(|(c, _)| *c == name).unwrap().1;
    assert_eq!(count("constituents.phone"), 1);
    assert!(count("checkins.position") >= 1 && count("sms_outbox.phone") >= 1);
    for sql in [
        "SELECT phone AS v FROM constituents",
        "SELECT phone AS v FROM sms_outbox",
        "SELECT position_enc AS v FROM checkins WHERE position_enc IS NOT NULL",
    ] {
        for v in column(&app, sql) {
            assert!(v.starts_with("pii1:k2:"), "{sql}: {v}");
        }
    }
    assert_eq!(column(&app, "SELECT phone_hash AS v FROM constituents"), vec![both.phone_hash(PHONE)]);
    // Run again: nothing left to do.
    let p = both.clone();
    let twice = lvzhi::db::run(&app.state.db, move |c| lvzhi::ops::rotate_pii(c, &p)).await.unwrap();
    assert!(twice.iter().all(|(_, n)| *n == 0), "{twice:?}");

    // An instance holding only the new keys: the constituent signs in to the same account, staff
    // read the number, the check-in position opens.
    let new_only = Pii::from_config(&format!("k2:{}", b64(&[7; 32])), &hash_key).unwrap();
    let mut state = app.state.clone();
    state.pii = new_only.clone();
    let next = app.sibling(state);
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&next, PHONE).await.expect(202, "");
    let code = code_for(&next, &g, PHONE, 2).await;
    let token = sign_in(&next, PHONE, &code, None).await;
    assert_eq!(
        next.get("/api/v1/auth/me", token.expect(200, "").body["access_token"].as_str().unwrap()).await.body["id"],
        account
    );
    let admin = next.login("admin").await;
    assert_eq!(next.get(&format!("/api/v1/opinions/{ticket}/phone"), &admin).await.body["phone"], PHONE);
    let sealed =
        column(&app, "SELECT position_enc AS v FROM checkins WHERE position_enc IS NOT NULL ORDER BY id DESC LIMIT 1");
    assert_eq!(
        lvzhi::checkins::decode_position(&new_only.open(field::CHECKIN_POSITION, &sealed[0]).unwrap()),
        Some(pos)
    );
    assert_eq!(column(&app, "SELECT CAST(count(*) AS TEXT) AS v FROM constituents"), vec!["1"]);
}
