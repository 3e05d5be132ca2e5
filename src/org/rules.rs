//! Pure rules of the directory: region tree levels and codes, deputy field vocabularies (English
//! and the Chinese staff use in spreadsheets), phone masking, station geometry.

use crate::error::FieldError;
use rand::Rng;

pub const REGION_LEVELS: [&str; 4] = ["province", "city", "county", "township"];
pub const DEPUTY_LEVELS: [&str; 5] = ["national", "provincial", "city", "county", "township"];
pub const STATUSES: [&str; 3] = ["active", "terminated", "resigned"];
pub const GENDERS: [&str; 2] = ["male", "female"];
pub const STATION_KINDS: [&str; 4] = ["home", "station", "point", "studio"];
pub const DEFAULT_RADIUS_M: i32 = 150;

/// The level a child of `parent_level` must have.
pub fn child_level(parent_level: &str) -> Option<&'static str> {
    let i = REGION_LEVELS.iter().position(|l| *l == parent_level)?;
    REGION_LEVELS.get(i + 1).copied()
}

/// GB/T 2260: 6 digits for province, city and county; townships use the 9-digit statistical code
/// (12 digits also accepted). A child's code starts with its parent's significant prefix.
pub fn check_region_code(code: &str, level: &str, parent_code: Option<&str>) -> Result<(), FieldError> {
    let digits = code.chars().all(|c| c.is_ascii_digit());
    let len_ok = match level {
        "township" => code.len() == 9 || code.len() == 12,
        _ => code.len() == 6,
    };
    if !digits || !len_ok {
        return Err(FieldError::new("code", "invalid_code", "GB/T 2260 code: 6 digits (9 or 12 for a township)"));
    }
    let prefix = match level {
        "city" => 2,
        "county" => 4,
        "township" => 6,
        _ => 0,
    };
    if let Some(p) = parent_code {
        if prefix > 0 && (p.len() < prefix || code[..prefix] != p[..prefix]) {
            return Err(FieldError::new(
                "code",
                "code_not_in_parent",
                "the code does not start with the parent's code",
            ));
        }
    }
    Ok(())
}

/// The region level of the congress a seat of `deputy_level` sits in (national deputies are
/// elected by a provincial congress).
pub fn seat_region_level(deputy_level: &str) -> Option<&'static str> {
    Some(match deputy_level {
        "national" | "provincial" => "province",
        "city" => "city",
        "county" => "county",
        "township" => "township",
        _ => return None,
    })
}

pub fn parse_level(s: &str) -> Option<&'static str> {
    Some(match s.trim() {
        "national" | "全国" | "全国人大" => "national",
        "provincial" | "省" | "省级" => "provincial",
        "city" | "市" | "市级" => "city",
        "county" | "县" | "县级" | "区" | "县（区）" => "county",
        "township" | "乡" | "镇" | "乡镇" | "乡级" | "街道" => "township",
        _ => return None,
    })
}

pub fn parse_gender(s: &str) -> Option<&'static str> {
    Some(match s.trim() {
        "male" | "男" | "M" | "m" => "male",
        "female" | "女" | "F" | "f" => "female",
        _ => return None,
    })
}

pub fn parse_status(s: &str) -> Option<&'static str> {
    Some(match s.trim() {
        "active" | "在任" | "" => "active",
        "terminated" | "终止" | "资格终止" => "terminated",
        "resigned" | "辞职" => "resigned",
        _ => return None,
    })
}

/// Mainland mobile numbers: 11 digits starting 13–19 (spaces and dashes ignored).
pub fn normalize_phone(s: &str) -> Option<String> {
    let d: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let d = d.strip_prefix("+86").unwrap_or(&d).to_string();
    let ok = d.len() == 11
        && d.starts_with('1')
        && d.chars().all(|c| c.is_ascii_digit())
        && matches!(d.as_bytes()[1], b'3'..=b'9');
    ok.then_some(d)
}

/// `13812341234` → `138****1234`.
pub fn mask_phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

pub fn valid_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

pub fn check_position(lat: f64, lng: f64) -> Vec<FieldError> {
    let mut e = vec![];
    if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
        e.push(FieldError::new("latitude", "out_of_range", "latitude must be within -90..90"));
    }
    if !(-180.0..=180.0).contains(&lng) || !lng.is_finite() {
        e.push(FieldError::new("longitude", "out_of_range", "longitude must be within -180..180"));
    }
    e
}

pub fn check_radius(r: i32) -> Option<FieldError> {
    (!(10..=5000).contains(&r)).then(|| FieldError::new("radius_m", "out_of_range", "radius must be 10–5000 m"))
}

/// The letters of public codes: 32 of them, no 0/O/1/I to misread.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A stable public code to print as a QR: a letter and 9 random characters (45 bits).
pub fn public_code(prefix: char) -> String {
    let mut rng = rand::rng();
    let body: String = (0..9).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{prefix}{body}")
}

/// The `n`-th code of a run starting at a random `base`: distinct for every `n` of the run (an odd
/// multiplier permutes the 45-bit codes). For bulk seeding, where independent random codes repeat:
/// among 600,000 of them a repeat has a chance of about one in two hundred.
pub fn public_code_in_run(prefix: char, base: u64, n: u64) -> String {
    const MASK: u64 = (1 << 45) - 1;
    let mut x = (base.wrapping_add(n) & MASK).wrapping_mul(0x2545_F491_4F6C_DD1D) & MASK;
    let body: String = (0..9)
        .map(|_| {
            let c = ALPHABET[(x & 31) as usize] as char;
            x >>= 5;
            c
        })
        .collect();
    format!("{prefix}{body}")
}

/// Non-empty after trimming, at most `max` characters.
pub fn required_text(field: &str, v: &str, max: usize) -> Option<FieldError> {
    let t = v.trim();
    if t.is_empty() {
        Some(FieldError::new(field, "required", "must not be empty"))
    } else if t.chars().count() > max {
        Some(FieldError::new(field, "too_long", format!("at most {max} characters")))
    } else {
        None
    }
}

/// The paths of the regions on `path` (`/1/5/23/` → `/1/`, `/1/5/`, `/1/5/23/`): the congresses a
/// place lies under.
pub fn ancestors(path: &str) -> Vec<String> {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (1..=parts.len()).map(|n| format!("/{}/", parts[..n].join("/"))).collect()
}

/// A deputy level as printed: `县（区）人大代表`.
pub fn level_name(level: &str) -> &'static str {
    match level {
        "national" => "全国人大代表",
        "provincial" => "省人大代表",
        "city" => "市人大代表",
        "county" => "县（区）人大代表",
        "township" => "乡镇人大代表",
        _ => "人大代表",
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn codes_of_a_run_never_repeat() {
        let codes: std::collections::HashSet<String> =
            (0..200_000).map(|n| public_code_in_run('D', (1 << 45) - 7, n)).collect();
        assert_eq!(codes.len(), 200_000);
        assert!(codes.iter().all(|c| c.len() == 10 && c.starts_with('D') && !c.contains(['0', 'O', '1', 'I'])));
    }

    use super::*;

    #[test]
    fn region_codes() {
        assert!(check_region_code("340000", "province", None).is_ok());
        assert!(check_region_code("340100", "city", Some("340000")).is_ok());
        assert!(check_region_code("340102", "county", Some("340100")).is_ok());
        assert!(check_region_code("340102001", "township", Some("340102")).is_ok());
        assert_eq!(check_region_code("350102", "county", Some("340100")).unwrap_err().code, "code_not_in_parent");
        assert_eq!(check_region_code("34A100", "city", None).unwrap_err().code, "invalid_code");
        assert_eq!(child_level("county"), Some("township"));
        assert_eq!(child_level("township"), None);
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("138 1234 1234").as_deref(), Some("13812341234"));
        assert_eq!(normalize_phone("+8613812341234").as_deref(), Some("13812341234"));
        assert_eq!(normalize_phone("12812341234"), None);
        assert_eq!(mask_phone("13812341234"), "138****1234");
    }

    #[test]
    fn vocabularies_accept_chinese() {
        assert_eq!(parse_level("乡镇"), Some("township"));
        assert_eq!(parse_gender("女"), Some("female"));
        assert_eq!(parse_status("辞职"), Some("resigned"));
        assert_eq!(seat_region_level("national"), Some("province"));
    }
}
