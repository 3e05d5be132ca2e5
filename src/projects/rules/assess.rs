//! Pure rules of the year-end assessment (满意度测评): what a rating sheet may say, and the
//! published count — every rating under its random receipt, the counts per project with the
//! satisfaction rate beside its volume, and the SHA-256 over it all.

use super::Ballot;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A rating: 满意, 基本满意, 不满意.
pub const RATINGS: [&str; 3] = ["satisfied", "basically_satisfied", "dissatisfied"];

/// What is wrong with a rating sheet: every project rated once with one of [`RATINGS`].
pub fn check(ratings: &BTreeMap<i64, String>, projects: &[i64]) -> Result<(), (i64, &'static str)> {
    if let Some(id) = ratings.keys().find(|id| !projects.contains(id)) {
        return Err((*id, "not_found"));
    }
    if let Some(id) = projects.iter().find(|id| !ratings.contains_key(id)) {
        return Err((*id, "required"));
    }
    if let Some((id, _)) = ratings.iter().find(|(_, r)| !RATINGS.contains(&r.as_str())) {
        return Err((*id, "invalid_value"));
    }
    Ok(())
}

/// One project's ratings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Rated {
    pub candidate_id: i64,
    pub title: String,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub dissatisfied: i64,
    /// (satisfied + basically satisfied) / rated, in thousandths (0 when nobody rated).
    pub satisfaction_permille: i64,
}

/// The published assessment: enough to recount it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Assessment {
    pub round_id: i64,
    pub year: i32,
    pub title: String,
    /// Deputies seated in the congress when the assessment closed.
    pub seated: i64,
    /// Rating sheets returned.
    pub rated: i64,
    pub projects: Vec<Rated>,
    /// Every sheet, ordered by receipt (random: in no order of rating).
    pub sheets: Vec<Ballot>,
}

/// Counts the sheets per project.
pub fn count(projects: &[(i64, String)], sheets: &[Ballot]) -> Vec<Rated> {
    projects
        .iter()
        .map(|(id, title)| {
            let key = id.to_string();
            let mut n = [0i64; 3];
            for s in sheets {
                if let Some(i) = s.choices.get(&key).and_then(|r| RATINGS.iter().position(|x| x == r)) {
                    n[i] += 1;
                }
            }
            let all = n.iter().sum::<i64>();
            let permille = if all == 0 { 0 } else { (n[0] + n[1]) * 1000 / all };
            Rated {
                candidate_id: *id,
                title: title.clone(),
                satisfied: n[0],
                basically_satisfied: n[1],
                dissatisfied: n[2],
                satisfaction_permille: permille,
            }
        })
        .collect()
}

/// SHA-256 (hex) over the assessment's canonical JSON.
pub fn digest(a: &Assessment) -> String {
    use sha2::{Digest, Sha256};
    let v = serde_json::to_value(a).unwrap_or(serde_json::Value::Null);
    hex::encode(Sha256::digest(super::canonical(&v).as_bytes()))
}

/// Recounts a published assessment and checks its digest.
pub fn verify(a: &Assessment, claimed: &str) -> Result<(), String> {
    let projects: Vec<(i64, String)> = a.projects.iter().map(|p| (p.candidate_id, p.title.clone())).collect();
    if count(&projects, &a.sheets) != a.projects || a.rated != a.sheets.len() as i64 {
        return Err("the counts do not follow from the rating sheets".into());
    }
    let d = digest(a);
    if d != claimed {
        return Err(format!("digest mismatch: computed {d}, published {claimed}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_checked_and_counted() {
        let m = |v: &[(i64, &str)]| v.iter().map(|(k, r)| (*k, r.to_string())).collect::<BTreeMap<_, _>>();
        assert_eq!(check(&m(&[(1, "satisfied"), (2, "dissatisfied")]), &[1, 2]), Ok(()));
        assert_eq!(check(&m(&[(1, "satisfied")]), &[1, 2]), Err((2, "required")));
        assert_eq!(check(&m(&[(1, "satisfied"), (3, "satisfied")]), &[1]), Err((3, "not_found")));
        assert_eq!(check(&m(&[(1, "good")]), &[1]), Err((1, "invalid_value")));
        let sheet = |a: &str, b: &str| Ballot {
            receipt: format!("{a}{b}"),
            choices: [("1".to_string(), a.to_string()), ("2".to_string(), b.to_string())].into(),
        };
        let sheets = vec![sheet("satisfied", "dissatisfied"), sheet("basically_satisfied", "dissatisfied")];
        let r = count(&[(1, "A".into()), (2, "B".into())], &sheets);
        assert_eq!((r[0].satisfied, r[0].basically_satisfied, r[0].satisfaction_permille), (1, 1, 1000));
        assert_eq!((r[1].dissatisfied, r[1].satisfaction_permille), (2, 0));
        let a = Assessment { round_id: 1, year: 2027, title: "t".into(), seated: 3, rated: 2, projects: r, sheets };
        assert!(verify(&a, &digest(&a)).is_ok());
        let mut t = a.clone();
        t.projects[1].dissatisfied = 1;
        assert!(verify(&t, &digest(&a)).is_err());
    }
}
