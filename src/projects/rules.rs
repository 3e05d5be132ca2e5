//! Pure rules of the livelihood-project vote (民生实事项目票决制): the round's states and steps,
//! what a ballot may say, the count with its adoption rule, and the published tally's canonical
//! form and digest, which `lvzhi verify-tally` recomputes.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A ballot's three answers for a candidate.
pub const CHOICES: [&str; 3] = ["approve", "oppose", "abstain"];
/// The adoption rules: more approvals than half of the congress's seated deputies, or than half
/// of the ballots cast.
pub const ADOPTION_RULES: [&str; 2] = ["seated", "cast"];
pub const MAX_TITLE: usize = 100;
pub const MAX_TEXT: usize = 5_000;

pub mod assess;
pub mod works;

/// The state a step leads to from `status` (None: not allowed from there).
pub fn next(status: &str, step: &str) -> Option<&'static str> {
    Some(match (status, step) {
        ("collecting", "screen") => "screening",
        ("screening", "open") => "voting",
        ("voting", "close") => "closed",
        ("closed", "implement") => "implementing",
        ("implementing", "assess") => "assessed",
        _ => return None,
    })
}

/// What is wrong with a ballot's choices, if anything: every candidate of the ballot answered
/// once with one of [`CHOICES`], nothing else; at most `max_approvals` approvals.
pub fn check_choices(choices: &BTreeMap<i64, String>, ballot: &[i64], max_approvals: i32) -> Result<(), BallotError> {
    if let Some(id) = choices.keys().find(|id| !ballot.contains(id)) {
        return Err(BallotError::NotOnBallot(*id));
    }
    if let Some(id) = ballot.iter().find(|id| !choices.contains_key(id)) {
        return Err(BallotError::Unanswered(*id));
    }
    if let Some((id, _)) = choices.iter().find(|(_, c)| !CHOICES.contains(&c.as_str())) {
        return Err(BallotError::BadChoice(*id));
    }
    let approvals = choices.values().filter(|c| *c == "approve").count();
    if approvals > max_approvals.max(0) as usize {
        return Err(BallotError::TooManyApprovals(approvals));
    }
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum BallotError {
    NotOnBallot(i64),
    Unanswered(i64),
    BadChoice(i64),
    TooManyApprovals(usize),
}

/// One candidate on the published ballot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
}

/// One ballot as published: its receipt and choices (candidate id → answer).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ballot {
    pub receipt: String,
    pub choices: BTreeMap<String, String>,
}

/// Counts of one candidate (from the app's ballots, the paper tallies, or both).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Count {
    pub candidate_id: i64,
    pub approve: i64,
    pub oppose: i64,
    pub abstain: i64,
}

/// A candidate's result: its counts, rank by approvals and whether it is adopted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outcome {
    pub candidate_id: i64,
    pub approve: i64,
    pub oppose: i64,
    pub abstain: i64,
    pub rank: i64,
    pub adopted: bool,
}

/// The published tally: everything needed to recount the vote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tally {
    pub round_id: i64,
    pub region_path: String,
    pub year: i32,
    pub title: String,
    pub adoption_rule: String,
    pub seated: i64,
    pub adopt_count: i64,
    pub candidates: Vec<Candidate>,
    /// Every app ballot, ordered by receipt (random, so in no order of casting).
    pub ballots: Vec<Ballot>,
    pub paper_ballots: i64,
    /// The approved paper tallies, summed per candidate.
    pub paper: Vec<Count>,
    pub results: Vec<Outcome>,
}

/// Counts the ballots and paper counts and applies the adoption rule: candidates ranked by
/// approvals (then by id); adopted when above the threshold and within `adopt_count`.
pub fn count(
    candidates: &[Candidate],
    ballots: &[Ballot],
    paper: &[Count],
    paper_ballots: i64,
    (rule, seated, adopt_count): (&str, i64, i64),
) -> Vec<Outcome> {
    let mut counts: Vec<Count> =
        candidates.iter().map(|c| Count { candidate_id: c.id, ..Default::default() }).collect();
    for c in counts.iter_mut() {
        let key = c.candidate_id.to_string();
        for b in ballots {
            match b.choices.get(&key).map(String::as_str) {
                Some("approve") => c.approve += 1,
                Some("oppose") => c.oppose += 1,
                Some("abstain") => c.abstain += 1,
                _ => {}
            }
        }
        if let Some(p) = paper.iter().find(|p| p.candidate_id == c.candidate_id) {
            (c.approve, c.oppose, c.abstain) = (c.approve + p.approve, c.oppose + p.oppose, c.abstain + p.abstain);
        }
    }
    counts.sort_by(|a, b| b.approve.cmp(&a.approve).then(a.candidate_id.cmp(&b.candidate_id)));
    let base = if rule == "cast" { ballots.len() as i64 + paper_ballots } else { seated };
    counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| Outcome {
            candidate_id: c.candidate_id,
            approve: c.approve,
            oppose: c.oppose,
            abstain: c.abstain,
            rank: i as i64 + 1,
            adopted: c.approve * 2 > base && (i as i64) < adopt_count,
        })
        .collect()
}

/// JSON with every object's keys sorted and no whitespace (for these values, integers and
/// strings only, what RFC 8785 gives).
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k]))).collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// SHA-256 (hex) over the tally's canonical JSON.
pub fn digest(t: &Tally) -> String {
    let v = serde_json::to_value(t).unwrap_or(Value::Null);
    hex::encode(Sha256::digest(canonical(&v).as_bytes()))
}

/// Recounts a published tally and checks its digest: what does not hold, if anything.
pub fn verify(t: &Tally, claimed_digest: &str) -> Result<(), String> {
    let again =
        count(&t.candidates, &t.ballots, &t.paper, t.paper_ballots, (&t.adoption_rule, t.seated, t.adopt_count));
    if again != t.results {
        return Err("the results do not follow from the ballots and paper counts".into());
    }
    let mut receipts: Vec<&str> = t.ballots.iter().map(|b| b.receipt.as_str()).collect();
    receipts.sort_unstable();
    receipts.dedup();
    if receipts.len() != t.ballots.len() {
        return Err("a receipt appears twice".into());
    }
    let d = digest(t);
    if d != claimed_digest {
        return Err(format!("digest mismatch: computed {d}, published {claimed_digest}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
