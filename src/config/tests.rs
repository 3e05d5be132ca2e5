//! Settings read from a given environment.

use super::*;

fn with(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: std::collections::HashMap<String, String> =
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::from_lookup(&move |k| map.get(k).cloned())
}

#[test]
fn defaults_are_sqlite_under_data_dir() {
    let s = with(&[]).unwrap();
    assert_eq!(s.database_url, DatabaseUrl::Sqlite(PathBuf::from("./data/lvzhi.db")));
    assert_eq!(s.bind, "127.0.0.1:8080");
    assert_eq!(s.tz, chrono_tz::Asia::Shanghai);
}

#[test]
fn database_url_forms() {
    assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(), DatabaseUrl::Sqlite("/tmp/x.db".into()));
    assert_eq!(DatabaseUrl::parse("x.db").unwrap(), DatabaseUrl::Sqlite("x.db".into()));
    assert!(DatabaseUrl::parse("postgres://u@h/db").unwrap().is_postgres());
    assert!(DatabaseUrl::parse("mysql://h/db").is_err());
}

#[test]
fn a_push_lease_must_outlive_a_send() {
    // The default timeout is 10 s: a lease of 5 s would let a second worker send it again.
    assert_eq!(with(&[("LVZHI_PUSH_LEASE_SECS", "5")]).unwrap_err().var, "LVZHI_PUSH_LEASE_SECS");
    assert!(with(&[("LVZHI_PUSH_LEASE_SECS", "12")]).is_ok());
    assert!(with(&[("LVZHI_PUSH_LEASE_SECS", "3"), ("LVZHI_PUSH_TIMEOUT_MS", "1000")]).is_ok());
    assert_eq!(
        with(&[("LVZHI_PUSH_LEASE_SECS", "3"), ("LVZHI_PUSH_TIMEOUT_MS", "1500")]).unwrap_err().var,
        "LVZHI_PUSH_LEASE_SECS"
    );
}

#[test]
fn private_gateways_need_their_host_listed() {
    let hook = |url: &'static str, allow: Option<&'static str>| {
        let mut v = vec![("LVZHI_PUSH_WEBHOOK_URL", url), ("LVZHI_PUSH_WEBHOOK_SECRET", "s")];
        v.extend(allow.map(|a| ("LVZHI_OUTBOUND_ALLOW", a)));
        with(&v)
    };
    assert_eq!(hook("http://10.0.0.5/push", None).unwrap_err().var, "LVZHI_PUSH_WEBHOOK_URL");
    assert_eq!(hook("http://10.0.0.5/push", Some("10.0.0.6")).unwrap_err().var, "LVZHI_PUSH_WEBHOOK_URL");
    assert_eq!(
        hook("http://10.0.0.5/push", Some("10.0.0.6, 10.0.0.5")).unwrap().outbound_allow,
        vec!["10.0.0.6", "10.0.0.5"]
    );
    assert!(hook("https://push.example.cn/v1", None).is_ok());
    assert_eq!(with(&[("LVZHI_OUTBOUND_ALLOW_PRIVATE", "true")]).unwrap_err().var, "LVZHI_OUTBOUND_ALLOW_PRIVATE");
}

#[test]
fn bad_values_name_the_variable() {
    assert_eq!(with(&[("LVZHI_TZ", "Mars/Base")]).unwrap_err().var, "LVZHI_TZ");
    assert_eq!(with(&[("LVZHI_MAX_BODY_BYTES", "-3")]).unwrap_err().var, "LVZHI_MAX_BODY_BYTES");
    assert_eq!(with(&[("LVZHI_ENV", "production")]).unwrap_err().var, "LVZHI_JWT_KEY_FILE");
    assert_eq!(with(&[("REDIS_URL", "localhost")]).unwrap_err().var, "REDIS_URL");
    assert_eq!(with(&[("LVZHI_TRUST_PROXY", "maybe")]).unwrap_err().var, "LVZHI_TRUST_PROXY");
    assert_eq!(with(&[("LVZHI_DB_INLINE_READS", "sometimes")]).unwrap_err().var, "LVZHI_DB_INLINE_READS");
}

#[test]
fn inline_reads_are_on_unless_turned_off() {
    assert!(with(&[]).unwrap().db_inline_reads);
    assert!(!with(&[("LVZHI_DB_INLINE_READS", "false")]).unwrap().db_inline_reads);
}

#[test]
fn personal_data_keys_come_in_pairs_are_checked_and_never_printed() {
    let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let prod = [("LVZHI_ENV", "production"), ("LVZHI_JWT_KEY_FILE", "/etc/lvzhi/jwt.pem")];
    assert_eq!(with(&prod).unwrap_err().var, "LVZHI_PII_KEYS");
    assert_eq!(with(&[("LVZHI_PII_KEYS", &format!("k1:{key}"))]).unwrap_err().var, "LVZHI_PII_HASH_KEY");
    assert_eq!(with(&[("LVZHI_PII_HASH_KEY", key)]).unwrap_err().var, "LVZHI_PII_KEYS");
    assert_eq!(with(&[("LVZHI_PII_KEYS", "k1:short"), ("LVZHI_PII_HASH_KEY", key)]).unwrap_err().var, "LVZHI_PII_KEYS");
    assert_eq!(
        with(&[("LVZHI_PII_KEYS", &format!("k1:{key}")), ("LVZHI_PII_HASH_KEY", "c2hvcnQ=")]).unwrap_err().var,
        "LVZHI_PII_HASH_KEY"
    );
    let keys = [("LVZHI_PII_KEYS", format!("k1:{key}")), ("LVZHI_PII_HASH_KEY", key.to_string())];
    let full = |base: &str| {
        let mut v: Vec<(&str, &str)> = vec![prod[0], prod[1], (keys[0].0, &keys[0].1), (keys[1].0, &keys[1].1)];
        if !base.is_empty() {
            v.push(("LVZHI_PUBLIC_BASE_URL", base));
        }
        with(&v)
    };
    assert_eq!(full("").unwrap_err().var, "LVZHI_PUBLIC_BASE_URL");
    assert_eq!(full("http://rd.example.gov.cn").unwrap_err().var, "LVZHI_PUBLIC_BASE_URL");
    let s = full("https://rd.example.gov.cn/").unwrap();
    assert_eq!(s.public_base_url.as_deref(), Some("https://rd.example.gov.cn"));
    assert!(!format!("{s:?}").contains(key));
}
