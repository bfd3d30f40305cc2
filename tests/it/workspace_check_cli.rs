//! `payloads check` as a user runs it: the real binary on the shipped file and on broken copies.

use crate::common::bin::{self, text};
use std::path::Path;
use std::process::Output;

/// `payloads check ARGS` from a scratch directory, with `PAYLOADS_WORKSPACE` set only when given.
fn check(args: &[&str], env_workspace: Option<&Path>) -> Output {
    let scratch = tempfile::tempdir().unwrap();
    let mut bin = bin::payloads(scratch.path()).args(&["check"]).args(args);
    if let Some(path) = env_workspace {
        bin = bin.env("PAYLOADS_WORKSPACE", path);
    }
    bin.output()
}

#[test]
fn the_shipped_workspace_passes() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("workspace.ron");
    let out = check(&["--workspace", shipped.to_str().unwrap()], None);
    assert_eq!(
        text(&out.stdout),
        "ok: 1 integration, 3 credentials, 8 payloads\n"
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_broken_copy_exits_1_with_every_error_at_path_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    // The fixture is a copy of the shipped file whose line numbers stay put.
    let broken = include_str!("../fixtures/valid.ron")
        .replacen("id: \"ping\"", "id: \"Ping\"", 1)
        .replacen("{{input.email}}", "{{input.mail}}", 1);
    std::fs::write(&path, &broken).unwrap();
    let out = check(&[], Some(&path));
    let p = path.display();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "{p}:103:64: payload \"create-contact\": body: `{{{{input.mail}}}}` is not a declared input (did you mean `{{{{input.email}}}}`?)\n\
             {p}:140:17: payload \"Ping\": invalid id; ids are lowercase letters, digits, `-` and `_` (try \"ping\")\n\
             payloads: 2 errors; fix them and run `payloads check` again\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "check never writes"
    );
}

/// `check` on a file holding `text_of_file` exits 1 with one error: `path:place_and_reason`.
fn assert_one_syntax_error(text_of_file: &str, place_and_reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.ron");
    std::fs::write(&path, text_of_file).unwrap();
    let out = check(&["--workspace", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}:{place_and_reason}\n\
             payloads: 1 error; fix it and run `payloads check` again\n",
            path.display()
        )
    );
}

#[test]
fn a_syntax_error_exits_1() {
    assert_one_syntax_error(
        "(\n    integrations: [\n        (id: \"a\", name: \"A\" base_url: \"http://x\"),\n    ],\n)\n",
        "3:29: integration \"a\": expected a comma (is one missing at the end of the previous line?)",
    );
}

/// A save cut short inside a string, right after a backslash: the text ends where an escaped
/// character should follow. Reported at its place like any syntax error (it once panicked).
#[test]
fn a_file_cut_after_a_backslash_in_a_string_is_a_syntax_error() {
    assert_one_syntax_error("(integrations: [(id: \"a\\", "1:22: expected end of string");
}

#[test]
fn a_missing_file_says_so_and_how_to_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.ron");
    let out = check(&["--workspace", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "payloads: {}: no such workspace file; to create one",
            path.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("docs/workspace-format.md"), "{stderr}");
}

#[test]
fn a_file_saved_with_a_byte_order_mark_loads_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.ron");
    let valid = include_str!("../fixtures/valid.ron");
    std::fs::write(&path, format!("\u{feff}{valid}")).unwrap();

    let out = check(&["--workspace", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let store = payloads::workspace::WorkspaceStore::open(&path).unwrap();
    store
        .update(|ws| ws.integrations[0].name = "Renamed".into())
        .unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        saved,
        format!("\u{feff}{valid}").replacen("\"Sandbox API\"", "\"Renamed\"", 1)
    );
}

#[test]
fn an_empty_file_and_a_directory_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "\n// nothing yet\n").unwrap();
    let out = check(&["--workspace", empty.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with(&format!(
            "{}:1:1: the file holds no workspace; a workspace is one record, `(integrations: [...]",
            empty.display()
        )),
        "{}",
        text(&out.stderr)
    );

    let out = check(&["--workspace", dir.path().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{}: this is a directory; give the path of the workspace file (--workspace PATH)\n\
             payloads: 1 error; fix it and run `payloads check` again\n",
            dir.path().display()
        )
    );
}
