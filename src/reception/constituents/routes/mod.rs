//! Constituent routes: the privacy notice, the sign-in code, and the public pages by code.

pub(in crate::reception) mod directory;
pub(in crate::reception) mod signin;
