//! The questionnaire's counts: per choice or point of the scale, each with its share of those who
//! answered the question (the volume), the scale's mean, the free texts, and the same per group.

use crate::consultations::model::{Count, GroupCounts, Question, QuestionResult};
use serde_json::Value;
use std::collections::BTreeMap;

/// Free texts listed per question.
const TEXTS_SHOWN: usize = 500;

/// One kept answer: the group it is counted under (a level or a region) and its values.
pub struct Respondent {
    pub group: String,
    pub answers: Value,
}

fn labels(q: &Question) -> Vec<String> {
    match q.kind.as_str() {
        "scale" => (1..=5).map(|k| k.to_string()).collect(),
        "text" => vec![],
        _ => q.options.clone(),
    }
}

/// Which labels an answer counts under (indices into [`labels`]).
fn hits(q: &Question, v: &Value) -> Vec<usize> {
    match (q.kind.as_str(), v) {
        ("single", Value::Number(n)) => n.as_u64().map(|k| k as usize).into_iter().collect(),
        ("multiple", Value::Array(a)) => a.iter().filter_map(Value::as_u64).map(|k| k as usize).collect(),
        ("scale", Value::Number(n)) => {
            n.as_u64().filter(|k| (1..=5).contains(k)).map(|k| k as usize - 1).into_iter().collect()
        }
        _ => vec![],
    }
}

fn permille(count: i64, of: i64) -> i64 {
    if of == 0 {
        0
    } else {
        (count * 1000 + of / 2) / of
    }
}

fn counts(labels: &[String], raw: &[i64], answered: i64) -> Vec<Count> {
    labels
        .iter()
        .zip(raw)
        .map(|(l, c)| Count { label: l.clone(), count: *c, permille: permille(*c, answered) })
        .collect()
}

#[derive(Default)]
struct Acc {
    answered: i64,
    raw: Vec<i64>,
}

impl Acc {
    fn add(&mut self, n: usize, hit: &[usize]) {
        if self.raw.len() < n {
            self.raw.resize(n, 0);
        }
        self.answered += 1;
        for h in hit.iter().filter(|h| **h < n) {
            self.raw[*h] += 1;
        }
    }
}

/// The results of every question over the kept answers; with `grouped`, also per group.
pub fn tally(questions: &[Question], answers: &[Respondent], grouped: bool) -> Vec<QuestionResult> {
    questions
        .iter()
        .map(|q| {
            let key = q.number.to_string();
            let ls = labels(q);
            let (mut all, mut groups) = (Acc::default(), BTreeMap::<&str, Acc>::new());
            let (mut sum, mut texts) = (0i64, vec![]);
            for r in answers {
                let Some(v) = r.answers.get(&key) else { continue };
                let hit = hits(q, v);
                all.add(ls.len(), &hit);
                if grouped {
                    groups.entry(r.group.as_str()).or_default().add(ls.len(), &hit);
                }
                if q.kind == "scale" {
                    sum += hit.first().map(|h| *h as i64 + 1).unwrap_or(0);
                }
                if let (Some(t), true) = (v.as_str(), texts.len() < TEXTS_SHOWN) {
                    texts.push(t.to_string());
                }
            }
            all.raw.resize(ls.len(), 0);
            QuestionResult {
                number: q.number,
                kind: q.kind.clone(),
                text: q.text.clone(),
                answered: all.answered,
                counts: counts(&ls, &all.raw, all.answered),
                mean_x100: (q.kind == "scale" && all.answered > 0)
                    .then(|| (sum * 100 + all.answered / 2) / all.answered),
                texts,
                groups: groups
                    .into_iter()
                    .map(|(g, mut a)| {
                        a.raw.resize(ls.len(), 0);
                        GroupCounts {
                            group: g.to_string(),
                            answered: a.answered,
                            counts: counts(&ls, &a.raw, a.answered),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
