//! The secret ballot: after deputies vote, every table and every log line is read, and nothing
//! ties a ballot to a deputy. Before closing, the receipts and choices appear in no table (held
//! sealed, without deputy or time); after closing, only in the ballots (receipt, round, choices)
//! and the published result; the participation rows hold round, deputy and channel only.

use crate::helpers::*;
use crate::project_setup::{choices, voting};
use crate::reception::app_with_sms;
use serde_json::json;
use std::sync::{Arc, Mutex};

/// Log lines written anywhere in this test process from now on.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Lines {
    type Writer = Lines;
    fn make_writer(&'a self) -> Lines {
        self.clone()
    }
}

pub fn columns(app: &TestApp, table: &str) -> Vec<String> {
    let sql = if app.is_postgres() {
        format!("SELECT column_name AS v FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position")
    } else {
        format!("SELECT name AS v FROM pragma_table_info('{table}')")
    };
    app.raw_strings(&sql).into_iter().flatten().collect()
}

#[tokio::test]
pub async fn no_table_or_log_line_ties_a_ballot_to_a_deputy() {
    let lines = Lines::default();
    let filter = tracing_subscriber::EnvFilter::new("lvzhi=trace,actix_web=debug");
    let logging = tracing_subscriber::fmt().with_env_filter(filter).with_writer(lines.clone()).try_init().is_ok();
    let (app, g) = app_with_sms().await;
    let r = voting(&app, &g, 3, 3).await;
    let votes = format!("/api/v1/project-rounds/{}/votes", r.id);
    let mut receipts = vec![];
    for (i, (_, t)) in r.deputies.iter().enumerate() {
        let v = app.post(&votes, t, choices(&r, i % 3)).await;
        receipts.push(v.expect(201, "").body["receipt"].as_str().unwrap().to_string());
    }
    // While the vote is open: the receipts and the choices are in no table in the clear.
    for receipt in &receipts {
        assert!(app.tables_containing(receipt).is_empty(), "{receipt}");
    }
    assert!(app.tables_containing("\"oppose\"").is_empty());
    assert_eq!(columns(&app, "project_participation"), ["round_id", "deputy_id", "channel"]);
    assert_eq!(columns(&app, "project_pending_ballots"), ["id", "round_id", "sealed"]);
    let admin = app.login("admin").await;
    app.post(&format!("/api/v1/project-rounds/{}/close", r.id), &admin, json!({})).await.expect(200, "");
    // After closing: each receipt in the ballots and the published result only, and a ballot
    // row holds its receipt, round and choices — no deputy, account or time.
    for receipt in &receipts {
        let mut at = app.tables_containing(receipt);
        at.sort();
        assert_eq!(at, ["project_ballots", "project_rounds"], "{receipt}");
    }
    let mut with_choices = app.tables_containing("\"oppose\"");
    with_choices.sort();
    assert_eq!(with_choices, ["project_ballots", "project_rounds"]);
    assert_eq!(columns(&app, "project_ballots"), ["receipt", "round_id", "choices"]);
    assert!(app.raw_strings("SELECT sealed AS v FROM project_pending_ballots").is_empty());
    if !app.is_postgres() {
        // Stored by receipt (random), not in the order of casting.
        let stored: Vec<String> =
            app.raw_strings("SELECT receipt AS v FROM project_ballots").into_iter().flatten().collect();
        let mut sorted = receipts.clone();
        sorted.sort();
        assert_eq!(stored, sorted);
    }
    // The audit says who voted, never how; no log line carries a receipt or a choice.
    let audit = app.raw_strings("SELECT action AS v FROM audit_log WHERE action = 'project_round.vote'");
    assert_eq!(audit.len(), 3);
    if logging {
        let text = String::from_utf8_lossy(&lines.0.lock().unwrap()).to_string();
        assert!(!text.is_empty(), "the capture saw the server at work");
        for receipt in &receipts {
            assert!(!text.contains(receipt.as_str()));
        }
        assert!(!text.contains("oppose") && !text.contains("abstain"));
    }
}
