//! The duty reports' background job: a week before a report's session, a deputy whose report is
//! not approved yet gets a notice (once per report); in the year by which their congress requires
//! a report, a deputy with none scheduled in the term gets a notice (once that year); and the
//! reminder staff send to everyone in a congress and term who has not reported.

use super::store::{self, nudges};
use crate::db::{self, utc, AnyConnection};
use crate::error::AppResult;
use crate::live::Wake;
use crate::state::AppState;
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;
use tokio::sync::watch;

/// How far ahead a session makes its deputy hear of an unapproved report.
const AHEAD_DAYS: i64 = 7;

/// Once an hour: [`remind_due`] and [`nudge_due_year`]. Stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("duty-reports", Duration::from_secs(3600), stop, move || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("duty-reports", "reminding of report sessions", remind_due(&state).await);
            crate::platform::jobs::report("duty-reports", "the due year's notices", nudge_due_year(&state).await);
        }
    })
    .await;
}

/// Sends the week-ahead notices; answers how many.
pub async fn remind_due(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let (n, wakes) = db::tx(&state.db, move |c| {
        let due = store::to_remind(c, now, now + chrono::Duration::days(AHEAD_DAYS))?;
        let mut wakes = vec![];
        for r in &due {
            let when = r
                .scheduled_for
                .map(|t| utc(t).with_timezone(&tz).format("%m月%d日 %H:%M").to_string())
                .unwrap_or_default();
            let body = format!("您的述职评议会安排在{when}，述职报告尚未审定，请尽快完成并提交。");
            wakes.push(crate::notices::send_personal(c, r.deputy_id, "述职评议提醒", &body, now, tz, quiet)?.1);
            store::set_reminded(c, r.id, now)?;
        }
        Ok((due.len(), wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}

/// In the year by which a congress requires a report (its settings' `duty_report_due_year`),
/// each deputy seated there in office with no report scheduled in the term (the five years up
/// to this one) gets a notice, once that year; answers how many.
pub async fn nudge_due_year(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let year = utc(now).with_timezone(&tz).year();
    let since = chrono::NaiveDate::from_ymd_opt(year - 4, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(now);
    let (n, wakes) = db::tx(&state.db, move |c| {
        let mut told = nudges::nudged(c, year)?;
        let mut year_of: HashMap<String, Option<i32>> = HashMap::new();
        let body = format!(
            "按照要求，本届代表应于{year}年底前向选民和原选举单位述职并接受评议。您的述职尚未安排，请与代表工作机构联系。"
        );
        let (mut n, mut wakes) = (0, vec![]);
        for path in crate::ledger::duty_report_due_in(c, year)? {
            let members: Vec<i64> =
                crate::org::deputies_in(c, &path)?.into_iter().filter(|d| !told.contains(d)).collect();
            // Only seats in office, in a congress whose own (inherited) due year is this one.
            let mut due: BTreeSet<i64> = BTreeSet::new();
            for (d, seats) in crate::org::deputy_scopes(c, &members)? {
                for s in seats.iter().filter(|s| s.status == "active" && s.path.starts_with(&path)) {
                    if !year_of.contains_key(&s.path) {
                        year_of.insert(s.path.clone(), crate::ledger::duty_report_due_year(c, &s.path)?);
                    }
                    if year_of.get(&s.path).copied().flatten() == Some(year) {
                        due.insert(d);
                    }
                }
            }
            let due: Vec<i64> = due.into_iter().collect();
            let scheduled = nudges::scheduled_since(c, &due, since)?;
            let due: Vec<i64> = due.into_iter().filter(|d| !scheduled.contains(d)).collect();
            // A deputy under two due congresses (the installation's and a city's) is told once.
            for d in &due {
                nudges::mark(c, *d, year, now)?;
                told.insert(*d);
            }
            n += due.len();
            // One notice to all of a congress's; the installation's go one by one under their own.
            match super::rules::region_of(&path) {
                Some(region) if !due.is_empty() => {
                    let to = crate::notices::Audience { deputies: due, ..Default::default() };
                    let what = ("general", "述职评议提醒", body.as_str());
                    wakes.push(crate::notices::publish_from_system(c, (region, &path), what, &to, now, tz, quiet)?.2);
                }
                _ => {
                    for d in due {
                        wakes.push(crate::notices::send_personal(c, d, "述职评议提醒", &body, now, tz, quiet)?.1);
                    }
                }
            }
        }
        Ok((n, wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}

/// A notice to each of `deputies` who has not reported yet; answers the live news.
pub fn remind_unreported(c: &mut AnyConnection, state: &AppState, deputies: &[i64]) -> AppResult<Vec<Wake>> {
    let (now, s) = (state.now(), &state.settings);
    let body = "本届内您尚未向选民和原选举单位述职并接受评议，请与代表工作机构联系安排述职。";
    deputies
        .iter()
        .map(|d| Ok(crate::notices::send_personal(c, *d, "述职评议提醒", body, now, s.tz, s.quiet_hours)?.1))
        .collect()
}
