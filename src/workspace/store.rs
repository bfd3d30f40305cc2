//! The shared, saved workspace: one in-memory copy behind a lock, every change saved to the file
//! under an advisory file lock, after picking up changes other programs made to it.

use super::diagnostics::{Diagnostic, Diagnostics};
use super::load::{parse, parse_syntax, read, starts_with_bom};
use super::model::Workspace;
use super::save::{to_text, write_atomic_with};
use super::validate::validate;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Why a save was abandoned just before its rename: another program wrote the file meanwhile.
/// Carried inside the `io::Error` of the write and recognised by type, so the retry never
/// depends on a message's wording.
#[derive(Debug, thiserror::Error)]
#[error("the file was changed by another program while saving")]
struct ChangedMeanwhile;

impl ChangedMeanwhile {
    fn is_cause_of(e: &std::io::Error) -> bool {
        e.get_ref()
            .is_some_and(|inner| inner.is::<ChangedMeanwhile>())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be read, parsed or validated; it was left untouched.
    #[error("{0}")]
    Load(Diagnostics),
    /// The change would make the workspace invalid; nothing was saved.
    #[error("the change was not saved because it would leave the workspace invalid:\n{0}")]
    Invalid(Diagnostics),
    #[error("could not save {path}: {reason}")]
    Save { path: PathBuf, reason: String },
}

/// What the file looked like when we last read or wrote it: a cheap way to notice outside edits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        })
    }
}

#[derive(Debug)]
struct State {
    /// Shared with every snapshot taken: a change replaces it, so readers never see it move and
    /// a snapshot costs a reference count, not a copy of every record.
    workspace: Arc<Workspace>,
    /// The file's text as we last read or wrote it.
    text: String,
    stamp: Option<Stamp>,
}

/// The workspace as the running program sees it. `update` is the only way to change it, and it
/// saves before returning, so the file and memory never disagree for long.
#[derive(Debug)]
pub struct WorkspaceStore {
    path: PathBuf,
    state: Mutex<State>,
}

impl WorkspaceStore {
    /// Loads and validates the file at `path`; every problem is in the returned diagnostics.
    pub fn open(path: impl Into<PathBuf>) -> Result<WorkspaceStore, StoreError> {
        let path = path.into();
        let text = read(&path).map_err(StoreError::Load)?;
        let workspace = parse(&path, &text).map_err(StoreError::Load)?;
        let stamp = Stamp::of(&path);
        Ok(WorkspaceStore {
            path,
            state: Mutex::new(State {
                workspace: Arc::new(workspace),
                text,
                stamp,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current workspace, as it stands now (later changes replace the store's, not this).
    pub fn snapshot(&self) -> Arc<Workspace> {
        self.lock_state().workspace.clone()
    }

    /// The file's text as last read or written (for showing a record's line, say).
    pub fn text(&self) -> String {
        self.lock_state().text.clone()
    }

    /// Applies `change` and saves the file. Changes made to the file by another program since we
    /// last read it are loaded first, so they are kept. The change is refused, and nothing is
    /// written, when the file on disk no longer loads or the result would not be valid.
    pub fn update<R>(&self, mut change: impl FnMut(&mut Workspace) -> R) -> Result<R, StoreError> {
        self.try_update(|ws| Ok::<R, std::convert::Infallible>(change(ws)))
            .map(|r| match r {
                Ok(r) => r,
                Err(never) => match never {},
            })
    }

    /// Like `update`, but a change that returns `Err` is discarded and nothing is saved.
    ///
    /// An editor does not take our lock: when the file changes between our read and our rename,
    /// the write is abandoned and `change` runs again on what the editor saved, so neither side's
    /// change is lost (a few attempts, then the error says so).
    pub fn try_update<R, E>(
        &self,
        mut change: impl FnMut(&mut Workspace) -> Result<R, E>,
    ) -> Result<Result<R, E>, StoreError> {
        const ATTEMPTS: usize = 5;
        let mut state = self.lock_state();
        let _file_lock = self.lock_file()?;
        // Every save takes this lock, so a temp file seen now is one a killed save left behind.
        super::save::remove_stale_temp_files(&self.path);
        for attempt in 1.. {
            self.catch_up(&mut state)?;
            let mut next = Workspace::clone(&state.workspace);
            let result = match change(&mut next) {
                Ok(result) => result,
                Err(e) => return Ok(Err(e)),
            };
            if next == *state.workspace {
                return Ok(Ok(result));
            }
            let canonical = to_text(&next);
            validate(&self.path, &canonical, &next).map_err(StoreError::Invalid)?;
            let text = keep_layout(&state.text, &canonical, &next);
            let bytes = if starts_with_bom(&self.path) {
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
            } else {
                text.clone().into_bytes()
            };
            let read_before = &state.text;
            let written = write_atomic_with(&self.path, &bytes, |_| match read(&self.path) {
                Ok(on_disk) if on_disk != *read_before => {
                    Err(std::io::Error::other(ChangedMeanwhile))
                }
                _ => Ok(()),
            });
            match written {
                Ok(()) => {
                    state.workspace = Arc::new(next);
                    state.text = text;
                    state.stamp = Stamp::of(&self.path);
                    return Ok(Ok(result));
                }
                Err(e) if ChangedMeanwhile::is_cause_of(&e) && attempt < ATTEMPTS => continue,
                Err(e) => {
                    return Err(StoreError::Save {
                        path: self.path.clone(),
                        reason: e.to_string(),
                    });
                }
            }
        }
        unreachable!("the loop returns on its last attempt")
    }

    /// Loads the file again if another program changed it. `Ok(true)` when the workspace changed;
    /// on error the copy in memory is kept (and saving is refused until the file loads again).
    pub fn reload(&self) -> Result<bool, Diagnostics> {
        let mut state = self.lock_state();
        state.stamp = Stamp::of(&self.path);
        let text = read(&self.path)?;
        if text == state.text {
            return Ok(false);
        }
        let workspace = parse(&self.path, &text)?;
        let changed = workspace != *state.workspace;
        state.workspace = Arc::new(workspace);
        state.text = text;
        Ok(changed)
    }

    /// A cheap check (size, modification time, inode) for whether the file changed on disk since
    /// we last read or wrote it; poll it, then call `reload`.
    pub fn is_stale(&self) -> bool {
        Stamp::of(&self.path) != self.lock_state().stamp
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic inside a change closure leaves the state as it was before the change.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Loads outside changes before a write; refuses when the file on disk does not load.
    fn catch_up(&self, state: &mut State) -> Result<(), StoreError> {
        let text = match read(&self.path) {
            Ok(text) => text,
            // A deleted file is written anew from memory: nothing is lost by that.
            Err(_) if !self.path.exists() => return Ok(()),
            Err(d) => return Err(StoreError::Load(d)),
        };
        if text != state.text {
            let workspace = parse(&self.path, &text).map_err(|d| {
                let mut d = d;
                d.0.push(Diagnostic::file(
                    &self.path,
                    "the file was changed outside Payloads and no longer loads; fix it (or undo the edit) before changing anything here",
                ));
                StoreError::Load(d)
            })?;
            state.workspace = Arc::new(workspace);
            state.text = text;
            state.stamp = Stamp::of(&self.path);
        }
        Ok(())
    }

    /// An advisory lock on `.<name>.lock` beside the workspace file (a symlink's target), held while a change is written, so
    /// two Payloads processes never interleave their read-change-write.
    fn lock_file(&self) -> Result<Option<File>, StoreError> {
        let real = super::save::real_path(&self.path);
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "workspace".to_string());
        let lock_path = real.with_file_name(format!(".{name}.lock"));
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let save_error = |e: std::io::Error| StoreError::Save {
            path: self.path.clone(),
            reason: format!("could not lock {}: {e}", lock_path.display()),
        };
        let file = options.open(&lock_path).map_err(save_error)?;
        match file.lock() {
            Ok(()) => Ok(Some(file)),
            // Some file systems have no locks; the in-process lock still orders our own writes.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => Ok(None),
            Err(e) => Err(save_error(e)),
        }
    }
}

/// The new text for the file: the old text with only what changed rewritten (comments and layout
/// kept), when that provably reads back as `workspace`; the canonical text otherwise.
fn keep_layout(old: &str, canonical: &str, workspace: &Workspace) -> String {
    let reads_back =
        |text: &str| parse_syntax(Path::new(""), text).is_ok_and(|back| back == *workspace);
    let text = crate::ronpatch::patch_verified(old, canonical, reads_back)
        .unwrap_or_else(|| canonical.to_string());
    // A file with Windows line endings keeps them: new lines come from the canonical text.
    if uses_crlf(old) {
        let crlf = with_crlf(&text);
        if reads_back(&crlf) {
            return crlf;
        }
    }
    text
}

/// Whether most of the text's line breaks are `\r\n`.
fn uses_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf > 0 && crlf * 2 >= text.matches('\n').count()
}

/// Every lone `\n` made `\r\n`.
fn with_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut previous = '\0';
    for c in text.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}
