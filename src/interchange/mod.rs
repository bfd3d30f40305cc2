//! Records in and out of other forms, shared by the CLI and the TUI: curl commands read into
//! Payloads, Integrations exported and imported.

pub mod curl_parse;
pub mod curl_plan;
pub mod transfer;
