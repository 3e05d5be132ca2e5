//! The station desk (`/desk/`): pages for liaison-station staff on a tablet or PC, on the same
//! kit as the phone pages (own session and CSRF cookies under `/desk`, CSP, no caching). Staff
//! sign in with their account, see the station's day, review check-ins, file walk-ins and change
//! the duty roster; every action is a call to the API as the signed-in staff member.

mod model;
mod routes;
mod rules;
mod views;

pub use routes::register;
