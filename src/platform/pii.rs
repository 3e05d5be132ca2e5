//! Personal data at rest (PIPL): AES-256-GCM sealing of single values (phones, positions, SMS
//! recipients, held ballots) and a keyed hash (HMAC-SHA-256) to look a phone up without storing it.
//!
//! A sealed value reads `pii1:<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>`; the name of its
//! column is the associated data, so a value moved to another column does not open. Keys come
//! from `LVZHI_PII_KEYS` (`kid:base64,…`: the first seals, all open) and `LVZHI_PII_HASH_KEY`;
//! outside production they are generated once under the data dir. Rotation: see
//! [`crate::ops::pii`] and docs/SECURITY.md.

use crate::config::Settings;
use crate::error::{AppError, AppResult};
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use aws_lc_rs::hmac;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Prefix of every sealed value.
pub const PREFIX: &str = "pii1:";

/// Columns whose values are sealed (each is the associated data of its values).
pub mod field {
    pub const CONSTITUENT_PHONE: &str = "constituents.phone";
    pub const CHECKIN_POSITION: &str = "checkins.position";
    pub const SMS_PHONE: &str = "sms_outbox.phone";
    pub const INTAKE_NAME: &str = "opinion_intakes.name";
    pub const FIXED_CONTACT_PHONE: &str = "fixed_contacts.phone";
    /// A walk-in's phone given with a view at a legislative contact point.
    pub const WALK_IN_COMMENT_PHONE: &str = "consultation_comments.phone";
    /// Sign-in codes' texts: sealed until sent, then emptied.
    pub const SMS_BODY: &str = "sms_outbox.body";
    /// A refresh rotation's answer, kept for a retry in the grace window.
    pub const REFRESH_REPLAY: &str = "refresh_tokens.replay";
    pub const PROJECT_BALLOT: &str = "project_pending_ballots.sealed"; // held until the vote closes
    /// An anonymous survey's answer, held until it is settled in a shuffled batch.
    pub const HELD_ANSWER: &str = "consultation_held_answers.sealed";
}

/// Which rows a sealing pass touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reseal {
    /// Only values stored before sealing (the pass at start-up).
    Legacy,
    /// Everything not under the current key, and every lookup hash (`lvzhi rotate-pii-keys`).
    All,
}

struct Inner {
    current: String,
    keys: HashMap<String, LessSafeKey>,
    hash: hmac::Key,
}

/// The installation's personal-data keys (cheap to clone).
#[derive(Clone)]
pub struct Pii(Arc<Inner>);

impl std::fmt::Debug for Pii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pii {{ current: {}, keys: {} }}", self.0.current, self.0.keys.len())
    }
}

fn bad(msg: impl Into<String>) -> String {
    msg.into()
}

impl Pii {
    /// From `kid:base64,…` (32-byte keys; the first seals) and a base64 hash key (≥ 32 bytes).
    pub fn from_config(keys: &str, hash_key: &str) -> Result<Pii, String> {
        let mut current = None;
        let mut map = HashMap::new();
        for item in keys.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (kid, b64) = item.split_once(':').ok_or_else(|| bad("LVZHI_PII_KEYS: each key is kid:base64"))?;
            if kid.is_empty()
                || kid.len() > 16
                || !kid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(bad(format!("LVZHI_PII_KEYS: key id `{kid}` must be 1-16 letters, digits, - or _")));
            }
            let raw =
                STANDARD.decode(b64.trim()).map_err(|_| bad(format!("LVZHI_PII_KEYS: key `{kid}` is not base64")))?;
            let key = UnboundKey::new(&AES_256_GCM, &raw)
                .map_err(|_| bad(format!("LVZHI_PII_KEYS: key `{kid}` must be 32 bytes")))?;
            if map.insert(kid.to_string(), LessSafeKey::new(key)).is_some() {
                return Err(bad(format!("LVZHI_PII_KEYS: key id `{kid}` appears twice")));
            }
            current.get_or_insert_with(|| kid.to_string());
        }
        let current = current.ok_or_else(|| bad("LVZHI_PII_KEYS: no key given"))?;
        let hash = STANDARD.decode(hash_key.trim()).map_err(|_| bad("LVZHI_PII_HASH_KEY is not base64"))?;
        if hash.len() < 32 {
            return Err(bad("LVZHI_PII_HASH_KEY must be at least 32 bytes"));
        }
        Ok(Pii(Arc::new(Inner { current, keys: map, hash: hmac::Key::new(hmac::HMAC_SHA256, &hash) })))
    }

    /// The configured keys, or (outside production) the ones generated under the data dir.
    pub fn load(settings: &Settings) -> Result<Pii, String> {
        match (&settings.pii_keys, &settings.pii_hash_key) {
            (Some(k), Some(h)) => Pii::from_config(k.expose(), h.expose()),
            _ => Self::generated(&settings.data_dir.join("pii.keys")),
        }
    }

    fn generated(path: &Path) -> Result<Pii, String> {
        if !path.exists() {
            tracing::warn!(path = %path.display(), "LVZHI_PII_KEYS is not set: generated personal-data keys under the data dir");
            let text = format!(
                "LVZHI_PII_KEYS=dev1:{}\nLVZHI_PII_HASH_KEY={}\n",
                STANDARD.encode(random::<32>()?),
                STANDARD.encode(random::<32>()?)
            );
            write_private(path, &text)?;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let get = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix('=')).map(str::to_string);
        match (get("LVZHI_PII_KEYS"), get("LVZHI_PII_HASH_KEY")) {
            (Some(k), Some(h)) => Pii::from_config(&k, &h),
            _ => Err(format!("{}: expected LVZHI_PII_KEYS= and LVZHI_PII_HASH_KEY= lines", path.display())),
        }
    }

    /// The id of the key that seals.
    pub fn current_kid(&self) -> &str {
        &self.0.current
    }

    /// Seals `plain` for `column` under the current key.
    pub fn seal(&self, column: &str, plain: &str) -> String {
        let key = &self.0.keys[&self.0.current];
        // A fresh random nonce per value (2^-32 collision odds only after ~2^32 values per key).
        let nonce = random::<NONCE_LEN>().unwrap_or_else(|_| fallback_nonce());
        let mut buf = plain.as_bytes().to_vec();
        if key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(column.as_bytes()), &mut buf)
            .is_err()
        {
            // Sealing a short value cannot fail; never store it in the clear if it somehow does.
            return format!("{PREFIX}{}:", self.0.current);
        }
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        format!("{PREFIX}{}:{}", self.0.current, URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens a value sealed for `column`; a value that does not open is an internal error
    /// (a key missing from `LVZHI_PII_KEYS`, or a damaged row), logged with the key id only.
    pub fn open(&self, column: &str, sealed: &str) -> AppResult<String> {
        let (kid, body) =
            split(sealed).ok_or_else(|| AppError::internal(format!("{column}: a value is not sealed")))?;
        let key = self.0.keys.get(kid).ok_or_else(|| {
            AppError::internal(format!("{column}: sealed with key `{kid}`, which LVZHI_PII_KEYS lacks"))
        })?;
        let raw = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| AppError::internal(format!("{column}: a sealed value is damaged")))?;
        if raw.len() < NONCE_LEN {
            return Err(AppError::internal(format!("{column}: a sealed value is damaged")));
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| AppError::internal("bad nonce"))?;
        let mut buf = rest.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(column.as_bytes()), &mut buf)
            .map_err(|_| AppError::internal(format!("{column}: a sealed value does not open")))?;
        String::from_utf8(plain.to_vec())
            .map_err(|_| AppError::internal(format!("{column}: a sealed value is not text")))
    }

    /// Whether `value` is sealed under the current key.
    pub fn is_current(&self, value: &str) -> bool {
        split(value).is_some_and(|(kid, _)| kid == self.0.current)
    }

    /// A MAC of `data` for `purpose` under the installation's hash key (opaque cursors and
    /// tokens of ours that clients hand back).
    pub fn tag(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        let mut ctx = hmac::Context::with_key(&self.0.hash);
        ctx.update(purpose.as_bytes());
        ctx.update(b":");
        ctx.update(data);
        ctx.sign().as_ref().to_vec()
    }

    /// The keyed hash of a phone number (hex), the same in every table that looks one up.
    pub fn phone_hash(&self, phone: &str) -> String {
        hex::encode(hmac::sign(&self.0.hash, format!("phone:{phone}").as_bytes()).as_ref())
    }
}

/// Whether a stored value is sealed (of any key).
pub fn is_sealed(value: &str) -> bool {
    split(value).is_some()
}

fn split(value: &str) -> Option<(&str, &str)> {
    value.strip_prefix(PREFIX)?.split_once(':')
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    aws_lc_rs::rand::fill(&mut b).map_err(|_| "no system randomness".to_string())?;
    Ok(b)
}

/// Only if the system RNG fails: time and a counter, unique within the process.
fn fallback_nonce() -> [u8; NONCE_LEN] {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut n = [0u8; NONCE_LEN];
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    n[..8].copy_from_slice(&t.to_le_bytes());
    n[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    n
}

fn write_private(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    use std::io::Write;
    let mut f = opts.open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> String {
        STANDARD.encode([b; 32])
    }

    fn pii(keys: &str) -> Pii {
        Pii::from_config(keys, &key(9)).unwrap()
    }

    #[test]
    fn seals_and_opens_with_a_fresh_nonce_each_time() {
        let p = pii(&format!("a:{}", key(1)));
        let (x, y) = (p.seal(field::CONSTITUENT_PHONE, "13955110000"), p.seal(field::CONSTITUENT_PHONE, "13955110000"));
        assert_ne!(x, y);
        assert!(x.starts_with("pii1:a:") && !x.contains("13955110000"));
        assert_eq!(p.open(field::CONSTITUENT_PHONE, &x).unwrap(), "13955110000");
    }

    #[test]
    fn a_value_moved_to_another_column_or_tampered_does_not_open() {
        let p = pii(&format!("a:{}", key(1)));
        let x = p.seal(field::CONSTITUENT_PHONE, "13955110000");
        assert!(p.open(field::SMS_PHONE, &x).is_err());
        let mut t = x.clone().into_bytes();
        let last = t.len() - 1;
        t[last] = if t[last] == b'A' { b'B' } else { b'A' };
        assert!(p.open(field::CONSTITUENT_PHONE, &String::from_utf8(t).unwrap()).is_err());
        assert!(p.open(field::CONSTITUENT_PHONE, "13955110000").is_err());
        assert!(p.open(field::CONSTITUENT_PHONE, "pii1:a:").is_err());
    }

    #[test]
    fn old_keys_open_and_only_the_first_seals() {
        let old = pii(&format!("a:{}", key(1)));
        let sealed = old.seal(field::CHECKIN_POSITION, "31.86,117.28");
        let both = pii(&format!("b:{},a:{}", key(2), key(1)));
        assert_eq!(both.open(field::CHECKIN_POSITION, &sealed).unwrap(), "31.86,117.28");
        assert!(!both.is_current(&sealed));
        assert!(both.is_current(&both.seal(field::CHECKIN_POSITION, "1,2")));
        let new_only = pii(&format!("b:{}", key(2)));
        assert!(new_only.open(field::CHECKIN_POSITION, &sealed).is_err());
    }

    #[test]
    fn the_phone_hash_is_keyed_and_stable() {
        let p = pii(&format!("a:{}", key(1)));
        assert_eq!(p.phone_hash("13955110000"), p.phone_hash("13955110000"));
        assert_ne!(p.phone_hash("13955110000"), p.phone_hash("13955110001"));
        let other = Pii::from_config(&format!("a:{}", key(1)), &key(8)).unwrap();
        assert_ne!(p.phone_hash("13955110000"), other.phone_hash("13955110000"));
    }

    #[test]
    fn bad_configuration_is_refused() {
        for (keys, hash) in [
            ("", key(9)),
            ("a", key(9)),
            ("a:notbase64!", key(9)),
            ("a:AAAA", key(9)),
            ("a/b:AAAA", key(9)),
            (&format!("a:{},a:{}", key(1), key(2)), key(9)),
            (&format!("a:{}", key(1)), "AAAA".to_string()),
        ] {
            assert!(Pii::from_config(keys, &hash).is_err(), "{keys}");
        }
    }

    #[test]
    fn generated_keys_persist_under_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pii.keys");
        let a = Pii::generated(&path).unwrap();
        let b = Pii::generated(&path).unwrap();
        let x = a.seal(field::SMS_PHONE, "13955110000");
        assert_eq!(b.open(field::SMS_PHONE, &x).unwrap(), "13955110000");
    }
}
