//! The refresh-then-call flow: HTTP, Credentials applied, response extraction, Data Targets,
//! single-flight token refresh, and the events the runner streams while it works.

pub mod events;

pub use events::*;
