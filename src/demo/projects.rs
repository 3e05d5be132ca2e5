//! Demo 民生实事项目: the demo city's round for next year, collecting, with two candidates — one
//! the demo deputy proposed (citing their suggestion), one from the government's list — ready to
//! take a third from a constituent's opinion, screen, and vote at a session.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::projects::seeding::{insert_candidate, insert_round, NewCandidate};
use chrono::NaiveDateTime;

pub fn seed(c: &mut AnyConnection, now: NaiveDateTime, year: i32) -> AppResult<()> {
    let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?.id;
    let (_, city, _) = crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    let round = insert_round(c, (city, &path), year + 1, &format!("{}年市级民生实事项目", year + 1), admin, now)?;
    let cited = format!(r#"{{"opinions":[],"suggestions":["{}"]}}"#, crate::suggestions::suggestion_number(year, 1));
    let canteen = NewCandidate {
        round,
        title: "新建社区老年助餐点",
        description: "在明光路街道、双岗街道新建两处老年助餐点，为辖区老年人提供就餐服务。",
        location: "明光路街道、双岗街道",
        budget_yuan: 3_000_000,
        lead_unit: None,
        timeline: "次年6月底前建成投用",
        sources: &cited,
        deputy: Some(1),
        by: admin,
    };
    insert_candidate(c, &canteen, now)?;
    let roads = NewCandidate {
        title: "老旧小区道路修缮",
        description: "修缮城区20个老旧小区内部道路，改善雨天积水。",
        location: "城区",
        budget_yuan: 12_000_000,
        timeline: "次年11月底前完成",
        sources: "{}",
        deputy: None,
        ..canteen
    };
    insert_candidate(c, &roads, now)?;
    Ok(())
}
