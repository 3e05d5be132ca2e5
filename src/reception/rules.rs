//! Pure rules of the constituents' sign-in: one-time codes and what a code request may carry.

use sha2::{Digest, Sha256};

/// How long a code works (seconds), and how many wrong tries burn it.
pub const CODE_SECS: i64 = 300;
pub const MAX_TRIES: i32 = 5;

/// A six-digit code.
pub fn new_code() -> String {
    format!("{:06}", rand::random_range(0..1_000_000u32))
}

/// What is stored of a code: a hash bound to the (keyed hash of the) phone number.
pub fn code_hash(phone_hash: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{phone_hash}:{}", code.trim()).as_bytes()))
}

/// The text that carries a code.
pub fn code_text(code: &str) -> String {
    format!("【人大履职】您的登录验证码是{code}，5分钟内有效。如非本人操作，请忽略。")
}

/// What a wrong code does: the tries it has had, and whether it is now burned.
pub fn after_wrong_try(attempts: i32) -> (i32, bool) {
    let n = attempts + 1;
    (n, n >= MAX_TRIES)
}

/// The text telling the person who booked a reception of the deputy's answer.
pub fn appointment_text(kind: &str, when: &str, why: Option<&str>, base: Option<&str>) -> String {
    let link = base.map(|b| format!("{b}/m/cases#appointments")).unwrap_or_else(|| "人大代表云接待室".into());
    let why = |default: &str| -> String { why.unwrap_or(default).chars().take(60).collect() };
    match kind {
        "confirmed" => format!("【履职】您预约的{when}代表接待已确认，请按时参加。详情：{link}"),
        "cancelled_by_station" => {
            format!("【履职】很抱歉，您预约的{when}代表接待已取消（{}），欢迎另约时间：{link}", why("接待安排调整"))
        }
        "moved" => format!("【履职】您预约的{when}代表接待改由{}代表接待，时间不变。详情：{link}", why("另一位")),
        "retimed" => format!("【履职】您预约的代表接待时间调整为{when}，如不便请取消后另约：{link}"),
        _ => format!(
            "【履职】很抱歉，您预约的{when}代表接待未能安排（{}），欢迎另约时间：{link}",
            why("代表当天无法接待")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_hashed_with_the_phone() {
        for _ in 0..100 {
            let c = new_code();
            assert!(c.len() == 6 && c.chars().all(|d| d.is_ascii_digit()));
        }
        assert_ne!(code_hash("13800000000", "123456"), code_hash("13800000001", "123456"));
        assert_eq!(code_hash("13800000000", " 123456 "), code_hash("13800000000", "123456"));
    }

    #[test]
    fn the_fifth_wrong_try_burns_the_code() {
        assert_eq!(after_wrong_try(0), (1, false));
        assert_eq!(after_wrong_try(3), (4, false));
        assert_eq!(after_wrong_try(4), (5, true));
    }
}
