//! Demo suggestions of the demo deputy: one replied to (A) and rated, its reply published; one
//! with the units, a contact logged, not yet replied to.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::suggestions::seeding::{self as store, NewContact, NewSuggestion};
use crate::suggestions::suggestion_number as number;
use chrono::NaiveDateTime;

/// Walks one suggestion through the given states, an event each (actor: the system, account 0).
fn walk(c: &mut AnyConnection, id: i64, states: &[&str], now: NaiveDateTime) -> AppResult<()> {
    let mut from = "draft";
    for to in states {
        store::set_status(c, id, from, to, now)?;
        store::event(c, id, (Some(from), to), (0, "staff"), None, now)?;
        from = to;
    }
    Ok(())
}

pub fn seed(c: &mut AnyConnection, now: NaiveDateTime, year: i32) -> AppResult<()> {
    let path =
        crate::org::deputy_region_paths(c, 1)?.and_then(|p| p.into_iter().next()).ok_or_else(AppError::not_found)?;
    let texts = [
        (
            "关于加快老旧小区加装电梯的建议",
            "建议提高加装电梯补贴标准，简化审批流程，由街道牵头协调低层住户意见。",
            "urban_construction",
        ),
        ("关于优化城区公交线路的建议", "建议增开连接新建小区与地铁站的接驳公交，早晚高峰加密班次。", "transport"),
    ];
    for (i, (title, content, category)) in texts.iter().enumerate() {
        let n = NewSuggestion {
            author: 1,
            account: 0,
            region_path: &path,
            title,
            content,
            category,
            period: "recess",
            publish_consent: i == 0,
        };
        let id = store::insert(c, &n, now)?;
        store::event(c, id, (None, "draft"), (0, "deputy"), None, now)?;
        store::set_submitted(c, id, &number(year, id), now)?;
        walk(c, id, &["submitted", "accepted", "assigned"], now)?;
        store::assign_units(c, id, (i + 1) as i64, &[])?;
        store::set_assignment(c, id, now + chrono::Duration::days(90), None)?;
        let contact = NewContact {
            unit: (i + 1) as i64,
            account: 0,
            channel: "visit",
            on: &now.format("%Y-%m-%d").to_string(),
            summary: "登门听取代表意见",
            round: 1,
        };
        store::add_contact(c, id, &contact, now)?;
        if i == 0 {
            store::set_reply(
                c,
                id,
                "A",
                "已出台加装电梯补贴新政策，补贴标准提高至每台20万元，审批时限压缩至15个工作日。",
                now,
            )?;
            store::set_status(c, id, "assigned", "replied", now)?;
            store::event(c, id, (Some("assigned"), "replied"), (0, "unit"), Some("classification A"), now)?;
            store::set_evaluation(c, id, "satisfied", Some("落实到位"), false)?;
            store::set_status(c, id, "replied", "evaluated", now)?;
            store::event(c, id, (Some("replied"), "evaluated"), (0, "deputy"), Some("satisfied"), now)?;
        }
    }
    Ok(())
}
