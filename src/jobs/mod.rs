//! Jobs: the record of each run, secret redaction, and the bounded history database beside the
//! workspace.

pub(crate) mod id;
pub mod pictures;
pub mod record;
pub(crate) mod redact;
pub mod render;
pub mod store;

pub use id::new_job_id;
pub use record::*;
pub use redact::{REDACTED, Redactor};
pub use store::{
    HistorySize, ImportReport, JobLimits, JobQuery, JobStore, JobSummary, LastFailure, Lookup,
    PayloadStats, PruneReport, RECENT_RUNS, StoreError, StoreErrorKind, status_from_label,
};
