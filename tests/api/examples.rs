//! Example requests for any operation of the OpenAPI document: bodies made from its schemas with
//! dates from the app's clock, and paths filled with records of the demo.

use crate::helpers::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Dates the test uses, built from the app's clock (never the calendar): `day` is today in the
/// congress's zone, `from`..`to` a two-hour slot the day after tomorrow (events that have not
/// started yet).
pub(crate) struct Dates {
    pub(crate) day: String,
    pub(crate) from: String,
    pub(crate) to: String,
}

impl Dates {
    pub(crate) fn of(app: &TestApp) -> Dates {
        let now = app.clock.now();
        let start = (now + chrono::Duration::days(2)).date_naive().and_hms_opt(1, 0, 0).unwrap().and_utc();
        Dates {
            day: now.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string(),
            from: start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            to: (start + chrono::Duration::hours(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }
}

/// A body that passes deserialization: every required property with a plain value of its type.
pub(crate) fn example(schema: &Value, spec: &Value, depth: usize, dates: &Dates) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return example(&spec["components"]["schemas"][name], spec, depth + 1, dates);
    }
    for k in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[k].as_array().and_then(|v| v.iter().find(|s| s["type"] != "null")) {
            return example(first, spec, depth + 1, dates);
        }
    }
    if let Some(e) = schema["enum"].as_array().and_then(|e| e.first()) {
        return e.clone();
    }
    let ty = match &schema["type"] {
        Value::Array(ts) => ts.iter().find(|t| *t != "null").and_then(Value::as_str).unwrap_or("object"),
        Value::String(t) => t.as_str(),
        _ => "object",
    };
    match (ty, schema["format"].as_str()) {
        ("string", Some("date")) => json!(dates.day),
        ("string", Some("date-time")) => json!(dates.from),
        ("string", _) => json!("x"),
        ("integer", _) => json!(1),
        ("number", _) => json!(1.0),
        ("boolean", _) => json!(false),
        ("array", _) => json!([]),
        _ => {
            let mut o = Map::new();
            for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                let v = if name == "year" {
                    json!(dates.day[..4].parse::<i32>().unwrap())
                } else {
                    example(&schema["properties"][name], spec, depth + 1, dates)
                };
                o.insert(name.to_string(), v);
            }
            Value::Object(o)
        }
    }
}

/// Records of the demo (in the in-scope admin's reach) that fill the paths.
pub(crate) struct Records {
    pub(crate) ticket: String,
    pub(crate) code: String,
    pub(crate) region: i64,
    /// The id of a record of each collection (`suggestions` → 3), where 1 would not do.
    pub(crate) ids: BTreeMap<&'static str, i64>,
    pub(crate) dates: Dates,
}

/// The path with its parameters filled by [`Records`], and the query parameters it needs.
pub(crate) fn fill(path: &str, r: &Records) -> String {
    let segs: Vec<&str> = path.split('/').collect();
    let filled = segs
        .iter()
        .enumerate()
        .map(|(i, s)| match *s {
            "{ticket}" => r.ticket.clone(),
            "{code}" => r.code.clone(),
            "{day}" => r.dates.day.clone(),
            "{region_id}" => r.region.to_string(),
            "{id}" if segs[i - 1] == "regions" => r.region.to_string(),
            "{id}" => r.ids.get(segs[i - 1]).copied().unwrap_or(1).to_string(),
            s if s.starts_with('{') => {
                r.ids.get(s.trim_start_matches('{').trim_end_matches('}')).copied().unwrap_or(1).to_string()
            }
            s => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/");
    let year = format!("?year={}", &r.dates.day[..4]);
    let query = match path {
        "/api/v1/calendar" => year.as_str(),
        "/api/v1/checkins" => "?station_id=1",
        "/api/v1/me/opinions/similar" => "?category=transport&latitude=31.86&longitude=117.28",
        "/api/v1/opinions/stats" => "?by=station",
        "/api/v1/public/stations/near" => "?latitude=31.86&longitude=117.28",
        _ => "",
    };
    format!("{filled}{query}")
}

/// Bodies that pass the checks that come before authorization, where the plain example would not.
pub(crate) fn body_for(method: &str, path: &str, r: &Records) -> Option<Value> {
    let (from, to) = (&r.dates.from, &r.dates.to);
    Some(match (method, path) {
        ("POST", "/api/v1/checkins") => {
            json!({"station_id": 1, "token": "x", "latitude": 31.86, "longitude": 117.28, "accuracy_m": 10, "coord_system": "wgs84"})
        }
        ("POST", "/api/v1/checkins/{id}/review") => json!({"decision": "approve"}),
        ("POST", "/api/v1/feed/subscriptions") => {
            json!({"client_id": r.ids.get("client_id").copied().unwrap_or(1), "url": "https://platform.example.cn/hook"})
        }
        ("POST", "/api/v1/events") => {
            json!({"kind": "meeting", "title": "会议", "region_id": r.region, "station_id": 1, "starts_at": from, "ends_at": to})
        }
        ("POST", "/api/v1/project-rounds") => json!({"region_id": r.region, "year": 2027, "title": "民生实事项目"}),
        ("POST", "/api/v1/appointments/{id}/decline") => json!({"reason": "当天另有公务"}),
        ("POST", "/api/v1/ledger/proposals/{id}/decide") => json!({"approve": false, "note": "依据不足"}),
        ("POST", "/api/v1/opinions/{ticket}/extension/decision") => json!({"approve": false, "reason": "期限已足"}),
        ("POST", "/api/v1/stations/{id}/slots") => json!({"starts_at": from, "ends_at": to}),
        ("POST", "/api/v1/appointments") => {
            json!({"slot_id": 1, "deputy_id": 1, "mode": "in_person", "topic": "反映路灯问题"})
        }
        ("POST", "/api/v1/opinions/{ticket}/reject") => json!({"reason": "不属于受理范围"}),
        ("POST", "/api/v1/me/opinions/{ticket}/rate") => {
            json!({"satisfaction": "satisfied", "result_score": 5, "attitude_score": 5})
        }
        ("POST", "/api/v1/suggestions/{id}/evaluate") => json!({"satisfaction": "satisfied"}),
        ("POST", "/api/v1/suggestions/{id}/reply") => json!({"classification": "A", "body": "已解决"}),
        ("POST", "/api/v1/suggestions/{id}/contacts") => {
            json!({"channel": "phone", "contacted_on": r.dates.day, "summary": "电话沟通"})
        }
        _ => return None,
    })
}
