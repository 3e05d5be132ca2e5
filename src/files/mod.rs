//! Files: where uploaded bytes live — the `object_store` crate, a local directory by default
//! (`LVZHI_DATA_DIR/files`), S3-compatible storage with `LVZHI_STORAGE_URL=s3://bucket/prefix`
//! (credentials and endpoint from the usual `AWS_*` variables). Uploads are streamed in with a
//! size limit and a SHA-256, downloads streamed out; short-lived signed links let a phone's
//! download manager fetch a file without a bearer token.

mod links;
mod photo;
mod photos;
mod rules;
mod storage;
mod upload;

pub use storage::{PutError, Storage, Stored};

pub use links::{sign as sign_link, verify as verify_link, LinkQuery, LINK_SECS};
pub use photo::{clean as clean_photo, Refused as PhotoRefused};
pub use photos::{check_link as check_photo_link, receive as receive_photo, serve as serve_photo, StoredPhoto};
pub use upload::{
    receive as receive_upload, receive_small, serve as serve_file, store_bytes, view as attachment_view,
    AttachmentUpload, AttachmentView, Received,
};
