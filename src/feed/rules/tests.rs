use super::*;
use chrono::Timelike;

#[test]
fn signatures_match_the_standard_webhooks_vector() {
    // The example of the Standard Webhooks specification (and its reference libraries).
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let (id, ts, body) = ("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, br#"{"test": 2432232314}"#);
    assert_eq!(sign(secret, id, ts, body).unwrap(), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    let header = signatures(&[new_secret([7; 32]).as_str(), secret], id, ts, body);
    assert_eq!(header.split(' ').count(), 2);
    assert!(verify(secret, id, ts, body, &header, ts + 10, 300));
    assert!(!verify(secret, id, ts, b"{}", &header, ts, 300), "another body");
    assert!(!verify(secret, id, ts, body, &header, ts + 301, 300), "too old");
    assert!(!verify(&new_secret([1; 32]), id, ts, body, &header, ts, 300), "another secret");
}

#[test]
fn cursors_are_bound_to_their_client_and_refuse_tampering() {
    let mac = |b: &[u8]| {
        use hmac::{Hmac, Mac};
        let mut m = Hmac::<sha2::Sha256>::new_from_slice(b"k").unwrap();
        m.update(b);
        m.finalize().into_bytes().to_vec()
    };
    let c = encode_cursor(1234, 9, mac);
    assert_eq!(decode_cursor(&c, 9, mac), Some(1234));
    assert_eq!(decode_cursor(&c, 10, mac), None, "another client's cursor");
    let mut raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &c).unwrap();
    raw[7] ^= 1;
    let forged = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, raw);
    assert_eq!(decode_cursor(&forged, 9, mac), None, "a changed sequence");
    assert_eq!(decode_cursor("not a cursor", 9, mac), None);
    assert_eq!(decode_cursor("", 9, mac), None);
}

#[test]
fn types_parse_and_unknown_ones_are_named() {
    assert_eq!(parse_types("cn.lvzhi.checkin.accepted, cn.lvzhi.notice.published").unwrap().len(), 2);
    assert_eq!(parse_types("cn.lvzhi.nope").unwrap_err(), "cn.lvzhi.nope");
    assert!(parse_types("").unwrap().is_empty());
    for t in ALL {
        assert_eq!(Type::parse(t.as_str()), Some(t));
    }
}

/// No type's data has a field that could carry a phone number, a position, a note or a
/// constituent's identity.
#[test]
fn no_type_carries_personal_fields() {
    let banned =
        ["phone", "mobile", "lat", "lng", "latitude", "longitude", "position", "note", "constituent", "address"];
    for t in ALL {
        let schema = t.schema();
        let props = schema["properties"].as_object().unwrap_or_else(|| panic!("{} has no properties", t.as_str()));
        for name in props.keys() {
            assert!(!banned.iter().any(|b| name.contains(b)), "{} carries `{name}`", t.as_str());
        }
    }
}

#[test]
fn scope_is_a_subtree() {
    assert!(in_scope("/1/2/", "/1/2/3/"));
    assert!(!in_scope("/1/2/", "/1/20/"));
}

#[test]
fn events_are_written_as_serde_would_write_their_cloud_event() {
    use crate::feed::model::CloudEvent;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap().and_hms_micro_opt(20, 1, 2, 345_600).unwrap();
    for (at, data) in [(at, r#"{"entry_id":7,"note":"\"引号\"\n"}"#), (at.with_nanosecond(0).unwrap(), "")] {
        let row = (42, "cn.lvzhi.ledger.entry_posted".to_string(), "entries/7".into(), "/1/2/".into(), data.into(), at);
        let src = "https://例子.cn/\"feed\"";
        let mut out = vec![];
        render::array(&mut out, &render::quoted(src), std::slice::from_ref(&row));
        let by_serde = CloudEvent {
            specversion: "1.0",
            id: "42".into(),
            source: src.into(),
            type_: row.1.clone(),
            subject: row.2.clone(),
            time: chrono::DateTime::from_naive_utc_and_offset(at, chrono::Utc),
            datacontenttype: "application/json",
            sequence: "42".into(),
            region: row.3.clone(),
            data: serde_json::value::RawValue::from_string(if data.is_empty() { "null".into() } else { data.into() })
                .unwrap(),
        };
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&[by_serde]).unwrap());
    }
    let page: serde_json::Value = serde_json::from_slice(&render::page("\"s\"", &[], "c\"1", true)).unwrap();
    assert_eq!(page, serde_json::json!({"items": [], "next_cursor": "c\"1", "caught_up": true}));
}
