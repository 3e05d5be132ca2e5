//! Audit entries as written by the capabilities and as read back by admins.

use crate::auth::{Principal, RequestMeta};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One audit record to write.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub region_path: Option<String>,
    pub client_ip: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

impl Entry {
    pub fn by(p: &Principal, action: &str, record_type: &str, record_id: impl Into<String>) -> Self {
        Entry {
            actor_id: Some(p.account_id),
            actor: p.label(),
            action: action.into(),
            record_type: record_type.into(),
            record_id: Some(record_id.into()),
            region_path: None,
            client_ip: p.meta.ip.clone(),
            outcome: "success".into(),
            detail: None,
            request_id: p.meta.request_id.clone(),
        }
    }

    pub fn anonymous(action: &str, record_type: &str, record_id: impl Into<String>, meta: &RequestMeta) -> Self {
        Entry {
            actor_id: None,
            actor: "anonymous".into(),
            action: action.into(),
            record_type: record_type.into(),
            record_id: Some(record_id.into()),
            region_path: None,
            client_ip: meta.ip.clone(),
            outcome: "success".into(),
            detail: None,
            request_id: meta.request_id.clone(),
        }
    }

    pub fn system(action: &str, record_type: &str, record_id: impl Into<String>) -> Self {
        Entry { actor: "system".into(), ..Entry::anonymous(action, record_type, record_id, &RequestMeta::default()) }
    }

    pub fn actor(mut self, id: i64, role: &str) -> Self {
        self.actor_id = Some(id);
        self.actor = format!("{role}:{id}");
        self
    }
    pub fn outcome(mut self, o: &str) -> Self {
        self.outcome = o.into();
        self
    }
    pub fn region(mut self, path: Option<String>) -> Self {
        self.region_path = path;
        self
    }
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }

    pub fn write(&self, conn: &mut AnyConnection, at: NaiveDateTime) -> AppResult<()> {
        super::store::insert(conn, self, at)
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub client_ip: Option<String>,
    pub outcome: String,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}
