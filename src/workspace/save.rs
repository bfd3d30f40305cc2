//! Writing a workspace: deterministic pretty RON, saved atomically (temporary file beside it,
//! fsync, rename, fsync the folder), new files with mode 0600, existing files keep their mode.

use super::load::ron_options;
use super::model::Workspace;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The canonical text of a workspace: the same workspace always gives the same bytes.
pub fn to_text(workspace: &Workspace) -> String {
    let text = to_text_escaping(workspace, false);
    // A value holding a control character or a bidi override (a server's answer written by a
    // Data Target, say) would be written raw, and `cat` or `git diff` of the file would replay
    // it: then every string is written escaped (`"\u{1b}"`), which reads back the same.
    if text.chars().any(needs_escape) {
        to_text_escaping(workspace, true)
    } else {
        text
    }
}

/// Characters never written raw into the file (newlines and tabs are fine in a string).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || crate::jobs::render::is_bidi_control(c)
}

fn to_text_escaping(workspace: &Workspace, escape: bool) -> String {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .new_line("\n".to_string())
        .struct_names(false)
        .separate_tuple_members(false)
        // Raw strings keep JSON bodies readable: r#"{"name": "x"}"# rather than "{\"name\": \"x\"}".
        .escape_strings(escape);
    let mut text = ron_options()
        .to_string_pretty(workspace, config)
        .expect("a workspace always serializes: it holds only strings, numbers and lists");
    text.push('\n');
    let folded = fold_small_records(&text);
    // Folding is cosmetic: keep it only when it provably reads back as the same workspace.
    match super::load::from_ron(&folded) {
        Ok(back) if back == *workspace => folded,
        _ => text,
    }
}

/// Puts small records (headers, form fields, response values, Data Targets, inputs, Variables:
/// those that start with `name:` or `value:`) on one line when they fit in 100 columns.
fn fold_small_records(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((folded, next)) = fold_at(&lines, i) {
            out.push(folded);
            i = next;
        } else {
            out.push(lines[i].to_string());
            i += 1;
        }
    }
    out.join("\n")
}

fn fold_at(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let line = lines[start];
    let indent = &line[..line.len() - line.trim_start().len()];
    if line.trim_start() != "(" {
        return None;
    }
    let inner_indent = format!("{indent}    ");
    let mut fields = Vec::new();
    let mut i = start + 1;
    while i < lines.len() {
        let l = lines[i];
        if l == format!("{indent}),") || l == format!("{indent})") {
            break;
        }
        let field = l.strip_prefix(&inner_indent)?;
        let simple = field.starts_with(|c: char| c.is_ascii_lowercase())
            && field.ends_with(',')
            && !field.ends_with("[,")
            && !field.ends_with("(,");
        if !simple {
            return None;
        }
        fields.push(field.trim_end_matches(','));
        i += 1;
    }
    let closing = lines.get(i)?;
    let first = fields.first()?;
    if !(first.starts_with("name: ") || first.starts_with("value: ")) {
        return None;
    }
    let trailing = if closing.ends_with(',') { "," } else { "" };
    let folded = format!("{indent}({}){trailing}", fields.join(", "));
    (folded.chars().count() <= 100).then_some((folded, i + 1))
}

/// Saves `workspace` to `path` atomically.
pub fn save(path: &Path, workspace: &Workspace) -> io::Result<()> {
    write_atomic(path, to_text(workspace).as_bytes())
}

/// The file a path names, symlinks followed; the path itself when it does not exist yet. Lock
/// files sit beside this, so programs that reach one file through different links share them.
pub fn real_path(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// `write_atomic` with a hook called on the finished temporary file just before the rename; an
/// error from the hook aborts the save (tests use it to simulate a crash or a full disk).
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    // Write through a symlink to the file it points at, rather than replacing the link.
    let target = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing_mode = existing_permissions(&target)?;
    let temp = temp_path(&target);
    let result = (|| {
        let mut file = create_new(&temp)?;
        file.write_all(bytes)?;
        if let Some(permissions) = existing_mode {
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        drop(file);
        before_rename(&temp)?;
        fs::rename(&temp, &target)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(&dir);
    Ok(())
}

fn existing_permissions(path: &Path) -> io::Result<Option<fs::Permissions>> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(meta.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// `.<name>.tmp-<pid>-<n>` in the same folder, so the rename never crosses file systems.
fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workspace".to_string());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Removes the temp files (`.<name>.tmp-*`) that saves of `path` killed before their rename left
/// beside it: they hold tokens. Only call it with the workspace's file lock held, when no save
/// of that file can be under way.
pub fn remove_stale_temp_files(path: &Path) {
    let target = real_path(path);
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let stale = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_file());
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes the rename durable. Best effort: some file systems cannot sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
