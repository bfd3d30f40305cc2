//! The refresh-then-call flow: HTTP, Credentials applied, response extraction, Data Targets,
//! single-flight token refresh, and the events the runner streams while it works.

pub mod credentials;
pub mod events;
pub mod extract;
pub mod http;
pub mod targets;

pub use events::*;
