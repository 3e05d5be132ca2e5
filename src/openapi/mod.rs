//! The OpenAPI document: aggregation of every route registered through utoipa-actix-web, the
//! bearer security scheme and the tags. `lvzhi openapi` prints the same document the server serves.

mod complete;

use crate::platform::route_table::RouteTable;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::AppExt;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lvzhi (履职) API",
        description = "Backend of the people's congress deputies' duty-performance app and the cloud reception room. Errors are RFC 9457 problem documents with a stable snake_case `code`.",
        version = "1.0.0",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, crate::error::FieldError, crate::reception::StatsBy)),
    tags(
        (name = "auth", description = "Sign-in, tokens, sessions"),
        (name = "accounts", description = "Accounts of staff, deputies, units and third-party clients"),
        (name = "regions", description = "The GB/T 2260 region tree"),
        (name = "deputies", description = "Deputies (people) and their seats"),
        (name = "groups", description = "Deputy groups (代表小组)"),
        (name = "stations", description = "Liaison stations (代表联络站 / 代表之家)"),
        (name = "units", description = "Handling units (承办单位)"),
        (name = "audit", description = "The append-only audit log"),
        (name = "checkins", description = "Station QR codes, kiosks, check-ins and their review"),
        (name = "events", description = "Meetings, trainings, inspections, group activities and sitting in (列席) with attendance"),
        (name = "ledger", description = "Duty points: rulebook, explained entries, rankings, verification"),
        (name = "roster", description = "Reception duty roster (接待日)"),
        (name = "duty-reports", description = "Deputies' reports to their voters and their review (述职评议)"),
        (name = "projects", description = "Livelihood projects voted by deputies in secret, with a tally anyone can recount (民生实事项目票决制)"),
        (name = "liaison", description = "Liaison links (双联系): members linked with deputies for a term, their contacts and the coverage"),
        (name = "contacts", description = "Deputies' fixed contacts among constituents (代表联系群众): consent, sealed phones, visits, overdue reminders"),
        (name = "training", description = "Courses (培训学习): offline and online with materials, quizzes and completion records"),
        (name = "feed", description = "The event feed for upper-level platforms (与上级平台对接): CloudEvents by pull and by signed webhooks; each type's data schema under `GET /api/v1/feed/types`"),
        (name = "consultations", description = "Consultations and surveys (征求意见, 网络调查): drafts put article by article to deputies and the public, questionnaires, contact points, results and feedback"),
        (name = "coverage", description = "The term's coverage (履职全覆盖): who has met each obligation, who is missing, a notice to them"),
        (name = "suggestions", description = "Deputies' suggestions (代表建议): filing, assignment, handling, evaluation"),
        (name = "notices", description = "Notices and briefing materials, inboxes, read receipts, RSVP"),
        (name = "push", description = "Devices and push delivery"),
        (name = "public", description = "Public endpoints of the cloud reception room (no login)"),
        (name = "operations", description = "Health, readiness, metrics")
    )
)]
pub struct ApiDoc;

/// Registers every route on `r` (a utoipa `ServiceConfig`, which also collects the
/// documentation, or a plain actix-web one), capability by capability.
fn register<R: RouteTable>(r: &mut R) {
    use crate::{
        audit, auth, checkins, consultations, contacts, coverage, feed, ledger, liaison, live, notices, ops, org,
        projects, push, reception, reports, suggestions, training,
    };
    // The busiest routes first: actix-web tries routes in this order, and every route with a
    // path parameter before the one that matches costs a regex match (5 % of a worker's time
    // for a check-in when it came 48th). Only fixed paths there: one can never shadow another.
    checkins::register_hot(r);
    notices::register_hot(r);
    ledger::register_hot(r);
    reception::register_hot(r);
    ops::register(r);
    auth::register(r);
    org::register(r);
    audit::register(r);
    checkins::register(r);
    ledger::register(r);
    notices::register(r);
    live::register(r);
    push::register(r);
    reception::register(r);
    suggestions::register(r);
    reports::register(r);
    projects::register(r);
    liaison::register(r);
    contacts::register(r);
    training::register(r);
    coverage::register(r);
    consultations::register(r);
    feed::register(r);
}

/// Registers every documented route, collecting their documentation (for [`spec`]).
pub fn routes(cfg: &mut ServiceConfig) {
    register(cfg);
}

/// The same routes on a plain actix-web `App`: what each server worker builds. The document is
/// built once for the process ([`spec`]); collecting it again in every worker cost about 14 MB
/// of heap per worker that the allocator kept.
pub fn serve(cfg: &mut actix_web::web::ServiceConfig) {
    register(cfg);
}

/// The full document, as served at `/api-docs/openapi.json`.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) =
        actix_web::App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes).split_for_parts();
    complete::errors(&mut api);
    complete::unique_operation_ids(&mut api);
    complete::links(&mut api);
    api
}

/// Pretty JSON of the document (what `openapi/openapi.json` holds).
/// Keys are sorted (through `serde_json::Value`), so the file is the same on every run although
/// utoipa keeps extensions (the links) in a hash map.
pub fn spec_json() -> String {
    serde_json::to_value(spec()).and_then(|v| serde_json::to_string_pretty(&v)).unwrap_or_default() + "\n"
}
