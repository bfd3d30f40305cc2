//! The token journal: the values of a token answer made durable before anything else happens to
//! them, so a kill, a full disk or a failed save between the answer and the workspace save never
//! loses a rotated refresh token. One small file per Credential beside the workspace (beside the
//! real file when it is a symlink), `.<name>.tokens-<credential>.journal`, mode 0600, written
//! atomically and fsynced; cleared once the workspace holds its tokens. Whoever next holds the
//! Credential's refresh lock finds it and applies it first (see `flow::token`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A journal larger than this is not ours (tokens are short): it is refused, not read.
const MAX_JOURNAL_BYTES: u64 = 1024 * 1024;

/// One token answer: the response values the Token Payload read, to be written by its Data
/// Targets as if the answer had just arrived at `obtained_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub credential: String,
    pub obtained_at: DateTime<Utc>,
    pub values: Vec<(String, String)>,
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

/// Writes `entry` durably: straight into the journal file (0600), then fsynced with its folder.
/// Once the write has returned, a kill cannot lose the tokens (they are in the page cache), and
/// once this returns, neither can a power cut. No temp file and rename: a SIGKILL should find the
/// smallest window, and a journal torn by a power cut mid-write only holds what no save had yet.
pub fn write(workspace: &Path, entry: &JournalEntry) -> io::Result<PathBuf> {
    let path = path_for(workspace, &entry.credential);
    let bytes = serde_json::to_vec(entry).map_err(io::Error::other)?;
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&path)?;
    file.write_all(&bytes)?;
    file.sync_data()?;
    drop(file);
    sync_dir(&path);
    Ok(path)
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
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        io::Error::other(format!(
            "the token journal {} does not read ({e})",
            path.display()
        ))
    })
}

/// Removes the journal once the workspace holds its tokens.
pub fn clear(workspace: &Path, credential_id: &str) -> io::Result<()> {
    let path = path_for(workspace, credential_id);
    match fs::remove_file(&path) {
        Ok(()) => {
            sync_dir(&path);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
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
