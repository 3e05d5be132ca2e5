//! Demo data: a realistic small congress — Hefei city with 3 districts and 12 sub-districts,
//! ~400 deputies (some holding both a city and a district seat) in 35 groups, 20 liaison
//! stations, 2 handling units and the demo logins. Deterministic (fixed seed).

mod activity;
mod calendar;
mod consultations;
mod coverage;
mod duty;
mod duty_reports;
mod liaison;
mod names;
mod notices;
mod places;
mod points;
mod projects;
mod scale;
mod scale_year;
mod seed;
mod suggestions;

pub use seed::{create_admin, kiosk_path, phone_page_paths, print_pages, seed, seed_directory, Summary, PASSWORD};

pub use notices::agenda_pdf;
pub use scale::seed as seed_scale;
