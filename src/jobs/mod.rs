//! Jobs: the record of each run, secret redaction, and the bounded history file beside the workspace.

pub(crate) mod id;
pub mod record;
pub(crate) mod redact;
pub mod render;
pub mod store;

pub use id::new_job_id;
pub use record::*;
pub use redact::{REDACTED, Redactor};
pub use store::{JobLimits, JobStore, Lookup};
