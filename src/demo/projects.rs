//! Demo 民生实事项目: this year's city round, voted last winter by the city's deputies and now
//! being carried out — three adopted projects with their units, milestones (one late: a red
//! light, and the lead unit texted) and progress reports — and next year's round, collecting,
//! with two candidates — one the demo deputy proposed (citing their suggestion), one from the
//! government's list — ready to take a third from a constituent's opinion, screen, and vote.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::projects::seeding::{self as ps, insert_candidate, insert_round, NewCandidate, NewProgress};
use chrono::{Datelike, Duration, NaiveDateTime};

pub fn seed(c: &mut AnyConnection, now: NaiveDateTime, year: i32) -> AppResult<()> {
    let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?.id;
    let (_, city, _) = crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    this_year(c, (city, &path), year, admin, now)?;
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

/// This year's round: four candidates voted by the city's deputies, three adopted and under way.
fn this_year(c: &mut AnyConnection, congress: (i64, &str), year: i32, admin: i64, now: NaiveDateTime) -> AppResult<()> {
    let account = |c: &mut AnyConnection, name: &str| -> AppResult<(i64, i64)> {
        let a = crate::auth::seeding::by_username(c, name)?.ok_or_else(AppError::not_found)?;
        Ok((a.id, a.unit_id.ok_or_else(AppError::not_found)?))
    };
    let ((housing_acct, housing), (transport_acct, transport)) = (account(c, "unit1")?, account(c, "unit2")?);
    let voted = now - Duration::days(i64::from(now.ordinal()) + 20);
    let round = insert_round(c, congress, year, &format!("{year}年市级民生实事项目"), admin, voted)?;
    let list: [(&str, &str, &str, i64); 4] = [
        ("城区学校周边交通安全设施改造", "为城区30所中小学校门口增设护栏、信号灯和接送等候区。", "城区", 8_000_000),
        ("老旧小区加装电梯", "在具备条件的老旧小区加装电梯100部，方便老年人上下楼。", "四个城区", 20_000_000),
        ("新建口袋公园", "利用边角地新建口袋公园15处。", "城区", 6_000_000),
        ("菜市场标准化改造", "改造10个老旧菜市场的排水、通风和摊位。", "城区", 5_000_000),
    ];
    for (title, description, location, budget) in list {
        let n = NewCandidate {
            round,
            title,
            description,
            location,
            budget_yuan: budget,
            lead_unit: None,
            timeline: "年底前完成",
            sources: "{}",
            deputy: None,
            by: admin,
        };
        insert_candidate(c, &n, voted)?;
    }
    let seated = crate::org::seated_in_congress(c, congress.1)?;
    ps::vote_and_close(c, round, &seated, (3, 3), u64::try_from(year).unwrap_or_default())?;
    let day = |d: i64| (now + Duration::days(d)).format("%Y-%m-%d").to_string();
    let quarter = format!("{year}-Q{}", (now.month() - 1) / 3 + 1);
    let units = [(housing, housing_acct, transport), (transport, transport_acct, housing)];
    for (i, (project, _)) in ps::adopted(c, round)?.into_iter().enumerate() {
        let (lead, acct, co) = units[i % 2];
        ps::set_units(c, project, lead, &[co])?;
        ps::add_milestone(c, project, ("完成设计和招标", &day(-120), Some(&day(-125))), voted)?;
        let late = if i == 0 { -5 } else { 30 };
        ps::add_milestone(c, project, ("主体工程完工", &day(late), None), voted)?;
        ps::add_milestone(c, project, ("验收投用", &day(25), None), voted)?;
        let percent = [55, 80, 70][i.min(2)];
        let text = "已完成设计和招标，施工队伍进场，正按计划推进。";
        let n = NewProgress {
            project,
            unit: lead,
            quarter: &quarter,
            percent,
            spent_yuan: 1_000_000 * i64::from(percent) / 20,
            body: text,
            by: acct,
        };
        ps::add_progress(c, &n, now - Duration::days(3))?;
    }
    Ok(())
}
