//! Appeals (错、重、漏): a deputy disputes an entry (wrong, or counted twice) or reports an
//! activity that was not counted; congress staff in scope answer in a thread and resolve it with
//! a reversal, a new entry, or a reasoned rejection. The thread is kept and shown in the archive.

mod model;
mod routes;
mod thread;

pub use routes::{create, message, mine, one, queue, resolve};
