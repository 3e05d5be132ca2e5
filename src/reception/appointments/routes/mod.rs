//! Appointment routes: booking and answering a booking, and the working-day calendar.

pub(in crate::reception) mod booking;
pub(in crate::reception) mod workdays;
