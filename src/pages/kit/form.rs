//! Reading a multipart form of a page: its text fields (each at most 20,000 bytes) and its files
//! (at most 9, each read up to one byte past 5 MB so the API can refuse it as too large).

use crate::error::{AppError, AppResult, Code};
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::{StreamExt, TryStreamExt};
use std::collections::HashMap;

/// The most files a page form takes.
pub const MAX_FILES: usize = 9;
/// The most bytes of one file a page form reads (the API's limit is 5 MB).
pub const FILE_BYTES: usize = 5 * 1024 * 1024;
const TEXT_BYTES: usize = 20_000;

pub struct Upload {
    pub name: String,
    pub bytes: bytes::Bytes,
}

#[derive(Default)]
pub struct Parts {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
    /// More than [`MAX_FILES`] were sent (the rest are dropped).
    pub too_many: bool,
}

impl Parts {
    pub fn get(&self, k: &str) -> String {
        self.fields.get(k).cloned().unwrap_or_default()
    }
}

/// Reads the form; a request that is not multipart → 415.
pub async fn read(req: &HttpRequest, payload: web::Payload) -> AppResult<Parts> {
    let mut form = Multipart::new(req.headers(), payload);
    let mut parts = Parts::default();
    loop {
        let mut field = match form.try_next().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(AppError::new(Code::UnsupportedMediaType, "send multipart/form-data")),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.content_disposition().and_then(|d| d.get_filename().map(str::to_string));
        let limit = if file_name.is_some() { FILE_BYTES + 1 } else { TEXT_BYTES };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::bad_request(Code::InvalidRequest, e.to_string()))?;
            let room = limit.saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        match file_name {
            // An empty file input sends a part without a name and bytes.
            Some(f) if !bytes.is_empty() => {
                if parts.files.len() == MAX_FILES {
                    parts.too_many = true;
                } else {
                    parts
                        .files
                        .push(Upload { name: if f.is_empty() { "photo".into() } else { f }, bytes: bytes.into() });
                }
            }
            Some(_) => {}
            None => {
                parts.fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(parts)
}
