//! Shell completion and the man page, both generated from the clap definitions in `cli/mod.rs`.
//!
//! Completion uses clap_complete's dynamic engine: the script `payloads completions SHELL` prints
//! registers a function that runs `payloads` itself (with `PAYLOADS_COMPLETE` set) for every
//! <TAB>, so Payload, Credential and Job-input names come from the workspace as it is now, never
//! from a list frozen into the script.

use super::discover;
use crate::workspace::Workspace;
use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{CompleteEnv, Shells};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The variable that turns a run of `payloads` into a completion request. Its own name, not
/// clap's default `COMPLETE`, so a stray `COMPLETE` in someone's environment cannot hijack a run.
const COMPLETE_VAR: &str = "PAYLOADS_COMPLETE";

/// The shells a script can be printed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

impl Shell {
    fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Elvish => "elvish",
            Shell::Powershell => "powershell",
        }
    }
}

/// Answers a completion request and exits, when this run is one; returns otherwise. Called
/// before anything else writes to stdout.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(super::Cli::command)
        .var(COMPLETE_VAR)
        .complete();
}

/// The registration script for `shell`. It calls `payloads` by name (found on `PATH`), so the
/// script keeps working when the binary is rebuilt or moved.
pub fn script(shell: Shell) -> Result<Vec<u8>, String> {
    let shells = Shells::builtins();
    let completer = shells
        .completer(shell.name())
        .ok_or_else(|| format!("no completion support for {}", shell.name()))?;
    let mut buf = Vec::new();
    completer
        .write_registration(COMPLETE_VAR, "payloads", "payloads", "payloads", &mut buf)
        .map_err(|e| e.to_string())?;
    Ok(buf)
}

/// The man page, as roff.
pub fn man_page() -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(super::Cli::command())
        .render(&mut buf)
        .map_err(|e| e.to_string())?;
    Ok(buf)
}

/// The words of the command line being completed (after the `--` the script passes).
fn words() -> Vec<OsString> {
    let args: Vec<OsString> = std::env::args_os().collect();
    match args.iter().position(|a| a == "--") {
        Some(i) => args[i + 1..].to_vec(),
        None => Vec::new(),
    }
}

/// The value of `--workspace` on the command line being completed, if written there.
fn workspace_on_line(words: &[OsString]) -> Option<PathBuf> {
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let word = word.to_string_lossy();
        if word == "--workspace" {
            return iter.next().map(PathBuf::from);
        }
        if let Some(path) = word.strip_prefix("--workspace=") {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// The workspace the completed command would use, read without validation (a half-edited file
/// still completes), or nothing at all: a completion never prints an error.
fn workspace(words: &[OsString]) -> Option<Workspace> {
    let given = workspace_on_line(words)
        .or_else(|| std::env::var_os("PAYLOADS_WORKSPACE").map(PathBuf::from));
    let cwd = std::env::current_dir().ok();
    let located = discover::locate(given, cwd.as_deref());
    crate::workspace::load_unvalidated(&located.path).ok()
}

fn candidates<'a>(
    current: &OsStr,
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    items
        .filter(|(id, _)| id.starts_with(current.as_ref()))
        .map(|(id, name)| {
            CompletionCandidate::new(id)
                .help((!name.is_empty()).then(|| crate::jobs::render::printable(name).into()))
        })
        .collect()
}

/// Payload ids, with their names as help.
pub fn payload_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace(&words()) else {
        return Vec::new();
    };
    candidates(
        current,
        ws.payloads.iter().map(|p| (p.id.as_str(), p.name.as_str())),
    )
}

/// Credential ids that can be refreshed (Bearer Token Credentials).
pub fn bearer_credential_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace(&words()) else {
        return Vec::new();
    };
    candidates(
        current,
        ws.credentials
            .iter()
            .filter(|c| matches!(c.auth, crate::workspace::CredentialAuth::BearerToken(_)))
            .map(|c| (c.id.as_str(), c.name.as_str())),
    )
}

/// Credential ids, any type (for commands that take any Credential).
#[allow(dead_code)]
pub fn credential_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace(&words()) else {
        return Vec::new();
    };
    candidates(
        current,
        ws.credentials
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str())),
    )
}

/// Integration ids.
pub fn integration_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace(&words()) else {
        return Vec::new();
    };
    candidates(
        current,
        ws.integrations
            .iter()
            .map(|i| (i.id.as_str(), i.name.as_str())),
    )
}

/// The Payload named on the line: the first word after the subcommand that is neither an option
/// nor an option's value.
fn payload_on_line(words: &[OsString]) -> Option<String> {
    let words: Vec<String> = words
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect();
    let start = words.iter().position(|w| w == "run" || w == "curl")? + 1;
    let mut i = start;
    while i < words.len() {
        let word = &words[i];
        if word == "--input" || word == "--workspace" || word == "--color" {
            i += 2;
            continue;
        }
        if !word.starts_with('-') && !word.is_empty() {
            return Some(word.clone());
        }
        i += 1;
    }
    None
}

/// `NAME=` for each input the Payload on the line declares (the shell adds no space after `=`).
pub fn input_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let words = words();
    let (Some(ws), Some(payload)) = (workspace(&words), payload_on_line(&words)) else {
        return Vec::new();
    };
    let Some(payload) = ws.payload(&payload) else {
        return Vec::new();
    };
    let current = current.to_string_lossy();
    if current.contains('=') {
        // The value is the user's to write (or a path after `@`).
        return Vec::new();
    }
    payload
        .inputs
        .iter()
        .map(|input| format!("{}=", input.name))
        .filter(|item| item.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn reads_the_workspace_and_payload_from_the_line() {
        assert_eq!(
            workspace_on_line(&os(&["payloads", "--workspace", "a.ron", "run"])),
            Some(PathBuf::from("a.ron"))
        );
        assert_eq!(
            workspace_on_line(&os(&["payloads", "run", "--workspace=b.ron"])),
            Some(PathBuf::from("b.ron"))
        );
        assert_eq!(workspace_on_line(&os(&["payloads", "run"])), None);
        assert_eq!(
            payload_on_line(&os(&[
                "payloads",
                "run",
                "--input",
                "a=1",
                "get-contact",
                "--input",
                ""
            ])),
            Some("get-contact".to_string())
        );
        assert_eq!(payload_on_line(&os(&["payloads", "run", ""])), None);
    }

    #[test]
    fn every_shell_has_a_script_and_the_man_page_renders() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::Powershell,
        ] {
            let text = String::from_utf8(script(shell).unwrap()).unwrap();
            assert!(text.contains(COMPLETE_VAR), "{shell:?}: {text}");
        }
        let man = String::from_utf8(man_page().unwrap()).unwrap();
        assert!(man.contains(".TH payloads"), "{man}");
    }
}
