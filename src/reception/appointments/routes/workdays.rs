//! The holiday calendar and deadlines in working days. A week runs Monday to Friday unless the
//! calendar says otherwise: public holidays are days off, and make-up working days (调休) fall on
//! a weekend. Staff keep the calendar; deadlines of forwarded opinions are counted on it.

use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::reception::store::calendar;
use crate::state::AppState;
use actix_web::{delete, get, put, web, HttpResponse};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// Whether `d` is a working day, given the calendar's exceptions.
pub fn is_working(d: NaiveDate, special: &HashMap<NaiveDate, bool>) -> bool {
    special.get(&d).copied().unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

/// The `n`th working day after `start` (the day of forwarding does not count).
pub fn add_working_days(start: NaiveDate, n: u32, special: &HashMap<NaiveDate, bool>) -> NaiveDate {
    let (mut d, mut left) = (start, n);
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_working(d, special) {
            left -= 1;
        }
    }
    d
}

/// The calendar's exceptions from `from` on (enough for any deadline counted from it).
pub fn exceptions(c: &mut AnyConnection, from: NaiveDate, days: i64) -> AppResult<HashMap<NaiveDate, bool>> {
    let to = from + chrono::Duration::days(days);
    let rows = calendar::between(c, &from.to_string(), &to.to_string())?;
    Ok(rows.into_iter().filter_map(|(d, w)| d.parse().ok().map(|d| (d, w))).collect())
}

/// The deadline `n` working days after `today`, as the end of that day in the congress time zone.
pub fn deadline(
    c: &mut AnyConnection,
    today: NaiveDate,
    n: u32,
    tz: chrono_tz::Tz,
) -> AppResult<chrono::NaiveDateTime> {
    let special = exceptions(c, today, i64::from(n) * 3 + 60)?;
    let day = add_working_days(today, n, &special) + chrono::Duration::days(1);
    let end = day
        .and_hms_opt(0, 0, 0)
        .ok_or_else(|| AppError::internal("bad date"))?
        .and_local_timezone(tz)
        .earliest()
        .ok_or_else(|| AppError::internal("bad date"))?;
    Ok(end.naive_utc())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarDay {
    /// YYYY-MM-DD.
    pub day: String,
    /// false: a holiday; true: a make-up working day on a weekend.
    pub working: bool,
    /// e.g. 春节, 国庆节调休上班.
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayPut {
    pub working: bool,
    pub name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    #[serde(deserialize_with = "crate::http::year")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: i32,
}

fn staff_only(p: &Principal) -> AppResult<()> {
    if p.role != Role::Admin || p.region_path.is_some() {
        return Err(AppError::forbidden(
            Code::Forbidden,
            "the holiday calendar is kept by the installation's administrators",
        ));
    }
    Ok(())
}

fn parse_day(s: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| AppError::invalid_field("day", "invalid_date", "YYYY-MM-DD"))
}

/// The calendar's holidays and make-up working days of a year.
#[utoipa::path(tag = "reception", params(YearQuery), responses((status = 200, body = Vec<CalendarDay>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/calendar")]
pub async fn list(
    state: web::Data<AppState>,
    _p: Principal,
    q: web::Query<YearQuery>,
) -> AppResult<web::Json<Vec<CalendarDay>>> {
    let y = q.year;
    if !(2000..=2100).contains(&y) {
        return Err(AppError::invalid_field("year", "out_of_range", "2000–2100"));
    }
    let rows = db::run(&state.db, move |c| calendar::of_year(c, y)).await?;
    Ok(web::Json(rows.into_iter().map(|(day, working, name)| CalendarDay { day, working, name }).collect()))
}

/// Set one day of the calendar (installation administrators).
#[utoipa::path(tag = "reception", params(("day" = String, Path)), request_body = CalendarDayPut, responses((status = 200, body = CalendarDay), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/calendar/{day}")]
pub async fn put_day(
    state: web::Data<AppState>,
    p: Principal,
    day: web::Path<String>,
    body: web::Json<CalendarDayPut>,
) -> AppResult<web::Json<CalendarDay>> {
    staff_only(&p)?;
    let day = parse_day(&day)?.to_string();
    let b = body.into_inner();
    if let Some(e) = crate::org::rules::required_text("name", &b.name, 50) {
        return Err(AppError::validation(vec![e]));
    }
    let v = CalendarDay { day, working: b.working, name: b.name.trim().to_string() };
    let (d, w, n) = (v.day.clone(), v.working, v.name.clone());
    db::tx(&state.db, move |c| set_day(c, &d, w, &n)).await?;
    Ok(web::Json(v))
}

/// Remove a day from the calendar (it becomes an ordinary weekday or weekend day).
#[utoipa::path(tag = "reception", params(("day" = String, Path)), responses((status = 204, description = "removed"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/calendar/{day}")]
pub async fn delete_day(state: web::Data<AppState>, p: Principal, day: web::Path<String>) -> AppResult<HttpResponse> {
    staff_only(&p)?;
    let day = parse_day(&day)?.to_string();
    if !db::tx(&state.db, move |c| calendar::remove(c, &day)).await? {
        return Err(AppError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Sets one day of the calendar (a holiday or a make-up working day).
pub fn set_day(c: &mut AnyConnection, day: &str, working: bool, name: &str) -> AppResult<()> {
    calendar::set(c, day, working, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_do_not_count() {
        // Friday + 1 working day = Monday.
        assert_eq!(add_working_days(d("2026-11-27"), 1, &HashMap::new()), d("2026-11-30"));
        assert_eq!(add_working_days(d("2026-11-23"), 5, &HashMap::new()), d("2026-11-30"));
    }

    #[test]
    fn holidays_and_make_up_days_count_as_the_calendar_says() {
        let mut cal = HashMap::new();
        cal.insert(d("2026-10-01"), false);
        cal.insert(d("2026-10-02"), false);
        cal.insert(d("2026-10-10"), true); // a Saturday worked
                                           // Wednesday 30 Sep + 1 → holidays Thu/Fri, weekend → Monday 5 Oct.
        assert_eq!(add_working_days(d("2026-09-30"), 1, &cal), d("2026-10-05"));
        // Friday 9 Oct + 1 → the make-up Saturday.
        assert_eq!(add_working_days(d("2026-10-09"), 1, &cal), d("2026-10-10"));
    }
}
