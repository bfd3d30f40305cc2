//! Handing the workspace file to the user's editor (`$VISUAL`, `$EDITOR`, else `vi`), opened at
//! the line of a record or of an error.

use std::path::Path;
use std::process::{Command, ExitStatus};

/// The editor command line the user asked for, split shell-style on whitespace (so
/// `EDITOR="code --wait"` works), from `$VISUAL`, then `$EDITOR`, then `vi`.
pub fn editor_from_env() -> Vec<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| {
            value
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_string()])
}

/// The command that opens `path` at `line` (1-based) in `editor`, using the line syntax of the
/// editors that have one; others just open the file.
pub fn command_at_line(editor: &[String], path: &Path, line: Option<usize>) -> Command {
    let (program, args) = editor
        .split_first()
        .map(|(p, a)| (p.as_str(), a))
        .unwrap_or(("vi", &[]));
    let mut command = Command::new(program);
    command.args(args);
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    let path_text = path.display().to_string();
    match (line, name) {
        (Some(line), "code" | "codium" | "code-insiders") => {
            command.arg("--goto").arg(format!("{path_text}:{line}"));
        }
        (Some(line), "hx" | "helix" | "subl" | "zed") => {
            command.arg(format!("{path_text}:{line}"));
        }
        (Some(line), _) if takes_plus_line(name) => {
            command.arg(format!("+{line}")).arg(path);
        }
        _ => {
            command.arg(path);
        }
    }
    command
}

fn takes_plus_line(name: &str) -> bool {
    matches!(
        name,
        "vi" | "vim"
            | "nvim"
            | "gvim"
            | "view"
            | "nano"
            | "pico"
            | "emacs"
            | "emacsclient"
            | "kak"
            | "micro"
            | "joe"
            | "ne"
            | "mg"
            | "jed"
    )
}

/// Runs the editor in the foreground, inheriting the terminal, and waits for it to exit.
pub fn run_editor(path: &Path, line: Option<usize>) -> std::io::Result<ExitStatus> {
    command_at_line(&editor_from_env(), path, line).status()
}

/// The 1-based line of the record whose `id` (or, for Variables, `name`) is `id`, found in the
/// file's text: the line of `id: "…"`.
pub fn record_line(text: &str, id: &str) -> Option<usize> {
    let quoted = format!("\"{id}\"");
    text.lines()
        .position(|line| {
            let trimmed = line.trim_start();
            (trimmed.starts_with("id:") || trimmed.starts_with("name:"))
                && trimmed
                    .split_once(':')
                    .is_some_and(|(_, value)| value.trim().trim_end_matches(',').trim() == quoted)
        })
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &Command) -> Vec<String> {
        std::iter::once(cmd.get_program())
            .chain(cmd.get_args())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn line_syntax_per_editor() {
        let path = Path::new("/w/workspace.ron");
        let at = |editor: &[&str]| {
            let editor: Vec<String> = editor.iter().map(|s| s.to_string()).collect();
            words(&command_at_line(&editor, path, Some(12)))
        };
        assert_eq!(at(&["vim"]), ["vim", "+12", "/w/workspace.ron"]);
        assert_eq!(
            at(&["/usr/bin/nano"]),
            ["/usr/bin/nano", "+12", "/w/workspace.ron"]
        );
        assert_eq!(
            at(&["code", "--wait"]),
            ["code", "--wait", "--goto", "/w/workspace.ron:12"]
        );
        assert_eq!(at(&["hx"]), ["hx", "/w/workspace.ron:12"]);
        assert_eq!(at(&["my-editor"]), ["my-editor", "/w/workspace.ron"]);
        assert_eq!(
            words(&command_at_line(&["vi".into()], path, None)),
            ["vi", "/w/workspace.ron"]
        );
    }

    #[test]
    fn finds_the_line_of_a_record() {
        let text = "(\n  integrations: [\n    (\n      id: \"sandbox\",\n    ),\n  ],\n  variables: [ (\n name: \"session\", value: \"x\") ],\n)\n";
        assert_eq!(record_line(text, "sandbox"), Some(4));
        assert_eq!(record_line(text, "nope"), None);
        assert_eq!(
            record_line("(\n  name: \"session\",\n)", "session"),
            Some(2)
        );
    }
}
