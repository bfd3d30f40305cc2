//! The workspace: model types, loading with `path:line:col` diagnostics, validation, atomic saves.

pub mod model;
pub mod store;

pub use model::*;
pub use store::{StoreError, WorkspaceStore};
