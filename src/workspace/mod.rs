//! The workspace: model types, loading with `path:line:col` diagnostics, validation, atomic saves.

pub(crate) mod diagnostics;
pub mod edit;
mod fast_read;
pub(crate) mod fields;
pub(crate) mod ids;
pub mod journal;
pub mod load;
mod locate;
pub mod model;
pub mod save;
pub mod store;
pub mod validate;
pub mod variables;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use edit::EditError;
pub use fields::CredentialType;
pub use load::{load, load_unvalidated, parse};
pub use model::*;
pub use store::{StoreError, WorkspaceStore};

/// The shipped demo workspace (`workspace.ron` at the repository root), for `payloads demo` and
/// tests.
pub const DEMO_WORKSPACE: &str = include_str!("../../workspace.ron");
