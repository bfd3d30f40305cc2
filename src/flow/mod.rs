//! The refresh-then-call flow: HTTP, Credentials applied, response extraction, Data Targets,
//! single-flight token refresh, and the events the runner streams while it works.

pub mod config;
pub(crate) mod credentials;
pub(crate) mod curl;
pub mod events;
pub mod extract;
pub(crate) mod failure;
pub mod http;
pub mod login;
pub mod refresh;
pub(crate) mod request;
pub(crate) mod runner;
pub(crate) mod targets;
pub(crate) mod tls;
mod token;
pub(crate) mod tracker;

pub use config::{Clock, RunnerConfig};
pub use events::*;
pub use login::{LoginOptions, LoginPrompt};
pub use runner::{FlowError, RunHandle, Runner};
