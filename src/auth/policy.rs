//! The one access policy. Every access decision in the API is answered here: handlers describe
//! what they want to do to what, and never compare ids themselves. A role that may never do an
//! action gets 403; a record outside the caller's scope answers 404, exactly like a missing one.

use super::principal::{Principal, Role};
use crate::error::{AppError, AppResult, Code};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
    /// Read a deputy's full phone number (audited).
    ReadPhone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Region,
    Group,
    Deputy,
    Station,
    Unit,
    Account,
    Audit,
}

/// The record acted upon: its kind and where it sits in the region tree.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: Kind,
    /// Region paths the record belongs to (a deputy has one per seat; a new record its target region).
    pub region_paths: Vec<String>,
    pub station_id: Option<i64>,
    pub deputy_id: Option<i64>,
}

impl Target {
    pub fn new(kind: Kind, region_path: impl Into<String>) -> Self {
        Target { kind, region_paths: vec![region_path.into()], station_id: None, deputy_id: None }
    }
    pub fn many(kind: Kind, region_paths: Vec<String>) -> Self {
        Target { kind, region_paths, station_id: None, deputy_id: None }
    }
    pub fn station(id: i64, region_path: impl Into<String>) -> Self {
        Target { station_id: Some(id), ..Target::new(Kind::Station, region_path) }
    }
}

/// Which part of the region tree a list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionFilter {
    All,
    Subtree(String),
}

/// How much of a deputy record the caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Full,
    Public,
}

pub const SCOPE_DIRECTORY_READ: &str = "directory:read";
pub const SCOPE_DIRECTORY_WRITE: &str = "directory:write";
pub const SCOPE_PHONE_READ: &str = "directory:phone";
pub const SCOPE_AUDIT_READ: &str = "audit:read";
/// The event feed (pull), inside the client's region.
pub const SCOPE_FEED_READ: &str = "feed:read";
/// Points statements, rankings and duty archives, inside the client's region.
pub const SCOPE_LEDGER_READ: &str = "ledger:read";
/// Deputy suggestions, inside the client's region.
pub const SCOPE_SUGGESTIONS_READ: &str = "suggestions:read";
/// Constituents' opinions (phones masked, no internal notes), inside the client's region.
pub const SCOPE_OPINIONS_READ: &str = "opinions:read";
pub const CLIENT_SCOPES: [&str; 8] = [
    SCOPE_DIRECTORY_READ,
    SCOPE_DIRECTORY_WRITE,
    SCOPE_PHONE_READ,
    SCOPE_AUDIT_READ,
    SCOPE_FEED_READ,
    SCOPE_LEDGER_READ,
    SCOPE_SUGGESTIONS_READ,
    SCOPE_OPINIONS_READ,
];

/// For a read a third-party client may do with `scope`: the client as a reader of the public
/// directory inside its region (what the read lists names deputies), or 403
/// `insufficient_scope`; other callers unchanged.
pub fn as_reader(p: &Principal, scope: &str) -> AppResult<Principal> {
    if p.role != Role::Client {
        return Ok(p.clone());
    }
    scoped_read(p, scope)?;
    let mut r = p.clone();
    r.scopes.push(SCOPE_DIRECTORY_READ.to_string());
    Ok(r)
}

/// 404 unless one of the record's region paths lies in the caller's region.
pub fn within(p: &Principal, paths: &[String]) -> AppResult<()> {
    if in_subtree(&p.region_path, paths) {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Reads that staff do and third-party clients may do with `scope`: admins pass, clients need
/// the scope (403 `insufficient_scope`), every other role gets 403. The caller still bounds
/// what is read by the principal's region.
pub fn scoped_read(p: &Principal, scope: &str) -> AppResult<()> {
    match p.role {
        Role::Admin => Ok(()),
        Role::Client if p.scopes.iter().any(|x| x == scope) => Ok(()),
        Role::Client => {
            Err(AppError::forbidden(Code::InsufficientScope, format!("this route needs the `{scope}` scope")))
        }
        _ => Err(AppError::forbidden(Code::Forbidden, "your role may not do this")),
    }
}

fn client_scope_for(action: Action, kind: Kind) -> Option<&'static str> {
    match (kind, action) {
        (Kind::Account, _) => None,
        (Kind::Audit, Action::Read) => Some(SCOPE_AUDIT_READ),
        (Kind::Audit, _) => None,
        (_, Action::Read) => Some(SCOPE_DIRECTORY_READ),
        (_, Action::Write) => Some(SCOPE_DIRECTORY_WRITE),
        (Kind::Deputy, Action::ReadPhone) => Some(SCOPE_PHONE_READ),
        (_, Action::ReadPhone) => None,
    }
}

/// Whether the role may ever do `action` on `kind` (403 when not).
pub fn role_allows(p: &Principal, action: Action, kind: Kind) -> AppResult<()> {
    let ok = match p.role {
        Role::Admin => true,
        Role::Client => {
            return match client_scope_for(action, kind) {
                Some(s) if p.scopes.iter().any(|x| x == s) => Ok(()),
                Some(s) => {
                    Err(AppError::forbidden(Code::InsufficientScope, format!("this route needs the `{s}` scope")))
                }
                None => Err(AppError::forbidden(Code::Forbidden, "clients may not do this")),
            };
        }
        Role::StationStaff => match action {
            Action::Read => !matches!(kind, Kind::Account | Kind::Audit),
            Action::Write => kind == Kind::Station,
            Action::ReadPhone => false,
        },
        Role::Deputy | Role::Unit => action == Action::Read && !matches!(kind, Kind::Account | Kind::Audit),
        Role::Constituent => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::forbidden(Code::Forbidden, "your role may not do this"))
    }
}

fn in_subtree(scope: &Option<String>, paths: &[String]) -> bool {
    match scope {
        None => true,
        Some(s) => paths.iter().any(|p| p.starts_with(s.as_str())),
    }
}

/// True when the directory is public for this role (deputies and units read its public parts).
fn reads_public_directory(p: &Principal, action: Action) -> bool {
    action == Action::Read && matches!(p.role, Role::Deputy | Role::Unit)
}

/// Duty records of a station — its check-ins, QR codes, kiosk keys and events — are kept by the
/// people who run it: admins in scope and the station's own staff. Third-party clients (whatever
/// their directory scopes), units and deputies get 403; a station out of scope is 404.
pub fn station_duty(p: &Principal, t: &Target) -> AppResult<()> {
    if !matches!(p.role, Role::Admin | Role::StationStaff) {
        return Err(AppError::forbidden(Code::Forbidden, "a station's duty records are kept by its staff"));
    }
    authorize(p, Action::Write, t)
}

/// Decides one access: 403 when the role may never do it, 404 when the record is out of scope.
pub fn authorize(p: &Principal, action: Action, t: &Target) -> AppResult<()> {
    role_allows(p, action, t.kind)?;
    let in_scope = if reads_public_directory(p, action) {
        true
    } else if p.role == Role::StationStaff && action == Action::Write {
        t.station_id.is_some_and(|id| p.stations.contains(&id))
    } else {
        in_subtree(&p.region_path, &t.region_paths)
    };
    if in_scope {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// Whether the caller holds a deputy seated at `paths`, so that a write may name them (an
/// invitee, a roster member, an audience member, a check-in): admins by their region subtree;
/// station staff the deputies of their station's area — seated in its region or below, or in a
/// congress above it (city and provincial deputies serve at district stations); nobody else.
/// A deputy not held answers like a missing one.
/// Whether the caller is congress staff whose scope holds the region at `path` for `action`.
pub fn staff_over(p: &Principal, path: &str, action: Action) -> bool {
    p.role == Role::Admin && authorize(p, action, &Target::new(Kind::Region, path.to_string())).is_ok()
}

pub fn holds_deputy(p: &Principal, paths: &[String]) -> bool {
    match (p.role, p.region_path.as_deref()) {
        (Role::Admin, _) => in_subtree(&p.region_path, paths),
        (Role::StationStaff, Some(own)) => paths.iter().any(|d| d.starts_with(own) || own.starts_with(d.as_str())),
        _ => false,
    }
}

/// The part of the tree a list of `kind` may show this caller.
pub fn list_filter(p: &Principal, kind: Kind) -> AppResult<RegionFilter> {
    role_allows(p, Action::Read, kind)?;
    if reads_public_directory(p, Action::Read) {
        return Ok(RegionFilter::All);
    }
    Ok(match &p.region_path {
        None => RegionFilter::All,
        Some(s) => RegionFilter::Subtree(s.clone()),
    })
}

/// Full record for staff in scope and for the deputy themself; the public profile otherwise.
pub fn deputy_view(p: &Principal, deputy_id: i64, region_paths: &[String]) -> View {
    if p.deputy_id == Some(deputy_id) {
        return View::Full;
    }
    match p.role {
        Role::Admin | Role::StationStaff | Role::Client if in_subtree(&p.region_path, region_paths) => View::Full,
        _ => View::Public,
    }
}

/// Who may create an account of `role` in the given region: admins, inside their scope.
pub fn may_manage_account(p: &Principal, region_path: Option<&str>) -> AppResult<()> {
    role_allows(p, Action::Write, Kind::Account)?;
    match (&p.region_path, region_path) {
        (None, _) => Ok(()),
        (Some(s), Some(r)) if r.starts_with(s.as_str()) => Ok(()),
        (Some(_), Some(_)) => Err(AppError::not_found()),
        // A scoped admin cannot create installation-wide accounts.
        (Some(_), None) => {
            Err(AppError::forbidden(Code::Forbidden, "only installation-wide admins may create unscoped accounts"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::RequestMeta;

    fn p(role: Role, path: Option<&str>) -> Principal {
        Principal {
            account_id: 1,
            role,
            region_id: None,
            region_path: path.map(str::to_string),
            stations: vec![7],
            deputy_id: Some(3),
            unit_id: None,
            scopes: vec![SCOPE_DIRECTORY_READ.into()],
            sid: None,
            expires_at: i64::MAX,
            meta: RequestMeta::default(),
        }
    }

    #[test]
    fn out_of_scope_is_not_found_and_wrong_role_forbidden() {
        let admin = p(Role::Admin, Some("/1/2/"));
        assert!(authorize(&admin, Action::Write, &Target::new(Kind::Group, "/1/2/9/")).is_ok());
        assert_eq!(
            authorize(&admin, Action::Read, &Target::new(Kind::Group, "/1/3/")).unwrap_err().status.as_u16(),
            404
        );
        let dep = p(Role::Deputy, Some("/1/2/"));
        assert_eq!(
            authorize(&dep, Action::Write, &Target::new(Kind::Group, "/1/2/")).unwrap_err().code,
            crate::error::Code::Forbidden
        );
        assert!(authorize(&dep, Action::Read, &Target::new(Kind::Station, "/1/3/")).is_ok());
    }

    #[test]
    fn clients_need_scopes() {
        let c = p(Role::Client, None);
        assert!(authorize(&c, Action::Read, &Target::new(Kind::Deputy, "/1/")).is_ok());
        assert_eq!(
            authorize(&c, Action::Write, &Target::new(Kind::Deputy, "/1/")).unwrap_err().code,
            crate::error::Code::InsufficientScope
        );
    }

    #[test]
    fn staff_write_only_their_stations() {
        let s = p(Role::StationStaff, Some("/1/2/"));
        assert!(authorize(&s, Action::Write, &Target::station(7, "/1/2/")).is_ok());
        assert_eq!(authorize(&s, Action::Write, &Target::station(8, "/1/2/")).unwrap_err().status.as_u16(), 404);
    }

    #[test]
    fn deputy_sees_self_in_full() {
        let d = p(Role::Deputy, None);
        assert_eq!(deputy_view(&d, 3, &["/1/".into()]), View::Full);
        assert_eq!(deputy_view(&d, 4, &["/1/".into()]), View::Public);
    }
}
