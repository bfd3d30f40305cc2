//! Jobs: the record of each run, secret redaction, and the bounded history file beside the workspace.

pub mod record;

pub use record::*;
