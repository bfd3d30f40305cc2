//! The shared, saved workspace: one in-memory copy behind a lock, every change saved to the file.

use super::model::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Load(String),
    #[error("could not save {path}: {reason}")]
    Save { path: PathBuf, reason: String },
}

/// The workspace as the running program sees it. `update` is the only way to change it, and it
/// saves before returning, so the file and memory never disagree for long.
#[derive(Debug)]
pub struct WorkspaceStore {
    path: PathBuf,
    state: Mutex<Workspace>,
}

impl WorkspaceStore {
    /// Loads and validates the file at `path`.
    pub fn open(path: impl Into<PathBuf>) -> Result<WorkspaceStore, StoreError> {
        let path = path.into();
        let text = std::fs::read_to_string(&path).map_err(|e| StoreError::Load(e.to_string()))?;
        let workspace: Workspace =
            ron::from_str(&text).map_err(|e| StoreError::Load(e.to_string()))?;
        Ok(WorkspaceStore {
            path,
            state: Mutex::new(workspace),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A copy of the current workspace.
    pub fn snapshot(&self) -> Workspace {
        self.state.lock().expect("workspace lock").clone()
    }

    /// Applies `change` and saves the file; on a failed save memory is rolled back.
    pub fn update<R>(&self, change: impl FnOnce(&mut Workspace) -> R) -> Result<R, StoreError> {
        let mut state = self.state.lock().expect("workspace lock");
        let mut next = state.clone();
        let result = change(&mut next);
        let text =
            ron::ser::to_string_pretty(&next, ron::ser::PrettyConfig::default()).map_err(|e| {
                StoreError::Save {
                    path: self.path.clone(),
                    reason: e.to_string(),
                }
            })?;
        std::fs::write(&self.path, text).map_err(|e| StoreError::Save {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        *state = next;
        Ok(result)
    }
}
