//! A plausible year of duty points for the demo deputies, so rankings, archives and evaluations
//! have something to show: meetings (attended, excused, absent), suggestions, group activities,
//! trainings and inspections through the year so far, a few duty no-shows, manual bonuses, and
//! corrections (reversals) with their reasons. Deterministic (fixed seed).

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::ledger::{self as posting, Award};
use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Awards for the first `deputies` deputies from 1 January to `now` (congress time zone).
pub fn seed(c: &mut AnyConnection, deputies: i64, now: NaiveDateTime, tz: chrono_tz::Tz) -> AppResult<()> {
    let mut rng = StdRng::seed_from_u64(17);
    let local_now = tz.from_utc_datetime(&now);
    let jan1 = tz.with_ymd_and_hms(local_now.year(), 1, 1, 9, 0, 0).earliest().map(|t| t.naive_utc()).unwrap_or(now);
    let span_days = (now - jan1).num_days().max(1);
    let mut awards = vec![];
    for d in 1..=deputies {
        awards.extend(year_of(d, &mut rng, jan1, span_days, local_now.year()));
    }
    awards.sort_by_key(|a| a.occurred_at);
    let posted = posting::post_awards(c, &awards, tz, now)?;
    // A few corrections: a meeting roll entered twice, a suggestion merged into another.
    let mut reversed = 0;
    for (a, r) in awards.iter().zip(posted) {
        let Ok((entry, true)) = r else { continue };
        if reversed < deputies / 40 && a.rule_code == "suggestion_filed" && entry.deputy_id % 7 == 3 {
            crate::ledger::reverse_entry(c, entry.id, "admin:demo", "与另一件建议合并办理，重复计分冲正", tz, now)?;
            reversed += 1;
        }
    }
    Ok(())
}

/// One deputy's year so far (from `jan1`, over `span_days`): meetings, suggestions, group
/// activities, trainings, inspections, now and then a no-show or a manual bonus.
pub fn year_of(d: i64, rng: &mut StdRng, jan1: NaiveDateTime, span_days: i64, year: i32) -> Vec<Award> {
    let mut awards = vec![];
    let at = |rng: &mut StdRng| {
        jan1 + Duration::days(rng.random_range(0..span_days)) + Duration::minutes(rng.random_range(0..480))
    };
    {
        // Six standing-committee meetings so far: most attend, some on leave, a few absent.
        for m in 0..6 {
            let roll: f64 = rng.random();
            let code = if roll < 0.86 {
                "meeting_attended"
            } else if roll < 0.96 {
                "meeting_excused"
            } else {
                "meeting_absent"
            };
            awards.push(award(d, code, "meeting_roll", &format!("{year}-M{m}"), at(rng), None));
        }
        for k in 0..rng.random_range(0..4) {
            awards.push(award(d, "suggestion_filed", "suggestion", &format!("DEMO-S-{d}-{k}"), at(rng), None));
        }
        for k in 0..rng.random_range(1..6) {
            awards.push(award(d, "group_activity_attended", "group_roll", &format!("G-{d}-{k}"), at(rng), None));
        }
        for k in 0..rng.random_range(0..3) {
            awards.push(award(d, "training_attended", "training_roll", &format!("T-{d}-{k}"), at(rng), None));
        }
        for k in 0..rng.random_range(0..3) {
            awards.push(award(d, "inspection_attended", "inspection_roll", &format!("I-{d}-{k}"), at(rng), None));
        }
        if rng.random_bool(0.05) {
            awards.push(award(
                d,
                "duty_no_show",
                "duty_roll",
                &format!("N-{d}"),
                at(rng),
                Some("接待日未到岗，未请假"),
            ));
        }
        if rng.random_bool(0.03) {
            let mut a = award(
                d,
                "manual_bonus",
                "manual",
                &format!("demo-bonus-{d}"),
                at(rng),
                Some("防汛抢险表现突出（经审核）"),
            );
            a.points = Some(5);
            awards.push(a);
        }
    }
    awards
}

fn award(deputy: i64, code: &str, kind: &str, id: &str, at: NaiveDateTime, reason: Option<&str>) -> Award {
    Award {
        deputy_id: deputy,
        rule_code: code.into(),
        points: None,
        occurred_at: at,
        source_kind: kind.into(),
        source_id: id.into(),
        actor: "system:demo".into(),
        reason: reason.map(str::to_string),
        reverses: None,
        direct: false,
    }
}
