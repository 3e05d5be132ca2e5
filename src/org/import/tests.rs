//! Tests of the import plan: columns in either language, every problem listed, nothing half-read.

use super::plan::*;
use std::collections::HashMap;

fn lookups() -> Lookups {
    Lookups {
        regions: [("340102".to_string(), (5, "county".to_string()))].into_iter().collect(),
        groups: [((5, 17, "第一小组".to_string()), 9)].into_iter().collect(),
        phones: HashMap::new(),
    }
}

#[test]
fn terms() {
    assert_eq!(parse_term("第十七届"), Some(17));
    assert_eq!(parse_term("17"), Some(17));
    assert_eq!(parse_term("二十"), Some(20));
    assert_eq!(parse_term("x"), None);
}

#[test]
fn good_file_with_bom_and_chinese_headers() {
    let csv = "\u{feff}姓名,性别,手机号,层级,行政区划代码,届次,代表小组\n张伟,男,13800000001,县,340102,17,第一小组\n";
    let (rows, people) = plan(csv.as_bytes(), &lookups()).unwrap();
    assert_eq!(rows, 1);
    assert_eq!(people[0].seats[0].group_id, Some(9));
}

#[test]
fn every_bad_cell_is_reported() {
    let csv = "name,gender,phone,level,region_code,term\n,x,123,county,999999,17\n李娜,女,13800000002,city,340102,17\n";
    let errs = plan(csv.as_bytes(), &lookups()).unwrap_err();
    let got: Vec<(usize, &str, &str)> =
        errs.iter().map(|e| (e.row.unwrap(), e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (2, "name", "required"),
            (2, "gender", "invalid_value"),
            (2, "phone", "invalid_phone"),
            (2, "region_code", "unknown_region"),
            (3, "level", "level_mismatch")
        ]
    );
}
