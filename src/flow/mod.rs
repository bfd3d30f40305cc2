//! The refresh-then-call flow: HTTP, Credentials applied, response extraction, Data Targets,
//! single-flight token refresh, and the events the runner streams while it works.

pub mod config;
pub mod credentials;
pub mod events;
pub mod extract;
pub mod http;
pub mod login;
pub mod refresh;
pub mod request;
pub mod runner;
pub mod targets;
pub mod tls;
mod token;
pub mod tracker;

pub use config::{Clock, RunnerConfig};
pub use events::*;
pub use login::{LoginOptions, LoginPrompt};
pub use runner::{FlowError, RunHandle, Runner};
