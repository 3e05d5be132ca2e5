//! Constituents: the privacy notice, signing in with an SMS code, and the public pages behind the
//! printed codes of stations and deputies.

pub(in crate::reception) mod accounts;
pub(in crate::reception) mod routes;
