//! Deputy CSV import, the pure part: reads the spreadsheet staff keep (UTF-8, optional BOM,
//! header row, Chinese or English column names) and checks every row against the directory.
//! All-or-nothing: any problem and nothing is written; the answer lists every problem.

use crate::error::FieldError;
use crate::org::rules;
use std::collections::HashMap;

/// Columns: canonical name, accepted headers, required.
const COLUMNS: [(&str, &[&str], bool); 10] = [
    ("name", &["name", "姓名"], true),
    ("gender", &["gender", "性别"], true),
    ("phone", &["phone", "手机号", "手机", "手机号码", "联系电话"], false),
    ("level", &["level", "层级", "代表层级"], true),
    ("region_code", &["region_code", "行政区划代码", "区划代码"], true),
    ("term", &["term", "届次", "届"], true),
    ("electoral_unit", &["electoral_unit", "选举单位", "选区"], false),
    ("group", &["group", "代表小组", "小组"], false),
    ("status", &["status", "状态"], false),
    ("introduction", &["introduction", "简介"], false),
];

pub struct Lookups {
    /// Region code → (id, level) for regions in the importer's scope.
    pub regions: HashMap<String, (i64, String)>,
    /// (region id, term, group name) → group id.
    pub groups: HashMap<(i64, i32, String), i64>,
    /// Phone → (deputy id, name) of people already in the directory.
    pub phones: HashMap<String, (i64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeatPlan {
    /// The CSV row it came from.
    pub row: usize,
    pub level: &'static str,
    pub region_id: i64,
    pub term: i32,
    pub electoral_unit: Option<String>,
    pub group_id: Option<i64>,
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonPlan {
    pub existing_id: Option<i64>,
    pub name: String,
    pub gender: &'static str,
    pub phone: Option<String>,
    pub introduction: Option<String>,
    pub seats: Vec<SeatPlan>,
}

/// The one answer for a phone that belongs to another deputy record (of another name, or outside
/// the importer's scope): it never tells which.
pub const PHONE_TAKEN: &str =
    "this phone number belongs to another deputy record; a seat is added to it by the staff who hold that deputy";

pub fn err(row: usize, col: &str, code: &str, msg: impl Into<String>) -> FieldError {
    FieldError::new(col, code, msg).at_row(row)
}

/// "17", "第17届", "第十七届" → 17.
pub fn parse_term(s: &str) -> Option<i32> {
    let t = s.trim().trim_start_matches('第').trim_end_matches('届').trim();
    if let Ok(n) = t.parse::<i32>() {
        return (1..=100).contains(&n).then_some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as i32);
    let chars: Vec<char> = t.chars().collect();
    let n = match chars.as_slice() {
        ['十'] => 10,
        [a] => digit(*a)?,
        ['十', b] => 10 + digit(*b)?,
        [a, '十'] => digit(*a)? * 10,
        [a, '十', b] => digit(*a)? * 10 + digit(*b)?,
        _ => return None,
    };
    (1..=100).contains(&n).then_some(n)
}

/// Parses and checks the whole file. `Ok` holds one plan per person; `Err` every problem found.
pub fn plan(bytes: &[u8], lk: &Lookups) -> Result<(usize, Vec<PersonPlan>), Vec<FieldError>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        vec![err(1, "file", "invalid_encoding", "the file must be UTF-8 (save as “CSV UTF-8” in Excel)")]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| vec![err(1, "file", "invalid_csv", e.to_string())])?.clone();
    let mut idx: HashMap<&str, usize> = HashMap::new();
    let mut errors = vec![];
    for (canon, names, required) in COLUMNS {
        match headers.iter().position(|h| names.contains(&h)) {
            Some(i) => {
                idx.insert(canon, i);
            }
            None if required => {
                errors.push(err(1, canon, "missing_column", format!("the header row needs a `{}` column", names[1])))
            }
            None => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut people: Vec<PersonPlan> = vec![];
    let mut by_phone: HashMap<String, usize> = HashMap::new();
    let mut seat_keys: HashMap<(String, i64, i32), usize> = HashMap::new();
    let mut rows = 0;
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        rows += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(row, "row", "invalid_csv", e.to_string()));
                continue;
            }
        };
        let get = |c: &str| idx.get(c).and_then(|i| rec.get(*i)).map(str::trim).filter(|v| !v.is_empty());
        let before = errors.len();
        let name = get("name").unwrap_or_default().to_string();
        if name.is_empty() {
            errors.push(err(row, "name", "required", "name is empty"));
        } else if name.chars().count() > 32 {
            errors.push(err(row, "name", "too_long", "at most 32 characters"));
        }
        let gender = get("gender").and_then(rules::parse_gender);
        if gender.is_none() {
            errors.push(err(
                row,
                "gender",
                "invalid_value",
                format!("`{}`: 男/女 or male/female", get("gender").unwrap_or("")),
            ));
        }
        let phone = match get("phone") {
            Some(p) => match rules::normalize_phone(p) {
                Some(n) => Some(n),
                None => {
                    errors.push(err(row, "phone", "invalid_phone", format!("`{p}` is not an 11-digit mobile number")));
                    None
                }
            },
            None => None,
        };
        let level = get("level").and_then(rules::parse_level);
        if level.is_none() {
            errors.push(err(
                row,
                "level",
                "invalid_value",
                format!("`{}`: 全国/省/市/县/乡镇", get("level").unwrap_or("")),
            ));
        }
        let region = get("region_code").and_then(|c| lk.regions.get(c));
        if region.is_none() {
            errors.push(err(
                row,
                "region_code",
                "unknown_region",
                format!("no region `{}` in your scope", get("region_code").unwrap_or("")),
            ));
        }
        if let (Some(l), Some((_, rl))) = (level, region) {
            if rules::seat_region_level(l) != Some(rl.as_str()) {
                errors.push(err(
                    row,
                    "level",
                    "level_mismatch",
                    format!("a {l} deputy does not sit in a {rl} congress"),
                ));
            }
        }
        let term = get("term").and_then(parse_term);
        if term.is_none() {
            errors.push(err(
                row,
                "term",
                "invalid_value",
                format!("`{}` is not a term (届) number", get("term").unwrap_or("")),
            ));
        }
        let status = rules::parse_status(get("status").unwrap_or(""));
        if status.is_none() {
            errors.push(err(row, "status", "invalid_value", "在任/终止/辞职 or active/terminated/resigned"));
        }
        let group_id = match (get("group"), region, term) {
            (Some(g), Some((rid, _)), Some(t)) => match lk.groups.get(&(*rid, t, g.to_string())) {
                Some(id) => Some(*id),
                None => {
                    errors.push(err(
                        row,
                        "group",
                        "unknown_group",
                        format!("no group `{g}` in this congress and term"),
                    ));
                    None
                }
            },
            _ => None,
        };
        if errors.len() > before {
            continue;
        }
        let (Some(gender), Some(level), Some((region_id, _)), Some(term), Some(status)) =
            (gender, level, region, term, status)
        else {
            continue;
        };
        // Which person this row is: same phone = same person (names must agree).
        let person = match &phone {
            Some(ph) => match by_phone.get(ph) {
                Some(&pi) if people[pi].name != name => {
                    errors.push(err(
                        row,
                        "phone",
                        "duplicate_phone",
                        format!("this phone is also given for {}", people[pi].name),
                    ));
                    continue;
                }
                Some(&pi) => Some(pi),
                None => match lk.phones.get(ph) {
                    Some((_, existing)) if *existing != name => {
                        errors.push(err(row, "phone", "phone_taken", PHONE_TAKEN));
                        continue;
                    }
                    _ => None,
                },
            },
            None => None,
        };
        let key_person = phone.clone().unwrap_or_else(|| format!("row{row}"));
        if let Some(prev) = seat_keys.insert((key_person, *region_id, term), row) {
            errors.push(err(row, "region_code", "duplicate_seat", format!("the same seat is already on row {prev}")));
            continue;
        }
        let existing_id = phone.as_ref().and_then(|ph| lk.phones.get(ph)).map(|x| x.0);
        let seat = SeatPlan {
            row,
            level,
            region_id: *region_id,
            term,
            electoral_unit: get("electoral_unit").map(str::to_string),
            group_id,
            status,
        };
        match person {
            Some(pi) => people[pi].seats.push(seat),
            None => {
                if let Some(ph) = &phone {
                    by_phone.insert(ph.clone(), people.len());
                }
                people.push(PersonPlan {
                    existing_id,
                    name,
                    gender,
                    phone,
                    introduction: get("introduction").map(str::to_string),
                    seats: vec![seat],
                });
            }
        }
    }
    if rows == 0 {
        errors.push(err(2, "file", "empty", "the file has no data rows"));
    }
    if errors.is_empty() {
        Ok((rows, people))
    } else {
        Err(errors)
    }
}
