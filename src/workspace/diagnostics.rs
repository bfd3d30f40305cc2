//! Errors in a workspace file, each pointing at `path:line:col`, and the "did you mean" helper
//! that suggests the likely fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a workspace file. `line` and `col` are 1-based; a `line` of 0 means the problem
/// is with the file as a whole (it is missing, unreadable …) and has no position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn at(path: &Path, line: usize, col: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            col,
            message: cut_long_words(message.into()),
        }
    }

    /// A problem with the whole file, such as "no such file".
    pub fn file(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(path, 0, 0, message)
    }
}

/// How much of one identifier, path or value a message quotes: a 1 MB id is named by its start.
pub const MAX_QUOTED_CHARS: usize = 80;

/// The message with every run of more than [`MAX_QUOTED_CHARS`] characters without a space cut
/// to that many and `…`: a message names what is wrong, it does not repeat it in full.
fn cut_long_words(message: String) -> String {
    if message.len() <= MAX_QUOTED_CHARS {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(4096));
    let mut run = 0;
    for c in message.chars() {
        if c.is_whitespace() {
            run = 0;
        } else {
            run += 1;
            if run == MAX_QUOTED_CHARS + 1 {
                out.push('…');
            }
            if run > MAX_QUOTED_CHARS {
                continue;
            }
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.col,
                self.message
            )
        }
    }
}

/// Every problem found in one workspace file, in file order. Displays one per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn single(diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics(vec![diagnostic])
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The candidate closest to `word`, when it is close enough to be what the user meant.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&word_lower, &candidate.to_lowercase());
        // One typo in a short name, or about a third of a longer one.
        let limit = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["access_token", "refresh_token", "client_id"];
        assert_eq!(closest("acess_token", fields), Some("access_token"));
        assert_eq!(closest("Refresh_Token", fields), Some("refresh_token"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn displays_one_per_line() {
        let path = Path::new("w.ron");
        let d = Diagnostics(vec![
            Diagnostic::at(path, 3, 7, "first"),
            Diagnostic::file(path, "second"),
        ]);
        assert_eq!(d.to_string(), "w.ron:3:7: first\nw.ron: second");
    }
}
