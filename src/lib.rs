//! Payloads: describe Integrations, Credentials and Payloads in one RON workspace, run them from a
//! TUI or headless, and read every run as a Job. The binary in `main.rs` is a thin shell over this.

pub mod cli;
pub mod editor;
pub mod flow;
pub mod interchange;
pub mod jobs;
pub mod logging;
pub mod oauth;
pub mod ronpatch;
pub mod sandbox;
pub mod template;
pub mod tui;
pub mod workspace;
