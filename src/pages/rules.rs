//! Pure rules of the phone pages: where a visitor may be sent back to after signing in, the
//! tokens of forms and nonces, the Content-Security-Policy, and the Chinese words the pages show
//! for the API's codes, categories and statuses.

/// What a token looks like (a cookie of another shape is replaced).
pub fn well_formed_token(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Compares two tokens in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where to go after signing in: only a path of the phone pages on this site (`/m/...`); a full
/// URL, a protocol-relative `//host`, a backslash or a control character is ignored.
pub fn safe_next(raw: Option<&str>) -> String {
    safe_next_under("/m", "/m/cases", raw)
}

/// [`safe_next`] for the pages under `area` (e.g. `/desk`), with `home` when `raw` is not one
/// of them (or is the area's sign-in).
pub fn safe_next_under(area: &str, home: &str, raw: Option<&str>) -> String {
    let Some(p) = raw.map(str::trim) else { return home.into() };
    let ours = p.strip_prefix(area).is_some_and(|rest| rest.starts_with('/'))
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.contains("/../")
        && !p.chars().any(|c| c.is_control())
        && p.len() <= 1500;
    if ours && !p.starts_with(&format!("{area}/sign-in")) {
        p.to_string()
    } else {
        home.into()
    }
}

/// A time as the pages show it: `12月6日 14:30` in the installation's zone.
pub fn local_time(at: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%-m月%-d日 %H:%M").to_string()
}

/// A duty slot as the pages show it: `12月8日 周二 09:00–12:00`.
pub fn duty_when(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    use chrono::Datelike;
    const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    let (a, b) = (from.with_timezone(&tz), to.with_timezone(&tz));
    let day = DAYS[a.weekday().num_days_from_monday() as usize];
    format!("{} {day} {}–{}", a.format("%-m月%-d日"), a.format("%H:%M"), b.format("%H:%M"))
}

/// A seat as the deputy's card shows it.
pub fn seat_line(level: &str, region: &str, group: Option<&str>, term: i32) -> String {
    let level = crate::org::rules::level_name(level);
    match group {
        Some(g) => format!("{region} · {level}（第{term}届） · {g}"),
        None => format!("{region} · {level}（第{term}届）"),
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The pages' policy: scripts only with this answer's nonce, styles and images from us (deputies'
/// photos may be on an https host of the congress), no framing, forms post only to us.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self' data: blob: https:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

/// The categories an opinion may have, with their names.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("urban_construction", "城乡建设"),
    ("transport", "交通出行"),
    ("education", "教育"),
    ("health", "医疗卫生"),
    ("social_security", "社会保障"),
    ("environment", "生态环境"),
    ("public_safety", "公共安全"),
    ("economy", "经济发展"),
    ("agriculture", "农业农村"),
    ("livelihood_project", "民生实事项目建议"),
    ("other", "其他"),
];

pub fn category_name(code: &str) -> &'static str {
    CATEGORIES.iter().find(|c| c.0 == code).map(|c| c.1).unwrap_or("其他")
}

pub fn status_name(code: &str) -> &'static str {
    match code {
        "submitted" => "已提交，待受理",
        "accepted" => "已受理",
        "answered" => "代表已答复",
        "forwarded" => "已转承办单位",
        "replied" => "承办单位已回复",
        "closed" => "已办结，待评价",
        "rated" => "已评价",
        "reopened" => "重新办理中",
        "rejected" => "未予受理",
        "withdrawn" => "已撤回",
        "merged" => "已并入同类意见",
        _ => "处理中",
    }
}

pub fn author_name(code: &str) -> &'static str {
    match code {
        "constituent" => "我",
        "deputy" => "代表",
        "staff" => "工作人员",
        "unit" => "承办单位",
        _ => "系统",
    }
}

pub fn appointment_status_name(code: &str) -> &'static str {
    match code {
        "requested" => "待确认",
        "confirmed" => "已确认",
        "declined" => "未能安排",
        "cancelled" => "已取消",
        "cancelled_by_station" => "联络站已取消",
        _ => "处理中",
    }
}

/// What a page says for an API error code (never the API's English detail).
pub fn error_text(code: &str) -> &'static str {
    match code {
        "rate_limited" => "操作太频繁，请稍后再试。",
        "invalid_phone" => "请输入正确的11位手机号码。",
        "otp_invalid" => "验证码不正确，请重新输入。",
        "otp_expired" => "验证码已过期，请重新获取。",
        "otp_burned" => "验证码错误次数过多，请重新获取。",
        "consent_required" => "请先阅读并同意隐私政策。",
        "validation_failed" => "请检查填写的内容。",
        "unknown_photo" => "照片已失效，请重新选择。",
        "payload_too_large" => "照片太大了，每张不超过5MB。",
        "unsupported_media_type" => "只能上传JPEG或PNG格式的照片。",
        "illegal_transition" => "当前状态下不能进行此操作，请刷新页面。",
        "slot_full" => "该时段已约满，请选择其他时段。",
        "slot_over" => "该时段已经结束。",
        "already_booked" => "您已预约过该时段。",
        "online_unavailable" => "暂不提供视频接待，请选择到站面谈。",
        "unknown_slot" | "slot_past" | "not_on_duty" => "该时段已不可预约，请重新选择。",
        "not_found" => "没有找到相关内容。",
        _ => "系统繁忙，请稍后再试。",
    }
}

/// A map link for a WGS-84 position (Amap's URI API, which phones open in the browser or the app).
pub fn map_link(lat: f64, lng: f64, name: &str) -> String {
    format!(
        "https://uri.amap.com/marker?position={lng:.6},{lat:.6}&name={}&coordinate=wgs84&callnative=1",
        url_encode(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/m/abc/opinion?x=1")), "/m/abc/opinion?x=1");
        for bad in ["//evil.example", "https://evil.example", "/m\\..\\x", "/api/v1/x", "/m/../api", "/m/sign-in", ""] {
            assert_eq!(safe_next(Some(bad)), "/m/cases", "{bad}");
        }
        assert_eq!(safe_next(Some("/m/x\nLocation: y")), "/m/cases");
        assert_eq!(safe_next(None), "/m/cases");
        let desk = |raw| safe_next_under("/desk", "/desk/", Some(raw));
        assert_eq!(desk("/desk/duty-reports/3/session"), "/desk/duty-reports/3/session");
        for bad in ["/desk/sign-in?next=/x", "/deskx/", "/m/cases", "/desk/../api/v1", "//desk/"] {
            assert_eq!(desk(bad), "/desk/", "{bad}");
        }
    }

    #[test]
    fn tokens_are_compared_whole() {
        let t = "0123456789abcdef0123456789abcdef";
        assert!(well_formed_token(t) && same_token(t, t));
        assert!(!same_token(t, &t[..31]) && !same_token(t, "1123456789abcdef0123456789abcdef"));
        assert!(!well_formed_token("zz") && !well_formed_token(&"g".repeat(32)));
    }

    #[test]
    fn every_category_has_a_name_and_the_policy_names_the_nonce() {
        assert_eq!(category_name("transport"), "交通出行");
        assert!(csp("abc").contains("'nonce-abc'") && csp("abc").contains("frame-ancestors 'none'"));
        assert!(map_link(31.8, 117.2, "站 A").contains("name=%E7%AB%99+A"));
    }
}
