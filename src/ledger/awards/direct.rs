//! Direct awards through the API, posted in bulk: every award request that arrives while a
//! writer is busy is checked (scope, rule) and posted with the others in one transaction — one
//! lookup of the deputies' seats, one posting (see [`super::posting`]), one multi-row audit
//! INSERT. Each request is answered after the commit.

use super::posting::{self, Award};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::bulk::{Bulk, BulkWrite, Outcome};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::ledger::model::EntryView;
use crate::ledger::statements::explain;
use crate::ledger::store::{self, EntryRow, RuleRow};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::Arc;

/// One award request, validated apart from what needs the database.
pub struct Request {
    pub principal: Principal,
    pub award: Award,
    pub now: NaiveDateTime,
    pub tz: chrono_tz::Tz,
}

pub struct DirectAwards;

/// The award queue of this instance.
pub type Writes = Bulk<DirectAwards>;

impl BulkWrite for DirectAwards {
    type Input = Arc<Request>;
    /// The entry's view and whether it was created; the HTTP worker serialises it (not the writer).
    type Output = (EntryView, bool);

    fn many(&self, c: &mut AnyConnection, inputs: &[Arc<Request>]) -> AppResult<Vec<Outcome<(EntryView, bool)>>> {
        let Some(first) = inputs.first() else { return Ok(vec![]) };
        let (tz, now) = (first.tz, first.now);
        let ids: Vec<i64> = inputs.iter().map(|r| r.award.deputy_id).collect();
        let scopes = crate::org::deputy_scopes(c, &ids)?;
        // Out of scope or missing: 404 alike.
        let allowed: Vec<AppResult<Vec<String>>> = inputs
            .iter()
            .map(|r| {
                let paths: Vec<String> = scopes
                    .get(&r.award.deputy_id)
                    .ok_or_else(AppError::not_found)?
                    .iter()
                    .map(|s| s.path.clone())
                    .collect();
                policy::authorize(&r.principal, Action::Write, &Target::many(Kind::Deputy, paths.clone()))?;
                Ok(paths)
            })
            .collect();
        let todo: Vec<usize> = (0..inputs.len()).filter(|&i| allowed[i].is_ok()).collect();
        let awards: Vec<Award> = todo.iter().map(|&i| inputs[i].award.clone()).collect();
        let (posted, book) = posting::post_scoped(c, &awards, &scopes, tz, now)?;
        let mut results: Vec<Option<AppResult<(EntryRow, bool)>>> = inputs.iter().map(|_| None).collect();
        for (&i, r) in todo.iter().zip(posted) {
            results[i] = Some(r);
        }
        let mut audits = vec![];
        let mut rule_ids: Vec<i64> = vec![];
        let mut existing: Vec<i64> = vec![];
        for r in results.iter().flatten().flatten() {
            rule_ids.push(r.0.rule_id);
            if !r.1 {
                existing.push(r.0.id);
            }
        }
        let mut rules: HashMap<i64, RuleRow> = book.into_iter().map(|r| (r.id, r)).collect();
        rule_ids.retain(|id| !rules.contains_key(id));
        if !rule_ids.is_empty() {
            rules.extend(store::rules_by_id(c, &rule_ids)?.into_iter().map(|r| (r.id, r)));
        }
        let reversed = if existing.is_empty() { Default::default() } else { store::reversals_of(c, &existing)? };
        let mut out = vec![];
        for (i, (req, allowed)) in inputs.iter().zip(allowed).enumerate() {
            let answer = match (allowed, results[i].take()) {
                (Err(e), _) => Err(e),
                (Ok(_), None) => Err(AppError::internal("an award was not posted")),
                (Ok(_), Some(Err(e))) => Err(e),
                (Ok(paths), Some(Ok((e, created)))) => {
                    if created {
                        audits.push(
                            Entry::by(&req.principal, "ledger.award", "ledger_entry", e.id.to_string())
                                .region(paths.first().cloned()),
                        );
                    }
                    let (rv, rule) = (reversed.get(&e.id).copied(), rules.get(&e.rule_id));
                    Ok((explain(e, rule, rv), created))
                }
            };
            out.push(Outcome::Done(answer));
        }
        crate::audit::write_many(c, &audits.iter().collect::<Vec<_>>(), now)?;
        Ok(out)
    }
}
