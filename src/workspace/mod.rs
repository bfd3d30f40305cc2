//! The workspace: model types, loading with `path:line:col` diagnostics, validation, atomic saves.

pub mod diagnostics;
pub mod load;
mod locate;
pub mod model;
pub mod save;
pub mod store;
pub mod validate;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use load::{load, parse};
pub use model::*;
pub use store::{StoreError, WorkspaceStore};
