//! The cloud reception room (云接待室): constituents reach deputies. This first part is the
//! constituents' sign-in — a phone number and a one-time code sent by SMS, with consent to the
//! privacy notice kept with its version — and the public pages behind printed codes; opinions,
//! threads and appointments build on them.

pub mod directory;
pub mod handling;
pub mod model;
pub mod opinion_rules;
pub mod opinion_store;
pub mod opinions;
pub mod rules;
pub mod signin;
pub mod store;
