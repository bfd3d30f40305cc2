//! Shell completion, the man page and `--help` exit codes, as a user installs and uses them: the
//! bash script sourced in a real bash, completing from the workspace found above the directory.
#![expect(clippy::print_stderr, reason = "says why a check was skipped")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_payloads")
}

/// A PATH on which `payloads` is this build (the script calls it by name, as an install would).
fn path_with_binary() -> String {
    let dir = Path::new(bin()).parent().unwrap().display().to_string();
    match std::env::var("PATH") {
        Ok(path) => format!("{dir}:{path}"),
        Err(_) => dir,
    }
}

fn shipped() -> payloads::workspace::Workspace {
    payloads::workspace::parse(Path::new("w.ron"), include_str!("../../workspace.ron")).unwrap()
}

/// The shipped workspace two directories above `cwd` (found by discovery, no --workspace).
fn nested_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("workspace.ron"),
        include_str!("../../workspace.ron"),
    )
    .unwrap();
    let cwd = dir.path().join("a").join("b");
    std::fs::create_dir_all(&cwd).unwrap();
    (dir, cwd)
}

/// Sources `payloads completions bash` in bash, sets COMP_WORDS/COMP_CWORD as bash does for
/// <TAB> after `words`, calls the registered function and prints COMPREPLY, one per line.
fn bash_complete(cwd: &Path, words: &[&str]) -> Vec<String> {
    let function = "_clap_complete_payloads";
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <(payloads completions bash) || exit 3\n\
         complete -p payloads | grep -q -- '-F {function}' || exit 4\n\
         COMP_WORDS=({words})\n\
         COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         {function} payloads \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = quoted.join(" ")
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(cwd)
        .env("PATH", path_with_binary())
        .env_remove("PAYLOADS_WORKSPACE")
        .env("PAYLOADS_LOG_DIR", cwd.join("logs"))
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash exited {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_payload_ids_from_the_workspace_found_above() {
    let (_dir, cwd) = nested_workspace();
    let got = bash_complete(&cwd, &["payloads", "run", ""]);
    let ids: Vec<&str> = got
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with('-'))
        .collect();
    let shipped = shipped();
    let expected: Vec<&str> = shipped.payloads.iter().map(|p| p.id.as_str()).collect();
    assert!(expected.contains(&"list-contacts"));
    assert_eq!(ids, expected, "{got:?}");
    // A prefix narrows them.
    assert_eq!(
        bash_complete(&cwd, &["payloads", "run", "get"]),
        ["get-contact"]
    );
}

#[test]
fn bash_completes_input_names_and_bearer_credentials() {
    let (_dir, cwd) = nested_workspace();
    assert_eq!(
        bash_complete(&cwd, &["payloads", "run", "create-contact", "--input", ""]),
        ["name=", "email="]
    );
    let got = bash_complete(&cwd, &["payloads", "refresh", ""]);
    let ids: Vec<&str> = got
        .iter()
        .map(String::as_str)
        .filter(|c| !c.starts_with('-'))
        .collect();
    // Only Bearer Token Credentials have tokens to refresh (not the API key).
    let shipped = shipped();
    let expected: Vec<&str> = shipped
        .credentials
        .iter()
        .filter(|c| matches!(c.auth, payloads::workspace::CredentialAuth::BearerToken(_)))
        .map(|c| c.id.as_str())
        .collect();
    assert!(expected.contains(&"sandbox-oauth") && !expected.contains(&"sandbox-api-key"));
    assert_eq!(ids, expected, "{got:?}");
}

#[test]
fn bash_completes_from_the_workspace_named_on_the_line() {
    let (dir, _cwd) = nested_workspace();
    let elsewhere = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron").display().to_string();
    let got = bash_complete(
        elsewhere.path(),
        &["payloads", "--workspace", &path, "run", "no"],
    );
    assert_eq!(got, ["notify-webhook"]);
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = Command::new(bin())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("PAYLOADS_COMPLETE"), "{shell}: {script}");
    }
    let out = Command::new(bin())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("payloads: invalid value 'tcsh'"));
}

/// Renders with `man -l` when man is installed (it is in CI's image; skipped, and said, if not).
#[test]
fn the_man_page_renders() {
    let out = Command::new(bin()).arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let roff = out.stdout;
    assert!(String::from_utf8_lossy(&roff).starts_with(".ie \\n(.g .ds Aq"));
    if Command::new("man").arg("--version").output().is_err() {
        eprintln!("man is not installed: the page is generated but its rendering is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("payloads.1");
    std::fs::write(&page, &roff).unwrap();
    let rendered = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    assert!(rendered.status.success(), "{rendered:?}");
    let text = String::from_utf8_lossy(&rendered.stdout);
    for expected in [
        "NAME",
        "payloads - Run API Payloads",
        "--workspace",
        "completions",
        "Exit codes",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
}

#[test]
fn every_command_lists_its_exit_codes() {
    for command in [
        &[][..],
        &["check"],
        &["run"],
        &["refresh"],
        &["jobs"],
        &["sandbox"],
        &["demo"],
        &["completions"],
        &["man"],
    ] {
        let out = Command::new(bin())
            .args(command)
            .arg("--help")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains("Exit codes:\n  0  "), "{command:?}:\n{help}");
    }
}
