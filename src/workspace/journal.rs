//! The token journal: the values of a token answer made durable before anything else happens to
//! them, so a kill, a full disk or a failed save between the answer and the workspace save never
//! loses a rotated refresh token. One small file per Credential beside the workspace (beside the
//! real file when it is a symlink), `.<name>.tokens-<credential>.journal`, mode 0600, written
//! in place and fsynced; cleared once the workspace holds its tokens. Whoever next holds the
//! Credential's refresh lock finds it and applies it first (see `flow::token`).
//!
//! The file is reserved (made, filled with spaces) before the token request goes out, so that
//! the answer's tokens are later written over space the disk has already given: a disk that is
//! full refuses the reservation, and the request is not sent (its refresh token stays unspent),
//! rather than refusing the journal once the server has rotated the token. A reservation holds
//! no entry; a kill before the answer leaves one, and the next holder of the lock removes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A journal larger than this is not ours (tokens are short): it is refused, not read.
const MAX_JOURNAL_BYTES: u64 = 1024 * 1024;

/// The space reserved before a token request: room for the tokens of any usual answer (JWTs of
/// a few KiB included); a larger entry grows the file, as an unreserved write would.
const RESERVED_BYTES: usize = 16 * 1024;

/// One token answer: the response values the Token Payload read, to be written by its Data
/// Targets as if the answer had just arrived at `obtained_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub credential: String,
    pub obtained_at: DateTime<Utc>,
    /// The checked values; empty while only the raw answer is kept.
    pub values: Vec<(String, String)>,
    /// The answer as it arrived, journaled before anything else is done with it; its values are
    /// read and checked by whoever applies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<JournaledAnswer>,
}

/// A token endpoint's answer as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournaledAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// The journal file of `credential_id` for the workspace at `workspace`.
pub fn path_for(workspace: &Path, credential_id: &str) -> PathBuf {
    let real = super::save::real_path(workspace);
    let name = file_name(&real);
    real.with_file_name(format!(".{name}.tokens-{}.journal", safe_id(credential_id)))
}

fn file_name(real: &Path) -> String {
    real.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".to_string())
}

/// The id with anything but `[A-Za-z0-9_-]` made `_`, so it is a plain file name; a long id is
/// cut (the entry inside names the Credential in full).
fn safe_id(id: &str) -> String {
    id.chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Reserves the journal of `credential_id` before its token request: the file (0600) filled
/// with spaces. An error (a full disk, a read-only folder) means the answer's tokens could not be
/// journaled, so the caller sends nothing. Not fsynced: a reservation only has to hold space.
pub fn reserve(workspace: &Path, credential_id: &str) -> io::Result<PathBuf> {
    let path = path_for(workspace, credential_id);
    let mut file = open(&path, true)?;
    let written = file.write_all(&[b' '; RESERVED_BYTES]);
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

/// Writes `entry` durably: over the reservation in place (padded with spaces to its length, so
/// no stale byte follows), or a new file when there was none, then fsynced with its folder. Once
/// the write has returned, a kill cannot lose the tokens (they are in the page cache), and once
/// this returns, neither can a power cut. No truncation, no temp file and rename: a SIGKILL finds
/// the smallest window, and a journal torn by a power cut mid-write only holds what no save had.
pub fn write(workspace: &Path, entry: &JournalEntry) -> io::Result<PathBuf> {
    let path = path_for(workspace, &entry.credential);
    let mut bytes = serde_json::to_vec(entry).map_err(io::Error::other)?;
    let mut file = open(&path, false)?;
    let reserved = file.metadata().map(|m| m.len()).unwrap_or(0);
    if let Ok(reserved) = usize::try_from(reserved) {
        bytes.resize(bytes.len().max(reserved), b' ');
    }
    file.write_all(&bytes)?;
    file.sync_data()?;
    drop(file);
    sync_dir(&path);
    Ok(path)
}

/// The journal file opened for writing from its start, made (0600) when missing; `truncate`
/// empties it.
fn open(path: &Path, truncate: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The entry of `credential_id`, if a refresh left one. A journal that cannot be read or parsed
/// is an error naming its path (it is left where it is, for a person to look at).
pub fn read(workspace: &Path, credential_id: &str) -> io::Result<Option<JournalEntry>> {
    let path = path_for(workspace, credential_id);
    let bytes = match super::load::read_bounded(&path, MAX_JOURNAL_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(io::Error::other(format!(
                "the token journal {}: {e}",
                path.display()
            )));
        }
    };
    // A reservation whose request never got its answer holds no entry.
    if bytes.trim_ascii().is_empty() {
        return Ok(None);
    }
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        io::Error::other(format!(
            "the token journal {} does not read ({e})",
            path.display()
        ))
    })
}

/// Removes the journal once the workspace holds its tokens. The removal is not fsynced: a power
/// cut that undoes it brings back a journal holding what the durably saved workspace already
/// holds, and applying it again changes nothing; the folder's next fsync (the next save or
/// journal) makes the removal durable anyway. One fsync less on every refresh.
pub fn clear(workspace: &Path, credential_id: &str) -> io::Result<()> {
    let path = path_for(workspace, credential_id);
    match fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Removes the journal of `credential_id` unless it holds checked tokens: after a token request
/// that failed, or whose answer the checks refused (a reservation, a raw answer). A journal
/// holding checked tokens, or one that does not read, is kept for the next holder of the lock.
pub fn clear_reservation(workspace: &Path, credential_id: &str) -> io::Result<()> {
    match read(workspace, credential_id) {
        Ok(None) => clear(workspace, credential_id),
        Ok(Some(entry)) if entry.values.is_empty() => clear(workspace, credential_id),
        Ok(Some(_)) | Err(_) => Ok(()),
    }
}

/// The Credential ids (as written in their file names) of every journal beside the workspace.
pub fn pending(workspace: &Path) -> Vec<String> {
    let real = super::save::real_path(workspace);
    let prefix = format!(".{}.tokens-", file_name(&real));
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(&prefix)?
                .strip_suffix(".journal")
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    ids
}

/// Whether `credential_id` names the same journal file as `file_id` (from [`pending`]).
pub fn same_file(credential_id: &str, file_id: &str) -> bool {
    safe_id(credential_id) == file_id
}

fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Ok(d) = File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_read_and_cleared_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("workspace.ron");
        let entry = JournalEntry {
            credential: "sandbox oauth".into(),
            obtained_at: Utc::now(),
            values: vec![("access_token".into(), "a".into())],
            answer: None,
        };
        assert_eq!(read(&ws, "sandbox oauth").unwrap(), None);
        let path = write(&ws, &entry).unwrap();
        assert_eq!(
            path,
            dir.path()
                .join(".workspace.ron.tokens-sandbox_oauth.journal")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(read(&ws, "sandbox oauth").unwrap(), Some(entry));
        assert_eq!(pending(&ws), vec!["sandbox_oauth".to_string()]);
        assert!(same_file("sandbox oauth", "sandbox_oauth"));
        clear(&ws, "sandbox oauth").unwrap();
        assert_eq!(read(&ws, "sandbox oauth").unwrap(), None);
        assert!(pending(&ws).is_empty());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
