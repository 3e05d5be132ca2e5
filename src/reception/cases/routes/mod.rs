//! Case routes, by step: filing and following, handling, answering, forwarding, threads,
//! publication and statistics.

pub(in crate::reception) mod answering;
pub(in crate::reception) mod forwarding;
pub(in crate::reception) mod handling;
pub(in crate::reception) mod opinions;
pub(in crate::reception) mod photos;
pub(in crate::reception) mod preferences;
pub(in crate::reception) mod publication;
pub(in crate::reception) mod similar;
pub(in crate::reception) mod stats;
pub(in crate::reception) mod threads;
pub(in crate::reception) mod walk_ins;
