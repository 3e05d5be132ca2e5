//! Pure rules of the desk pages: the words for channels, check-ins and the API's codes as staff
//! read them, and turning the form's local times and deputy lists into what the API takes.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// How a walk-in reached the station, with the names the form shows.
pub const CHANNELS: &[(&str, &str)] =
    &[("walk_in", "来访"), ("phone", "来电"), ("letter", "来信"), ("reception", "接待日当面反映")];

pub fn channel_name(code: &str) -> &'static str {
    match code {
        "deputy_collected" => "代表收集",
        _ => CHANNELS.iter().find(|c| c.0 == code).map(|c| c.1).unwrap_or("其他"),
    }
}

pub fn checkin_status_name(code: &str) -> &'static str {
    match code {
        "accepted" => "已签到",
        "pending_review" => "待审核",
        "rejected" => "已驳回",
        _ => "处理中",
    }
}

/// Why a check-in waits for review, as staff read it.
pub fn reason_name(code: &str) -> &'static str {
    match code {
        "outside_geofence" => "签到位置不在联络站范围内",
        "no_position" => "未提供位置",
        "impossible_travel" => "与上次签到的距离和时间不符",
        "qr_expired" => "二维码已过期",
        "qr_missing" => "未扫描站内二维码",
        _ => "二维码无效",
    }
}

/// What the desk says for an API error code; the phone pages' words otherwise.
pub fn error_text(code: &str) -> &'static str {
    match code {
        "invalid_credentials" | "unauthorized" => "用户名或密码不正确。",
        "consent_required" => "留存手机号须经群众同意，请选择口头或书面同意。",
        "slot_started" => "该时段已开始，不能再修改。",
        "slot_cancelled" => "该时段已取消。",
        "precondition_failed" => "排班已被他人修改，请刷新后再改。",
        "bookings_held" => "被移除的代表有已确认的预约：请指定接替代表，或勾选取消这些预约。",
        "too_late" => "距接待开始不足24小时，不能自行退出。",
        "invalid_range" => "请检查时间：结束晚于开始，且不超过12小时。",
        "unknown_deputy" => "只能安排本站辖区的代表。",
        "not_on_slot" => "接替代表须在调整后的名单中。",
        "count_below_linked" => "登记的意见数少于本次接待已登记的意见。",
        "not_pending_review" => "该签到已审核。",
        other => crate::pages::rules::error_text(other),
    }
}

/// A `datetime-local` value (`2026-12-08T09:00`) in the installation's zone, as UTC.
pub fn from_local(raw: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let t = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M").ok()?;
    tz.from_local_datetime(&t).earliest().map(|t| t.with_timezone(&Utc))
}

/// A moment as a `datetime-local` value in the installation's zone.
pub fn to_local(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Deputy ids typed as `1, 2 3`: None when something else is in the list.
pub fn ids(raw: &str) -> Option<Vec<i64>> {
    raw.split(|c: char| c == ',' || c == '，' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_and_id_lists_read_as_staff_type_them() {
        let tz = chrono_tz::Asia::Shanghai;
        let at = from_local("2026-12-08T09:00", tz).map(|t| t.to_rfc3339());
        assert_eq!(at.as_deref(), Some("2026-12-08T01:00:00+00:00"));
        assert_eq!(from_local("2026-12-08 09:00", tz), None);
        assert_eq!(from_local("2026-12-08T09:00", tz).map(|t| to_local(t, tz)).as_deref(), Some("2026-12-08T09:00"));
        assert_eq!(ids("1, 2，3 4"), Some(vec![1, 2, 3, 4]));
        assert_eq!(ids(""), Some(vec![]));
        assert_eq!(ids("1, x"), None);
        assert_eq!(channel_name("phone"), "来电");
        assert_eq!(error_text("slot_full"), crate::pages::rules::error_text("slot_full"));
    }
}
