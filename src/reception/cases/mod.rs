//! Cases (社情民意): an opinion from its filing (by constituents, in bulk) through acceptance,
//! assignment, answers, forwarding to handling units within working-day deadlines, threads and
//! publication, to the constituent's rating; and the statistics over them.

pub(in crate::reception) mod case;
pub(in crate::reception) mod cited;
pub(in crate::reception) mod filing;
pub(in crate::reception) mod raised;
pub(in crate::reception) mod routes;
pub(in crate::reception) mod rules;
pub(in crate::reception) mod texts;
pub(in crate::reception) mod walk_ins;
