//! What can go wrong with the history database, sorted into what a person can do about it.

use std::path::{Path, PathBuf};

/// The kinds of failure a person acts on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// The file is not a database, or is corrupt: move it aside and start a new one.
    Damaged,
    /// Another process held the database longer than the busy timeout.
    Locked,
    /// The file or its folder cannot be written.
    ReadOnly,
    /// Written by a newer version of this program.
    Newer,
    /// Anything else (a missing folder, a full disk, ...).
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Sql {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}: written by a newer version of payloads (schema {version}); this one reads schema {}",
        path.display(),
        super::schema::SCHEMA_VERSION
    )]
    Newer { path: PathBuf, version: i64 },
    #[error("{}: a stored Job cannot be read: {reason}", path.display())]
    BadRecord { path: PathBuf, reason: String },
}

impl StoreError {
    pub(crate) fn sql(path: &Path, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn kind(&self) -> StoreErrorKind {
        use rusqlite::ErrorCode as Code;
        match self {
            StoreError::Sql { source, .. } => match source.sqlite_error_code() {
                Some(Code::NotADatabase | Code::DatabaseCorrupt) => StoreErrorKind::Damaged,
                Some(Code::DatabaseBusy | Code::DatabaseLocked) => StoreErrorKind::Locked,
                Some(Code::ReadOnly | Code::CannotOpen | Code::PermissionDenied) => {
                    StoreErrorKind::ReadOnly
                }
                _ => StoreErrorKind::Other,
            },
            StoreError::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    StoreErrorKind::ReadOnly
                }
                _ => StoreErrorKind::Other,
            },
            StoreError::Newer { .. } => StoreErrorKind::Newer,
            StoreError::BadRecord { .. } => StoreErrorKind::Damaged,
        }
    }

    /// What a person can do about it, in a sentence.
    pub fn advice(&self) -> String {
        let path = match self {
            StoreError::Sql { path, .. }
            | StoreError::Io { path, .. }
            | StoreError::Newer { path, .. }
            | StoreError::BadRecord { path, .. } => path.display().to_string(),
        };
        match self.kind() {
            StoreErrorKind::Damaged => format!(
                "the Jobs history {path} is damaged; `payloads jobs recover` moves it aside \
                 (nothing is deleted) and a new history starts"
            ),
            StoreErrorKind::Locked => {
                format!("another process holds the Jobs history {path}; try again when it is done")
            }
            StoreErrorKind::ReadOnly => format!(
                "the Jobs history {path} cannot be written; check the permissions of the file and its folder"
            ),
            StoreErrorKind::Newer => format!(
                "the Jobs history {path} was written by a newer payloads; use that version, or move the file aside"
            ),
            StoreErrorKind::Other => format!("the Jobs history is {path}"),
        }
    }
}
