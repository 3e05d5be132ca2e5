//! An anonymous survey's answers kept apart from who answered, as a secret ballot is: each is
//! held sealed (its level and answers, nothing else) until 20 are held, then the batch is
//! opened, shuffled and written under random keys — so the answers' order follows no one's
//! participation — and the rest are settled the same way once the consultation has closed.

use crate::consultations::store::answers::{self, NewAnswer};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::platform::pii::{field, Pii};
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::{json, Value};

/// Held answers settled at once while the consultation is open.
pub const BATCH: i64 = 20;

/// Holds one anonymous answer; settles the batch when it is full.
pub fn hold(c: &mut AnyConnection, pii: &Pii, id: i64, level: &str, kept: &Value) -> AppResult<()> {
    let sealed = pii.seal(field::HELD_ANSWER, &json!({"level": level, "answers": kept}).to_string());
    answers::hold(c, id, &sealed)?;
    if answers::held_count(c, id)? >= BATCH {
        settle(c, pii, id)?;
    }
    Ok(())
}

/// Moves every held answer of the consultation, shuffled, into its answers.
pub fn settle(c: &mut AnyConnection, pii: &Pii, id: i64) -> AppResult<usize> {
    let rows = answers::held(c, id)?;
    let mut opened = rows
        .iter()
        .map(|(_, s)| serde_json::from_str::<Value>(&pii.open(field::HELD_ANSWER, s)?).map_err(AppError::internal))
        .collect::<AppResult<Vec<Value>>>()?;
    opened.shuffle(&mut rand::rng());
    for v in &opened {
        let key = hex::encode(rand::rng().random::<[u8; 16]>());
        let level = v["level"].as_str().unwrap_or("other");
        let text = v["answers"].to_string();
        answers::insert(c, id, &NewAnswer { key: &key, respondent: None, level, region_path: None, answers: &text })?;
    }
    answers::drop_held(c, &rows.iter().map(|r| r.0).collect::<Vec<_>>())?;
    Ok(opened.len())
}
