//! The desk's route table (`/desk/`): its style sheet, signing in and out, the station's day
//! with its forms, a duty slot's page, and the desk's 404 for everything else under `/desk/`.

mod day;
mod respond;
mod session;
mod sign_in;
mod slots;

use actix_web::web;

/// Registers the desk pages (outside the API's OpenAPI document).
pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.service(sign_in::css)
        .service(sign_in::page)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out)
        .service(day::page)
        .service(day::walk_in)
        .service(day::review)
        .service(slots::page)
        .service(slots::save)
        .service(slots::cancel)
        .service(session::script)
        .service(session::screen)
        .service(web::resource("/desk").to(respond::unknown))
        .service(web::resource("/desk/{rest:.*}").to(respond::unknown));
}
