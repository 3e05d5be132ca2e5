//! All SQL of notice attachments.

use crate::db::schema::notice_attachments as a;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, notice, file name, content type, size, sha256, storage key, created at).
pub type AttachmentRow = (i64, i64, String, String, i64, String, String, NaiveDateTime);

pub struct NewAttachment<'a> {
    pub notice: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub key: &'a str,
    pub by: i64,
}

pub fn insert(c: &mut AnyConnection, x: &NewAttachment, at: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(a::table)
        .values((
            a::notice_id.eq(x.notice),
            a::file_name.eq(x.file_name),
            a::content_type.eq(x.content_type),
            a::size_bytes.eq(x.size),
            a::sha256.eq(x.sha256),
            a::storage_key.eq(x.key),
            a::uploaded_by.eq(x.by),
            a::created_at.eq(at),
        ))
        .returning(a::id)
        .get_result(c)?)
}

fn columns(
) -> (a::id, a::notice_id, a::file_name, a::content_type, a::size_bytes, a::sha256, a::storage_key, a::created_at) {
    (a::id, a::notice_id, a::file_name, a::content_type, a::size_bytes, a::sha256, a::storage_key, a::created_at)
}

pub fn of_notice(c: &mut AnyConnection, notice: i64) -> AppResult<Vec<AttachmentRow>> {
    Ok(a::table.filter(a::notice_id.eq(notice)).order(a::id).select(columns()).load(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<AttachmentRow>> {
    Ok(a::table.find(id).select(columns()).first(c).optional()?)
}

pub fn count(c: &mut AnyConnection, notice: i64) -> AppResult<i64> {
    Ok(a::table.filter(a::notice_id.eq(notice)).count().get_result(c)?)
}

pub fn delete(c: &mut AnyConnection, notice: i64, id: i64) -> AppResult<Option<String>> {
    let key: Option<String> =
        a::table.filter(a::id.eq(id)).filter(a::notice_id.eq(notice)).select(a::storage_key).first(c).optional()?;
    if key.is_some() {
        diesel::delete(a::table.find(id)).execute(c)?;
    }
    Ok(key)
}
