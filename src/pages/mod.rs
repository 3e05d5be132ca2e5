//! The cloud reception room's own phone pages (码上见代表, under `/m/`): what a printed code
//! opens, signing in by SMS code, leaving an opinion with photos, following one's cases to a
//! rated close, booking a reception. Rendered by the server from templates checked at compile
//! time; every asset is served by the binary; forms work without JavaScript. The pages are a
//! client of the API (over loopback, see [`kit::Api`]): they call no capability's store. The
//! station desk (`/desk/`, see [`desk`]) is built on the same kit for liaison-station staff.

mod desk;
mod kit;
mod model;
mod routes;
mod rules;
mod views;

pub use kit::{Api, Pages};
pub use routes::register;

pub use desk::register as register_desk;
