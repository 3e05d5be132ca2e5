//! Pure rules of the liaison links' CSV import: the columns (Chinese or English headers), one
//! planned link per row — a member by phone (a deputy) or username (a staff account), a target by
//! phone (a deputy) or group name, a yearly target — and every problem found, by row.

use crate::error::FieldError;
use std::collections::HashMap;

/// (canonical name, header names).
const COLUMNS: [(&str, [&str; 2]); 5] = [
    ("member_phone", ["member_phone", "成员手机号"]),
    ("member_username", ["member_username", "成员账号"]),
    ("deputy_phone", ["deputy_phone", "代表手机号"]),
    ("group", ["group", "代表小组"]),
    ("yearly_target", ["yearly_target", "年度联系次数"]),
];
/// The most rows of one file.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A deputy, by phone.
    Deputy(String),
    /// A staff account, by username.
    Account(String),
    /// A deputy group, by name.
    Group(String),
}

/// One planned link: its row (the header is row 1), member, target and yearly target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub row: usize,
    pub member: Who,
    pub target: Who,
    pub yearly_target: i32,
}

fn err(row: usize, col: &str, code: &str, msg: &str) -> FieldError {
    FieldError::new(col, code, msg).at_row(row)
}

/// Parses the whole file: the rows, or every problem.
pub fn parse(bytes: &[u8]) -> Result<Vec<Planned>, Vec<FieldError>> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| vec![err(1, "file", "invalid_encoding", "the file must be UTF-8")])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\0') {
        return Err(vec![err(1, "file", "invalid_csv", "no NUL characters")]);
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| vec![err(1, "file", "invalid_csv", &e.to_string())])?.clone();
    let idx: HashMap<&str, usize> = COLUMNS
        .iter()
        .filter_map(|(c, names)| headers.iter().position(|h| names.contains(&h)).map(|i| (*c, i)))
        .collect();
    if !idx.contains_key("member_phone") && !idx.contains_key("member_username") {
        return Err(vec![err(
            1,
            "member_phone",
            "missing_column",
            "a member_phone (成员手机号) or member_username (成员账号) column",
        )]);
    }
    if !idx.contains_key("deputy_phone") && !idx.contains_key("group") {
        return Err(vec![err(
            1,
            "deputy_phone",
            "missing_column",
            "a deputy_phone (代表手机号) or group (代表小组) column",
        )]);
    }
    let (mut out, mut errors) = (vec![], vec![]);
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        if row > MAX_ROWS + 1 {
            errors.push(err(row, "file", "too_many_rows", "at most 5,000 rows"));
            break;
        }
        let Ok(rec) = rec else {
            errors.push(err(row, "file", "invalid_csv", "this row cannot be read"));
            continue;
        };
        let cell =
            |c: &str| idx.get(c).and_then(|i| rec.get(*i)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let member = match (cell("member_phone"), cell("member_username")) {
            (Some(p), None) => Some(Who::Deputy(p)),
            (None, Some(u)) => Some(Who::Account(u)),
            _ => None,
        };
        let target = match (cell("deputy_phone"), cell("group")) {
            (Some(p), None) => Some(Who::Deputy(p)),
            (None, Some(g)) => Some(Who::Group(g)),
            _ => None,
        };
        let yearly = match cell("yearly_target") {
            None => Some(4),
            Some(t) => t.parse::<i32>().ok().filter(|n| (1..=365).contains(n)),
        };
        match (member, target, yearly) {
            (Some(member), Some(target), Some(yearly_target)) => {
                out.push(Planned { row, member, target, yearly_target })
            }
            (None, ..) => {
                errors.push(err(row, "member_phone", "required", "a member's phone or username, one of them"))
            }
            (_, None, _) => {
                errors.push(err(row, "deputy_phone", "required", "a deputy's phone or a group, one of them"))
            }
            (.., None) => errors.push(err(row, "yearly_target", "out_of_range", "1–365")),
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(err(1, "file", "empty", "no rows"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_planned_or_every_problem_named() {
        let ok = "成员手机号,代表手机号,年度联系次数\n13900000001,13900000002,6\n13900000001,13900000003,\n";
        let p = parse(ok.as_bytes()).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].row, p[0].yearly_target, p[1].yearly_target), (2, 6, 4));
        assert_eq!(p[0].target, Who::Deputy("13900000002".into()));
        let bad = "member_username,group,yearly_target\nstaff1,,3\n,第一小组,0\n";
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(
            e.iter().map(|x| (x.row, x.code.as_str())).collect::<Vec<_>>(),
            vec![(Some(2), "required"), (Some(3), "required")]
        );
        assert_eq!(parse(b"name\nx\n").unwrap_err()[0].code, "missing_column");
        assert_eq!(parse(b"\xff\xfe").unwrap_err()[0].code, "invalid_encoding");
    }
}
