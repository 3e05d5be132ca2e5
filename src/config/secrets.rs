//! The personal-data keys: both or neither, checked as the sealing code will read them, and
//! required in production.

use super::env::{ConfigError, Env, Secret};

/// `LVZHI_PII_KEYS` and `LVZHI_PII_HASH_KEY`, checked together.
pub fn pii_keys(env: &Env, production: bool) -> Result<(Option<Secret>, Option<Secret>), ConfigError> {
    let err = |var: &'static str, message: String| ConfigError { var, message };
    let (pii_keys, pii_hash_key) = (env.get("LVZHI_PII_KEYS").map(Secret), env.get("LVZHI_PII_HASH_KEY").map(Secret));
    match (&pii_keys, &pii_hash_key) {
        (Some(k), Some(h)) => {
            crate::platform::pii::Pii::from_config(k.expose(), h.expose()).map_err(|m| {
                err(if m.starts_with("LVZHI_PII_KEYS") { "LVZHI_PII_KEYS" } else { "LVZHI_PII_HASH_KEY" }, m)
            })?;
        }
        (None, None) if production => {
            return Err(err("LVZHI_PII_KEYS", "is required when LVZHI_ENV=production (with LVZHI_PII_HASH_KEY)".into()))
        }
        (None, None) => {}
        (Some(_), None) => return Err(err("LVZHI_PII_HASH_KEY", "is required with LVZHI_PII_KEYS".into())),
        (None, Some(_)) => return Err(err("LVZHI_PII_KEYS", "is required with LVZHI_PII_HASH_KEY".into())),
    }
    Ok((pii_keys, pii_hash_key))
}
