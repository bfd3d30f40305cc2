//! Finding the workspace file when none is named: `workspace.ron` in the current directory, then
//! in each parent up to the repository root (a directory holding `.git`) or the filesystem root,
//! as cargo and git look for their files.

use std::path::{Path, PathBuf};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = "workspace.ron";

/// Where the workspace path came from, for `-v` and error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--workspace PATH` or `PAYLOADS_WORKSPACE`.
    Given,
    /// `workspace.ron` in the current directory.
    CurrentDir,
    /// `workspace.ron` in a parent of the current directory.
    Parent,
    /// Nothing found: `./workspace.ron`, which `check` reports as missing (and `init` may create).
    Default,
}

/// The workspace file a command works on, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    pub origin: Origin,
}

impl Located {
    /// One line for `-v`: which file, and why that one.
    pub fn describe(&self) -> String {
        let how = match self.origin {
            Origin::Given => "given with --workspace or PAYLOADS_WORKSPACE",
            Origin::CurrentDir => "found in the current directory",
            Origin::Parent => "found in a parent of the current directory",
            Origin::Default => "none found here or above; the default",
        };
        format!("workspace {} ({how})", self.path.display())
    }
}

/// The workspace to use: the given path as is, else the nearest `workspace.ron` from `start`
/// upwards. Found in `start` itself, the path stays relative (`workspace.ron`), as before
/// discovery existed; found above, it is absolute so messages name it unambiguously.
pub fn locate(given: Option<PathBuf>, start: Option<&Path>) -> Located {
    if let Some(path) = given {
        return Located {
            path,
            origin: Origin::Given,
        };
    }
    let default = Located {
        path: PathBuf::from(FILE_NAME),
        origin: Origin::Default,
    };
    let Some(start) = start else {
        return default;
    };
    for (depth, dir) in start.ancestors().enumerate() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return if depth == 0 {
                Located {
                    path: PathBuf::from(FILE_NAME),
                    origin: Origin::CurrentDir,
                }
            } else {
                Located {
                    path: candidate,
                    origin: Origin::Parent,
                }
            };
        }
        // A repository's root is as far as a workspace of that repository can be.
        if dir.join(".git").exists() {
            break;
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_upwards_stopping_at_a_repository_root() {
        let root = tempfile::tempdir().unwrap();
        let outer = root.path().join("outer");
        let repo = outer.join("repo");
        let deep = repo.join("a").join("b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(outer.join(FILE_NAME), "()").unwrap();
        // Above the repository root: not used.
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(locate(None, Some(&deep)).origin, Origin::Default);
        // Inside the repository: the nearest wins.
        std::fs::write(repo.join(FILE_NAME), "()").unwrap();
        std::fs::write(repo.join("a").join(FILE_NAME), "()").unwrap();
        let found = locate(None, Some(&deep));
        assert_eq!(found.origin, Origin::Parent);
        assert_eq!(found.path, repo.join("a").join(FILE_NAME));
        // In the current directory: relative, as before.
        let here = locate(None, Some(&repo));
        assert_eq!(here.path, PathBuf::from(FILE_NAME));
        assert_eq!(here.origin, Origin::CurrentDir);
        // Given: as is.
        let given = locate(Some("x.ron".into()), Some(&deep));
        assert_eq!(given.path, PathBuf::from("x.ron"));
        assert_eq!(given.origin, Origin::Given);
    }

    #[test]
    fn a_directory_named_like_the_file_is_not_a_workspace() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(FILE_NAME)).unwrap();
        std::fs::create_dir(root.path().join(".git")).unwrap();
        assert_eq!(locate(None, Some(root.path())).origin, Origin::Default);
    }
}
