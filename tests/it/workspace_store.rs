//! The WorkspaceStore: outside edits are picked up, never clobbered; two processes never lose
//! each other's changes; a broken file is never written over.

use payloads::workspace::*;
use std::path::{Path, PathBuf};

/// A copy of the demo workspace kept apart from the shipped file, so that editing the shipped
/// file's comments does not move the line numbers these tests expect.
const DEMO: &str = include_str!("../fixtures/valid.ron");

fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, DEMO).unwrap();
    (dir, path)
}

fn set_variable(ws: &mut Workspace, name: &str, value: &str) {
    match ws.variables.iter_mut().find(|v| v.name == name) {
        Some(v) => v.value = value.to_string(),
        None => ws.variables.push(Variable {
            name: name.to_string(),
            value: value.to_string(),
            secret: false,
        }),
    }
}

fn access_token(ws: &Workspace) -> String {
    match &ws.credential("sandbox-oauth").unwrap().auth {
        CredentialAuth::BearerToken(b) => b.access_token.clone(),
        _ => unreachable!("the demo credential is a Bearer Token"),
    }
}

#[test]
fn two_stores_on_one_file_keep_each_others_changes() {
    let (_dir, path) = demo_copy();
    let a = WorkspaceStore::open(&path).unwrap();
    let b = WorkspaceStore::open(&path).unwrap();
    for round in 0..3 {
        a.update(|ws| set_variable(ws, &format!("from-a-{round}"), "a"))
            .unwrap();
        b.update(|ws| set_variable(ws, &format!("from-b-{round}"), "b"))
            .unwrap();
    }
    let on_disk = load(&path).unwrap();
    for round in 0..3 {
        assert_eq!(
            on_disk.variable(&format!("from-a-{round}")).unwrap().value,
            "a"
        );
        assert_eq!(
            on_disk.variable(&format!("from-b-{round}")).unwrap().value,
            "b"
        );
    }
    assert_eq!(*b.snapshot(), on_disk);
}

#[test]
fn stores_in_parallel_threads_lose_nothing() {
    let (_dir, path) = demo_copy();
    let stores: Vec<_> = (0..4)
        .map(|_| WorkspaceStore::open(&path).unwrap())
        .collect();
    std::thread::scope(|scope| {
        for (i, store) in stores.iter().enumerate() {
            scope.spawn(move || {
                for n in 0..5 {
                    store
                        .update(|ws| set_variable(ws, &format!("t{i}-{n}"), "x"))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(load(&path).unwrap().variables.len(), 1 + 4 * 5);
}

#[test]
fn a_file_broken_outside_is_never_written_over() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    let broken = DEMO.replacen("method: GET,", "method: GET", 1);
    std::fs::write(&path, &broken).unwrap();

    assert!(store.is_stale());
    let reload = store.reload().unwrap_err();
    assert!(
        reload.to_string().contains("workspace.ron:87:13:"),
        "{reload}"
    );
    assert!(
        !store.is_stale(),
        "a failed reload is not retried until the file changes again"
    );

    let err = store.update(|ws| set_variable(ws, "x", "1")).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Load(_)));
    assert!(
        message.contains("workspace.ron:87:13: payload \"list-contacts\": expected a comma"),
        "{message}"
    );
    assert!(message.contains("no longer loads"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "byte for byte"
    );
    // The last good workspace is still what the program shows.
    assert!(store.snapshot().payload("list-contacts").is_some());

    // Once the file is fixed, changes go through again, on top of the fixed file.
    let fixed = broken
        .replacen("method: GET\n", "method: GET,\n", 1)
        .replacen(
            "(name: \"last_contact_id\", value: \"1\")",
            "(name: \"last_contact_id\", value: \"7\")",
            1,
        );
    std::fs::write(&path, &fixed).unwrap();
    store.update(|ws| set_variable(ws, "x", "1")).unwrap();
    let on_disk = load(&path).unwrap();
    assert_eq!(on_disk.variable("last_contact_id").unwrap().value, "7");
    assert_eq!(on_disk.variable("x").unwrap().value, "1");
}

#[test]
fn opening_a_broken_file_reports_it_and_leaves_it_alone() {
    let (dir, path) = demo_copy();
    let broken = DEMO.replacen("access_token: \"\"", "acess_token: \"\"", 1);
    std::fs::write(&path, &broken).unwrap();
    let err = WorkspaceStore::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:30:17: credential \"sandbox-oauth\": unknown field `acess_token` in Bearer Token credential; did you mean `access_token`?",
            path.display()
        )
    );
    // Saving another workspace next to it does not touch it.
    payloads::workspace::save::save(&dir.path().join("other.ron"), &Workspace::default()).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);

    let missing = WorkspaceStore::open(dir.path().join("nope.ron")).unwrap_err();
    assert!(
        missing.to_string().ends_with("nope.ron: no such file"),
        "{missing}"
    );
}

#[test]
fn outside_edits_are_noticed_and_loaded() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    assert!(!store.is_stale());
    assert!(!store.reload().unwrap(), "nothing changed yet");

    store.update(|ws| set_variable(ws, "mine", "1")).unwrap();
    assert!(!store.is_stale(), "our own save is not an outside edit");

    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"Ping with an API key\"", "\"Ping!\"");
    std::fs::write(&path, edited).unwrap();
    assert!(store.is_stale());
    assert!(store.reload().unwrap());
    assert_eq!(store.snapshot().payload("ping").unwrap().name, "Ping!");
    assert!(!store.is_stale());
}

#[test]
fn an_invalid_change_is_refused_and_nothing_is_saved() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    let err = store
        .update(|ws| ws.payload_mut("ping").unwrap().credential = Some("gone".into()))
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)));
    assert!(
        err.to_string()
            .contains("payload \"ping\": credential \"gone\" does not exist"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DEMO);
    assert_eq!(
        store
            .snapshot()
            .payload("ping")
            .unwrap()
            .credential
            .as_deref(),
        Some("sandbox-api-key")
    );

    let refused: Result<(), &str> = store
        .try_update(|ws| {
            ws.variables.clear();
            Err("changed my mind")
        })
        .unwrap();
    assert_eq!(refused, Err("changed my mind"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DEMO);
}

#[test]
fn a_token_write_back_keeps_the_files_comments_and_layout() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    store
        .update(|ws| {
            if let CredentialAuth::BearerToken(b) =
                &mut ws.credential_mut("sandbox-oauth").unwrap().auth
            {
                b.access_token = "fresh-token".into();
            }
        })
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(access_token(&load(&path).unwrap()), "fresh-token");
    let changed: Vec<_> = DEMO
        .lines()
        .zip(text.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        vec![(
            "                access_token: \"\",",
            "                access_token: \"fresh-token\","
        )]
    );
    assert_eq!(DEMO.lines().count(), text.lines().count());
}

#[cfg(unix)]
#[test]
fn the_lock_file_sits_beside_the_workspace() {
    let (dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    store.update(|ws| set_variable(ws, "x", "1")).unwrap();
    assert!(Path::new(&dir.path().join(".workspace.ron.lock")).exists());
}

#[cfg(unix)]
#[test]
fn a_workspace_reached_through_a_symlink_stays_a_symlink_with_its_mode_and_locks() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, real) = demo_copy();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
    let links = dir.path().join("links");
    std::fs::create_dir(&links).unwrap();
    let link = links.join("ws.ron");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let store = WorkspaceStore::open(&link).unwrap();
    store.update(|ws| set_variable(ws, "x", "1")).unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    assert_eq!(load(&real).unwrap().variable("x").unwrap().value, "1");
    // One lock file for the file, however it is reached.
    assert!(dir.path().join(".workspace.ron.lock").exists());
    assert!(!links.join(".ws.ron.lock").exists());
    let gate = payloads::flow::refresh::RefreshGate::beside(&link);
    assert_eq!(
        gate.lock_path("sandbox-oauth"),
        std::fs::canonicalize(dir.path())
            .unwrap()
            .join(".workspace.ron.refresh-sandbox-oauth.lock")
    );
}

#[test]
fn a_file_replaced_by_a_folder_is_reported_and_a_deleted_one_written_anew() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let err = store.update(|ws| set_variable(ws, "x", "1")).unwrap_err();
    assert!(err.to_string().contains("this is a directory"), "{err}");
    assert!(path.is_dir());

    std::fs::remove_dir(&path).unwrap();
    store.update(|ws| set_variable(ws, "x", "2")).unwrap();
    assert_eq!(load(&path).unwrap().variable("x").unwrap().value, "2");
}

#[test]
fn an_editor_saving_while_we_save_loses_nothing() {
    let (_dir, path) = demo_copy();
    let store = WorkspaceStore::open(&path).unwrap();
    let mut calls = 0;
    store
        .update(|ws| {
            calls += 1;
            if calls == 1 {
                // An editor (which takes no lock) saves after our read, before our rename.
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replace("Sandbox API", "Edited by hand")).unwrap();
            }
            set_variable(ws, "from-payloads", "kept");
        })
        .unwrap();
    assert_eq!(calls, 2, "the change ran again on the editor's file");
    let on_disk = load(&path).unwrap();
    assert_eq!(on_disk.integrations[0].name, "Edited by hand");
    assert_eq!(on_disk.variable("from-payloads").unwrap().value, "kept");
    assert_eq!(*store.snapshot(), on_disk);
}
