//! Demo liaison links (双联系): the demo deputy, a member of the city's standing committee, linked
//! this term with three of the city's deputies (four contacts a year each), with one visit
//! logged this year — so the coverage shows the rest of the city unlinked and two links below
//! their target.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::liaison::seeding::{add_contact, insert, NewContact, NewLink};
use chrono::{Duration, NaiveDateTime};

pub fn seed(c: &mut AnyConnection, now: NaiveDateTime) -> AppResult<()> {
    let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?.id;
    let (_, city, term) =
        crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    let linked: Vec<i64> = crate::org::seated_in_congress(c, &path)?.into_iter().filter(|d| *d != 1).take(3).collect();
    for (i, d) in linked.into_iter().enumerate() {
        let n = NewLink {
            congress: (city, &path),
            term,
            member: (Some(1), None),
            target: (Some(d), None),
            yearly_target: 4,
            by: admin,
        };
        let link = insert(c, &n, now - Duration::days(200))?;
        if i == 0 {
            let on = (now - Duration::days(20)).format("%Y-%m-%d").to_string();
            let visit = NewContact {
                link,
                side: "member",
                deputy: Some(d),
                on: &on,
                channel: "visit",
                summary: "走访了解所在社区老旧小区改造进展，听取代表意见。",
                issues: "加装电梯意愿征集进度慢",
                by: admin,
            };
            add_contact(c, &visit, now - Duration::days(20))?;
        }
    }
    Ok(())
}
