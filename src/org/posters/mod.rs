//! Posters and cards to print: a station's A4 poster and a deputy's card, each with the QR code
//! of the phone page behind the printed code (`LVZHI_PUBLIC_BASE_URL/m/{code}`).

mod routes;

pub use routes::{card, poster};
