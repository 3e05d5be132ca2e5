//! Password hashing with argon2id (PHC strings). Slow on purpose: call from a blocking thread.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub fn hash(password: &str, m_cost_kib: u32) -> Result<String, String> {
    let params = Params::new(m_cost_kib.max(64), 2, 1, None).map_err(|e| e.to_string())?;
    let a = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    a.hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// True when `password` matches the PHC string `stored`. Malformed hashes never match.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so timing does not tell.
pub fn dummy_hash(m_cost_kib: u32) -> String {
    hash("lvzhi-dummy-password", m_cost_kib).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        let h = super::hash("s3cret!", 256).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("s3cret!", &h));
        assert!(!super::verify("wrong", &h));
        assert!(!super::verify("s3cret!", "garbage"));
    }
}
