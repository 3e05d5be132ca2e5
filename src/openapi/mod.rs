//! The OpenAPI document: aggregation of every route registered through utoipa-actix-web, the
//! bearer security scheme and the tags. `lvzhi openapi` prints the same document the server serves.

mod complete;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::AppExt;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()));
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
    components(schemas(crate::error::Problem, crate::error::FieldError, crate::reception::stats::By)),
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
        (name = "events", description = "Meetings, trainings, inspections and group activities with attendance"),
        (name = "ledger", description = "Duty points: rulebook, explained entries, rankings, verification"),
        (name = "roster", description = "Reception duty roster (接待日)"),
        (name = "suggestions", description = "Deputies' suggestions (代表建议): filing, assignment, handling, evaluation"),
        (name = "notices", description = "Notices and briefing materials, inboxes, read receipts, RSVP"),
        (name = "push", description = "Devices and push delivery"),
        (name = "public", description = "Public endpoints of the cloud reception room (no login)"),
        (name = "operations", description = "Health, readiness, metrics")
    )
)]
pub struct ApiDoc;

/// Registers every route on `$cfg` (a utoipa `ServiceConfig`, which also collects the
/// documentation, or a plain actix-web one).
macro_rules! register {
    ($cfg:ident) => {{
        use crate::{audit, auth, checkins, ledger, notices, ops, org, push};
        // The busiest routes first: actix-web tries routes in this order, and every route with a
        // path parameter before the one that matches costs a regex match (5 % of a worker's time
        // for a check-in when it came 48th). Only fixed paths here: one can never shadow another.
        $cfg.service(checkins::routes::create)
            .service(notices::inbox::list)
            .service(notices::inbox::unread)
            .service(ledger::routes::mine)
            .service(ledger::routes::ranking)
            .service(ledger::awards::award)
            .service(crate::reception::opinions::submit)
            .service(ops::routes::healthz)
            .service(ops::routes::readyz)
            .service(ops::routes::metrics)
            .service(ops::routes::hello)
            .service(auth::routes::login)
            .service(auth::routes::refresh)
            .service(auth::routes::logout)
            .service(auth::routes::me)
            .service(auth::routes::token)
            .service(auth::routes::jwks)
            .service(auth::accounts::create)
            .service(auth::accounts::list)
            .service(auth::accounts::get_one)
            .service(org::routes::create_region)
            .service(org::routes::list_regions)
            .service(org::routes::get_region)
            .service(org::routes::update_region)
            .service(org::routes::create_group)
            .service(org::routes::list_groups)
            .service(org::routes::get_group)
            .service(org::routes::update_group)
            .service(org::routes::delete_group)
            .service(org::station_routes::create_station)
            .service(org::station_routes::list_stations)
            .service(org::station_routes::get_station)
            .service(org::station_routes::update_station)
            .service(org::station_routes::delete_station)
            .service(org::station_routes::create_unit)
            .service(org::station_routes::list_units)
            .service(org::station_routes::get_unit)
            .service(org::station_routes::update_unit)
            .service(org::station_routes::delete_unit)
            // The import route comes before `/deputies/{id}` so "import" is not taken for an id.
            .service(org::import_routes::import)
            .service(org::deputy_routes::create)
            .service(org::deputy_routes::list)
            .service(org::deputy_routes::get_one)
            .service(org::deputy_routes::update)
            .service(org::deputy_routes::add_seat)
            .service(org::deputy_routes::update_seat)
            .service(org::deputy_routes::read_phone)
            .service(audit::routes::list)
            .service(checkins::routes::qr)
            .service(checkins::routes::rotate)
            .service(checkins::routes::kiosk_key)
            .service(checkins::routes::checkout)
            .service(checkins::routes::review)
            .service(checkins::routes::get_one)
            .service(checkins::routes::position)
            .service(checkins::routes::mine)
            .service(checkins::routes::list)
            .service(checkins::stats::station_month)
            .service(checkins::stats::near)
            .service(checkins::roster::create_slot)
            .service(checkins::roster::signup)
            .service(checkins::roster::duty_board)
            .service(checkins::kiosk::page)
            .service(checkins::events::create)
            .service(checkins::events::get_one)
            .service(checkins::events::qr)
            .service(checkins::attendance::approve_leave)
            .service(checkins::attendance::close)
            .service(checkins::activity::create)
            .service(checkins::activity::mine)
            .service(ledger::routes::rulebook)
            .service(ledger::routes::of_deputy)
            .service(ledger::routes::reverse)
            .service(ledger::routes::verify)
            .service(ledger::awards::propose)
            .service(ledger::awards::decide)
            .service(ledger::rulebook::create)
            .service(ledger::appeals::create)
            .service(ledger::appeals::mine)
            .service(ledger::appeals::queue)
            .service(ledger::appeals::one)
            .service(ledger::appeals::message)
            .service(ledger::appeals::resolve)
            .service(ledger::archive::of_deputy)
            .service(ledger::archive::signed)
            .service(ledger::archive::mine)
            .service(ledger::publish::publish)
            .service(ledger::publish::snapshots)
            .service(ledger::publish::snapshot_rows)
            .service(ledger::publish::published_heads)
            .service(ledger::evaluation::settings)
            .service(ledger::evaluation::set)
            .service(ledger::evaluation::evaluate)
            .service(ledger::simulate::simulate)
            .service(notices::routes::create)
            .service(notices::routes::preview)
            .service(notices::routes::list)
            .service(notices::routes::one)
            .service(notices::routes::publish)
            .service(notices::routes::retract)
            .service(notices::routes::recipients)
            .service(notices::routes::remind)
            .service(notices::routes::decide_leave)
            .service(notices::attachments::upload)
            .service(notices::attachments::remove)
            .service(notices::attachments::download)
            .service(crate::live::routes::events)
            .service(crate::push::settings::get_settings)
            .service(crate::push::settings::put_settings)
            .service(crate::reception::signin::privacy_notice)
            .service(crate::reception::signin::request_code)
            .service(crate::reception::signin::sign_in)
            .service(crate::reception::directory::page)
            .service(crate::reception::opinions::similar)
            .service(crate::reception::threads::mine)
            .service(crate::reception::threads::my_one)
            .service(crate::reception::opinions::withdraw)
            .service(crate::reception::answering::rate)
            .service(crate::reception::handling::list)
            .service(crate::reception::stats::stats)
            .service(crate::reception::threads::one)
            .service(crate::reception::threads::messages)
            .service(crate::reception::threads::post_message)
            .service(crate::reception::opinions::follow)
            .service(crate::reception::publication::publish)
            .service(crate::reception::handling::phone)
            .service(crate::reception::handling::accept)
            .service(crate::reception::handling::reject)
            .service(crate::reception::handling::assign)
            .service(crate::reception::handling::merge)
            .service(crate::reception::answering::answer)
            .service(crate::reception::answering::forward_request)
            .service(crate::reception::answering::close)
            .service(crate::reception::forwarding::forward)
            .service(crate::reception::forwarding::reply)
            .service(crate::reception::forwarding::request_extension)
            .service(crate::reception::forwarding::decide_extension)
            .service(crate::reception::appointments::book)
            .service(crate::reception::appointments::mine)
            .service(crate::reception::appointments::confirm)
            .service(crate::reception::appointments::decline)
            .service(crate::reception::appointments::cancel)
            .service(crate::suggestions::filing::create)
            .service(crate::suggestions::review::staff_list)
            .service(crate::suggestions::disclosure::stats)
            .service(crate::suggestions::disclosure::public_replies)
            .service(crate::suggestions::tracking::urged)
            .service(crate::suggestions::tracking::tracking)
            .service(crate::suggestions::filing::mine)
            .service(crate::suggestions::filing::one)
            .service(crate::suggestions::filing::cosign)
            .service(crate::suggestions::filing::revise)
            .service(crate::suggestions::filing::submit)
            .service(crate::suggestions::filing::withdraw)
            .service(crate::suggestions::review::accept)
            .service(crate::suggestions::review::return_it)
            .service(crate::suggestions::review::convert)
            .service(crate::suggestions::review::assign)
            .service(crate::suggestions::handling::acknowledge)
            .service(crate::suggestions::handling::contact)
            .service(crate::suggestions::handling::reply)
            .service(crate::suggestions::handling::evaluate)
            .service(crate::suggestions::tracking::request_extension)
            .service(crate::suggestions::tracking::decide_extension)
            .service(crate::suggestions::tracking::urge)
            .service(crate::suggestions::tracking::clear)
            .service(crate::suggestions::tracking::excellent)
            .service(crate::suggestions::attachments::attach)
            .service(crate::suggestions::attachments::download)
            .service(crate::reception::workdays::list)
            .service(crate::reception::workdays::put_day)
            .service(crate::reception::workdays::delete_day)
            .service(notices::inbox::one)
            .service(notices::inbox::read)
            .service(notices::inbox::rsvp)
            .service(push::devices::register)
            .service(push::devices::mine)
            .service(push::devices::forget)
            .service(push::devices::dead_letters)
            .service(push::devices::redrive);
    }};
}

/// Registers every documented route, collecting their documentation (for [`spec`]).
pub fn routes(cfg: &mut ServiceConfig) {
    register!(cfg);
}

/// The same routes on a plain actix-web `App`: what each server worker builds. The document is
/// built once for the process ([`spec`]); collecting it again in every worker cost about 14 MB
/// of heap per worker that the allocator kept.
pub fn serve(cfg: &mut actix_web::web::ServiceConfig) {
    register!(cfg);
}

/// The full document, as served at `/api-docs/openapi.json`.
pub fn spec() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new().into_utoipa_app().openapi(ApiDoc::openapi()).configure(routes).split_for_parts();
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
