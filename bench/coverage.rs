//! The term's coverage of a congress under load: every deputy under the city (the demo's and the
//! imported ones: 60,400 with `BENCH_IMPORT=60000`) gets a fixed contact, every second one a
//! completed course and every eighth a liaison link, then staff read the coverage view — eight
//! obligations over the whole population — from 4 clients.

use crate::load;
use crate::rows::{http_row, once_row, Row};
use lvzhi::state::AppState;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Seeds the rows the coverage reads; answers the deputies covered.
async fn seed(state: &AppState, city: i64) -> Result<usize, String> {
    let pii = state.pii.clone();
    let now = state.clock.now().naive_utc();
    lvzhi::db::tx(&state.db, move |c| {
        let path = lvzhi::org::region_path(c, city)?.unwrap_or_default();
        let mut ids: Vec<i64> = lvzhi::org::active_seats_under(c, &path)?.into_iter().map(|s| s.deputy_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let admin = lvzhi::auth::seeding::by_username(c, "admin")?.map(|a| a.id).unwrap_or(1);
        let closes = (now + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
        let course = lvzhi::training::seeding::NewCourse {
            congress: (city, &path),
            term: 16,
            title: "履职培训（压测）",
            kind: "online",
            event_id: None,
            materials: "[]",
            min_seconds: 0,
            pass_mark: 60,
            max_attempts: 3,
            closes_on: &closes,
            initial: true,
            by: admin,
        };
        let course = lvzhi::training::seeding::insert(c, &course, now)?;
        let consent = (now - chrono::Duration::days(40)).format("%Y-%m-%d").to_string();
        let sealed = pii.seal(lvzhi::platform::pii::field::FIXED_CONTACT_PHONE, "13900550009");
        for (i, d) in ids.iter().enumerate() {
            let n = lvzhi::contacts::seeding::NewContact {
                deputy: *d,
                region_path: &path,
                name: "联系对象",
                phone_sealed: &sealed,
                community: "社区",
                every_days: 30 + (i % 60) as i32,
                consent: (&consent, "written"),
            };
            lvzhi::contacts::seeding::insert(c, &n, now)?;
            if i % 2 == 0 {
                lvzhi::training::seeding::complete(c, course, *d, now)?;
            }
            if i % 8 == 1 {
                let link = lvzhi::liaison::seeding::NewLink {
                    congress: (city, &path),
                    term: 16,
                    member: (Some(ids[0]), None),
                    target: (Some(*d), None),
                    yearly_target: 4,
                    by: admin,
                };
                lvzhi::liaison::seeding::insert(c, &link, now)?;
            }
        }
        Ok(ids.len())
    })
    .await
    .map_err(|e| e.to_string())
}

pub async fn scenario(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    city: i64,
    quick: bool,
) -> Result<Vec<Row>, String> {
    let t0 = Instant::now();
    let n = seed(state, city).await?;
    let seeded = once_row(
        format!("set-up: a fixed contact for each of {n} deputies, a course for half, a link for an eighth"),
        n,
        t0.elapsed().as_secs_f64(),
    );
    let path = format!("/api/v1/coverage?congress={city}");
    let requests = if quick { 20 } else { 200 };
    let st =
        load::run(addr, load::get(&path, Some(admin)), 4, requests, Duration::from_secs(if quick { 30 } else { 120 }))
            .await;
    Ok(vec![
        seeded,
        http_row(
            &format!("scenario: GET /api/v1/coverage?congress=… ({n} deputies, 8 obligations, 4 clients)"),
            &st,
            None,
        ),
    ])
}
