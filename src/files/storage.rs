//! Where attachments are kept: files under the data directory, content-addressed, size-checked.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// What was stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub size: u64,
    pub sha256: String,
}

/// Why a stream was not stored.
#[derive(Debug)]
pub enum PutError {
    /// More than the limit arrived (nothing is kept).
    TooLarge,
    /// The client's stream broke.
    Client(String),
    /// The store failed.
    Store(String),
}

impl Storage {
    /// The configured store: `s3://…` through the S3 client, anything else a local directory.
    pub fn open(url: Option<&str>, data_dir: &std::path::Path) -> Result<Self, String> {
        let store: Arc<dyn ObjectStore> = match url {
            Some(u) if u.starts_with("s3://") => Arc::new(
                object_store::aws::AmazonS3Builder::from_env()
                    .with_url(u)
                    .build()
                    .map_err(|e| format!("LVZHI_STORAGE_URL: {e}"))?,
            ),
            other => {
                let dir = other
                    .map(|u| std::path::PathBuf::from(u.trim_start_matches("file://")))
                    .unwrap_or_else(|| data_dir.join("files"));
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                Arc::new(
                    object_store::local::LocalFileSystem::new_with_prefix(&dir)
                        .map_err(|e| format!("{}: {e}", dir.display()))?,
                )
            }
        };
        Ok(Storage { store })
    }

    /// Streams `head` then `rest` into `key`, hashing as it goes; more than `limit` bytes aborts
    /// the upload and keeps nothing.
    pub async fn put<S, E>(&self, key: &str, head: Bytes, mut rest: S, limit: u64) -> Result<Stored, PutError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let upload =
            self.store.put_multipart(&StorePath::from(key)).await.map_err(|e| PutError::Store(e.to_string()))?;
        let mut w = WriteMultipart::new(upload);
        let (mut hash, mut size) = (Sha256::new(), 0u64);
        let mut chunk = Some(Ok::<Bytes, E>(head));
        while let Some(next) = chunk {
            let bytes = match next {
                Ok(b) => b,
                Err(e) => {
                    let _ = w.abort().await;
                    return Err(PutError::Client(e.to_string()));
                }
            };
            size += bytes.len() as u64;
            if size > limit {
                let _ = w.abort().await;
                return Err(PutError::TooLarge);
            }
            hash.update(&bytes);
            if let Err(e) = w.wait_for_capacity(4).await {
                return Err(PutError::Store(e.to_string()));
            }
            w.write(&bytes);
            chunk = rest.next().await;
        }
        w.finish().await.map_err(|e| PutError::Store(e.to_string()))?;
        Ok(Stored { size, sha256: hex::encode(hash.finalize()) })
    }

    /// The stored bytes of `key`, as a stream.
    pub async fn get(&self, key: &str) -> Result<impl Stream<Item = Result<Bytes, object_store::Error>>, String> {
        let got = self.store.get(&StorePath::from(key)).await.map_err(|e| e.to_string())?;
        Ok(got.into_stream())
    }

    pub async fn delete(&self, key: &str) -> Result<(), String> {
        self.store.delete(&StorePath::from(key)).await.map_err(|e| e.to_string())
    }
}
