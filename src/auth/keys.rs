//! Signing keys: the current Ed25519 key signs, the current and retired keys verify (so a
//! rotation keeps issued tokens valid until they expire). Keys come from PEM files named in the
//! configuration, or are generated under the data dir on first start.

use crate::config::Settings;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct KeySet {
    pub kid: String,
    pub encoding: EncodingKey,
    pub decoding: HashMap<String, DecodingKey>,
    pub jwks: serde_json::Value,
    /// The current key, for signing documents (duty archives).
    signer: Ed25519KeyPair,
    /// Every public key this installation has signed with (current and every retired one), by
    /// kid: documents stay verifiable long after their key stopped signing tokens.
    pub known: HashMap<String, Vec<u8>>,
}

struct Loaded {
    kid: String,
    pkcs8: Vec<u8>,
    public: Vec<u8>,
}

fn b64url(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn pem_to_der(pem: &str) -> Result<Vec<u8>, String> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    base64::engine::general_purpose::STANDARD.decode(body).map_err(|e| format!("not a PEM file: {e}"))
}

fn der_to_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"))
}

fn load(path: &Path) -> Result<Loaded, String> {
    let pem = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let pkcs8 = pem_to_der(&pem).map_err(|e| format!("{}: {e}", path.display()))?;
    let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8)
        .map_err(|e| format!("{}: not an Ed25519 PKCS#8 key: {e}", path.display()))?;
    let public = pair.public_key().as_ref().to_vec();
    let kid = hex::encode(Sha256::digest(&public))[..16].to_string();
    Ok(Loaded { kid, pkcs8, public })
}

/// Writes a new Ed25519 key as PKCS#8 PEM (mode 0600 on Unix).
pub fn generate(path: &Path) -> Result<(), String> {
    let doc =
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|e| format!("key generation failed: {e}"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, der_to_pem(doc.as_ref())).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

pub fn generated_key_path(settings: &Settings) -> PathBuf {
    settings.data_dir.join("keys").join("jwt-ed25519.pem")
}

pub fn retired_dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("keys").join("retired")
}

/// Moves the generated key to `retired/` and creates a new one. Retired keys verify tokens
/// until they are removed; a day after rotation they are no longer loaded.
pub fn rotate(settings: &Settings) -> Result<String, String> {
    let current = generated_key_path(settings);
    if current.exists() {
        let dir = retired_dir(settings);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let name = format!("{}.pem", chrono::Utc::now().format("%Y%m%dT%H%M%S"));
        std::fs::rename(&current, dir.join(name)).map_err(|e| e.to_string())?;
    }
    generate(&current)?;
    Ok(load(&current)?.kid)
}

impl KeySet {
    pub fn load(settings: &Settings) -> Result<KeySet, String> {
        let current_path = match &settings.jwt_key_file {
            Some(p) => p.clone(),
            None => {
                let p = generated_key_path(settings);
                if !p.exists() {
                    tracing::warn!(path = %p.display(), "LVZHI_JWT_KEY_FILE is not set: generated a signing key under the data dir");
                    generate(&p)?;
                }
                p
            }
        };
        let current = load(&current_path)?;
        let mut verify = vec![];
        let mut old = vec![];
        for p in &settings.jwt_previous_key_files {
            verify.push(load(p)?);
        }
        if settings.jwt_key_file.is_none() {
            if let Ok(entries) = std::fs::read_dir(retired_dir(settings)) {
                for e in entries.flatten() {
                    let recent = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|m| m.elapsed().ok())
                        .is_some_and(|age| age.as_secs() < 86_400);
                    let k = load(&e.path())?;
                    if recent {
                        verify.push(k);
                    } else {
                        old.push(k);
                    }
                }
            }
        }
        let mut set = Self::from_parts(current, verify)?;
        set.known.extend(old.into_iter().map(|k| (k.kid, k.public)));
        Ok(set)
    }

    /// Signs `msg` with the current key: (kid, signature).
    pub fn sign(&self, msg: &[u8]) -> (String, Vec<u8>) {
        (self.kid.clone(), self.signer.sign(msg).as_ref().to_vec())
    }

    /// Whether `sig` is a signature of `msg` by a key of this installation named `kid`.
    pub fn verify_document(&self, kid: &str, msg: &[u8], sig: &[u8]) -> bool {
        use aws_lc_rs::signature::{UnparsedPublicKey, ED25519};
        self.known.get(kid).is_some_and(|public| UnparsedPublicKey::new(&ED25519, public).verify(msg, sig).is_ok())
    }

    fn from_parts(current: Loaded, retired: Vec<Loaded>) -> Result<KeySet, String> {
        let encoding = EncodingKey::from_ed_der(&current.pkcs8);
        let mut decoding = HashMap::new();
        let mut jwks = vec![];
        for k in std::iter::once(&current).chain(retired.iter()) {
            decoding.insert(k.kid.clone(), DecodingKey::from_ed_der(&k.public));
            jwks.push(serde_json::json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": k.kid, "x": b64url(&k.public)}));
        }
        let signer =
            Ed25519KeyPair::from_pkcs8_maybe_unchecked(&current.pkcs8).map_err(|e| format!("signing key: {e}"))?;
        let known =
            std::iter::once(&current).chain(retired.iter()).map(|k| (k.kid.clone(), k.public.clone())).collect();
        Ok(KeySet { kid: current.kid, encoding, decoding, jwks: serde_json::json!({ "keys": jwks }), signer, known })
    }
}
