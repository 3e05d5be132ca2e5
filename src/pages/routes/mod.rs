//! The phone pages' route table (`/m/`): fixed paths first, the printed code last, and the
//! friendly 404 for everything else under `/m/`.

mod booking;
mod card;
mod cases;
mod consultations;
mod duty_report;
mod opinion;
mod projects;
mod sign_in;

use actix_web::web;

/// Registers the pages on a plain actix-web configuration (pages are not part of the API's
/// OpenAPI document).
pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.service(card::css)
        .service(card::js)
        .service(sign_in::page)
        .service(sign_in::send_code)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out)
        .service(cases::list)
        .service(cases::one)
        .service(cases::message)
        .service(cases::rate)
        .service(cases::texts)
        .service(cases::follow)
        .service(cases::unfollow)
        .service(booking::cancel)
        .service(duty_report::page)
        .service(duty_report::rate)
        .service(opinion::page)
        .service(opinion::submit)
        .service(projects::page)
        .service(consultations::list)
        .service(consultations::page)
        .service(consultations::comment)
        .service(consultations::answers)
        .service(booking::page)
        .service(booking::book)
        .service(card::code_page)
        .service(web::resource("/m").to(card::unknown))
        .service(web::resource("/m/{rest:.*}").to(card::unknown));
}
