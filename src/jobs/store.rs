//! The Job history file beside the workspace: one JSON line per record, appended and fsynced, the
//! last line for an id winning, compacted to the newest `max_jobs` when it grows past them.

use super::record::{Job, JobId};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How much history is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLimits {
    /// The newest this many Jobs are kept.
    pub max_jobs: usize,
    /// Request and response bodies are cut to this many bytes when written.
    pub max_body_bytes: usize,
}

impl Default for JobLimits {
    fn default() -> Self {
        JobLimits {
            max_jobs: 1000,
            max_body_bytes: 64 * 1024,
        }
    }
}

/// What looking a Job up by id or id prefix found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Box<Job>),
    NotFound,
    /// More than one Job matches the prefix: their ids, newest first.
    Ambiguous(Vec<JobId>),
}

/// The Job history of one workspace. Records are expected to be redacted already; the store adds
/// nothing but what it is given. Safe to share between threads, and between processes appending
/// to the same file at once.
#[derive(Debug)]
pub struct JobStore {
    path: PathBuf,
    limits: JobLimits,
    /// Lines in the file as far as this process knows (None until first counted). Also serialises
    /// this process's writers.
    lines: Mutex<Option<usize>>,
}

impl JobStore {
    /// The history of the workspace at `workspace_path`: `<dir>/<file stem>.jobs.jsonl`, default limits.
    pub fn beside(workspace_path: impl AsRef<Path>) -> JobStore {
        // Beside the real file, so every symlink to one workspace shares one history.
        let workspace = crate::workspace::save::real_path(workspace_path.as_ref());
        JobStore::open(jobs_path_for(&workspace), JobLimits::default())
    }

    /// The history file at `path`; it is created (mode 0600) on the first record.
    pub fn open(path: impl Into<PathBuf>, limits: JobLimits) -> JobStore {
        JobStore {
            path: path.into(),
            limits,
            lines: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn limits(&self) -> JobLimits {
        self.limits
    }

    /// Appends `job` (its bodies cut to the limit) as one line and syncs it to disk. Recording the
    /// same id again replaces the earlier record.
    pub fn record(&self, job: &Job) -> io::Result<()> {
        let mut line = serde_json::to_string(&self.cut_bodies(job)).map_err(io::Error::other)?;
        line.push('\n');
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        let known = match *lines {
            Some(known) => known,
            None => count_lines(&self.path)?,
        };
        self.append(line)?;
        let now = known + 1;
        *lines = Some(now);
        if now > self.compaction_threshold() {
            *lines = Some(self.compact()?);
        }
        Ok(())
    }

    /// The newest `limit` Jobs (at most `max_jobs`), newest first.
    pub fn list(&self, limit: usize) -> io::Result<Vec<Job>> {
        let mut jobs = self.read_all()?;
        jobs.truncate(limit.min(self.limits.max_jobs));
        Ok(jobs)
    }

    /// The Job with this id, or with this unique id prefix.
    pub fn get(&self, id: &str) -> io::Result<Option<Job>> {
        Ok(match self.find(id)? {
            Lookup::Found(job) => Some(*job),
            Lookup::NotFound | Lookup::Ambiguous(_) => None,
        })
    }

    /// Looks a Job up by its id, a unique prefix of it, or a unique part of it (the suffix after
    /// the time is the part people copy).
    pub fn find(&self, id: &str) -> io::Result<Lookup> {
        let id = id.trim();
        if id.is_empty() {
            return Ok(Lookup::NotFound);
        }
        let jobs = self.read_all()?;
        if let Some(job) = jobs.iter().find(|j| j.id == id) {
            return Ok(Lookup::Found(Box::new(job.clone())));
        }
        let mut matches: Vec<&Job> = jobs.iter().filter(|j| j.id.starts_with(id)).collect();
        if matches.is_empty() {
            matches = jobs.iter().filter(|j| j.id.contains(id)).collect();
        }
        Ok(match matches.as_slice() {
            [] => Lookup::NotFound,
            [job] => Lookup::Found(Box::new((*job).clone())),
            many => Lookup::Ambiguous(many.iter().map(|j| j.id.clone()).collect()),
        })
    }

    fn compaction_threshold(&self) -> usize {
        self.limits.max_jobs + (self.limits.max_jobs / 10).max(1)
    }

    fn cut_bodies(&self, job: &Job) -> Job {
        let max = self.limits.max_body_bytes;
        let mut job = job.clone();
        if let Some(request) = &mut job.request
            && let Some(body) = &mut request.body
        {
            let full = body.len();
            if cut(body, max) {
                body.push_str(&format!("\n… [body cut: first {max} of {full} bytes kept]"));
            }
        }
        if let Some(response) = &mut job.response {
            let full = response.body.len() as u64;
            if cut(&mut response.body, max) {
                response.truncated = true;
                response.body_bytes = response.body_bytes.max(full);
            }
        }
        job
    }

    /// One `write_all` of one whole line to a file opened for appending, under an exclusive lock:
    /// writers in other processes wait their turn (so the check for a broken last line sees only
    /// finished writes), and a compaction cannot swap the file under the write.
    fn append(&self, line: String) -> io::Result<()> {
        let file = loop {
            let file = open_append(&self.path)?;
            lock(&file)?;
            if same_file(&file, &self.path)? {
                break file;
            }
            // A compaction replaced the file between our open and our lock: write to the new one.
        };
        let mut line = line;
        // A crash mid-write leaves a last line without its newline: start a fresh line so only
        // that broken record is lost, not this one too.
        if !ends_with_newline(&file)? {
            line.insert(0, '\n');
        }
        (&file).write_all(line.as_bytes())?;
        file.sync_data()?;
        Ok(())
    }

    /// Rewrites the file with the newest `max_jobs` records, atomically. Returns the lines kept.
    fn compact(&self) -> io::Result<usize> {
        let file = loop {
            let file = open_append(&self.path)?;
            lock(&file)?;
            if same_file(&file, &self.path)? {
                break file;
            }
        };
        let mut text = String::new();
        (&file).seek(SeekFrom::Start(0))?;
        // Lossy: a garbled line must not stop the rest from being kept.
        let mut bytes = Vec::new();
        (&file).read_to_end(&mut bytes)?;
        text.push_str(&String::from_utf8_lossy(&bytes));
        let mut jobs = parse(&text);
        jobs.truncate(self.limits.max_jobs);
        jobs.reverse();
        let mut out = String::new();
        for job in &jobs {
            out.push_str(&serde_json::to_string(job).map_err(io::Error::other)?);
            out.push('\n');
        }
        let tmp = self
            .path
            .with_extension(format!("jsonl.tmp-{}", std::process::id()));
        let result = (|| {
            let mut tmp_file = create_private(&tmp)?;
            tmp_file.write_all(out.as_bytes())?;
            tmp_file.sync_all()?;
            std::fs::rename(&tmp, &self.path)?;
            sync_dir(&self.path);
            Ok(jobs.len())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        tracing::debug!(path = %self.path.display(), kept = jobs.len(), "compacted the jobs file");
        drop(file);
        result
    }

    fn read_all(&self) -> io::Result<Vec<Job>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(parse(&String::from_utf8_lossy(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

/// `<dir>/<file stem>.jobs.jsonl` for the workspace at `workspace_path`.
pub fn jobs_path_for(workspace_path: &Path) -> PathBuf {
    let stem = workspace_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "workspace".to_string());
    let dir = workspace_path.parent().unwrap_or(Path::new(""));
    dir.join(format!("{stem}.jobs.jsonl"))
}

/// Every readable record, the last line for an id winning, newest first. Unreadable lines (a
/// record cut short by a crash) are skipped.
fn parse(text: &str) -> Vec<Job> {
    let mut by_id: std::collections::HashMap<JobId, Job> = std::collections::HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Job>(line) {
            Ok(job) => {
                by_id.insert(job.id.clone(), job);
            }
            Err(e) => tracing::warn!("skipping an unreadable line of the jobs file: {e}"),
        }
    }
    let mut jobs: Vec<Job> = by_id.into_values().collect();
    jobs.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    jobs
}

/// Cuts `text` to at most `max` bytes on a char boundary; true when it was cut.
fn cut(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

fn count_lines(path: &Path) -> io::Result<usize> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes.iter().filter(|b| **b == b'\n').count()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(e),
    }
}

fn ends_with_newline(file: &File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    let mut last = [0u8; 1];
    read_at(file, &mut last, len - 1)?;
    Ok(last[0] == b'\n')
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

/// An exclusive advisory lock, released when `file` is closed. Where the file system cannot lock
/// (some network mounts), writing unlocked beats not recording at all.
fn lock(file: &File) -> io::Result<()> {
    match file.lock() {
        Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(()),
        other => other,
    }
}

fn open_append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// True when `file` is still the file at `path` (no compaction renamed another over it).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let open = file.metadata()?;
    match std::fs::metadata(path) {
        Ok(now) => Ok(open.dev() == now.dev() && open.ino() == now.ino()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, _path: &Path) -> io::Result<bool> {
    Ok(true)
}

/// Makes a rename durable; best effort, as not every platform can open a directory.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jobs_file_sits_beside_the_workspace() {
        assert_eq!(
            jobs_path_for(Path::new("/srv/x/workspace.ron")),
            PathBuf::from("/srv/x/workspace.jobs.jsonl")
        );
        assert_eq!(
            jobs_path_for(Path::new("team.ron")),
            PathBuf::from("team.jobs.jsonl")
        );
    }

    #[test]
    fn cutting_respects_char_boundaries() {
        let mut text = "aé€".to_string();
        assert!(cut(&mut text, 4));
        assert_eq!(text, "aé");
        let mut short = "abc".to_string();
        assert!(!cut(&mut short, 3));
    }
}
