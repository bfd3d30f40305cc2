//! Issue 9, items 2 and 3: a token answer is journaled before anything else, so a process killed
//! between the answer and the save, or a save that fails (a full disk), loses no rotated refresh
//! token: the next command applies the journal and says so. Temp files of saves never linger.

use crate::common::*;
use crate::edges_output::Dir;
use payloads::workspace::journal;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that rotates: the old refresh token is good exactly once, then only the new
/// access token opens /contacts.
async fn rotating_once() -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .and(body_string_contains(OLD_REFRESH))
        .answers(NEW_ACCESS, NEW_REFRESH, 3600)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

fn leftovers(dir: &Dir) -> Vec<String> {
    std::fs::read_dir(dir.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.ends_with(".journal") || n.ends_with("-tmp"))
        .collect()
}

/// Item 2: killed right after the answer (before the save), the tokens survive in the journal
/// and the next run applies them, with no second token request (the old refresh token is spent).
#[tokio::test]
async fn a_kill_between_answer_and_save_loses_no_token() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let before = std::fs::read(dir.workspace()).unwrap();

    let mut killed = dir.command(&["run", "list-contacts"]);
    killed.env("PAYLOADS_DEBUG_ABORT_AFTER_JOURNAL", "1");
    let status = tokio::task::spawn_blocking(move || killed.output().unwrap().status)
        .await
        .unwrap();
    assert!(!status.success(), "{status:?}");
    assert_eq!(std::fs::read(dir.workspace()).unwrap(), before);
    let journal_path = journal::path_for(&dir.workspace(), "oauth");
    assert!(journal_path.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&journal_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let out = dir.output(&["run", "list-contacts"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("applied the tokens of an unfinished refresh of Credential oauth"),
        "{stderr}"
    );
    assert!(!stderr.contains(NEW_REFRESH) && !stderr.contains(NEW_ACCESS));
    let saved = bearer(&read_workspace(&dir.workspace()), "oauth");
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(saved.refresh_token, NEW_REFRESH);
    assert!(saved.obtained_at.is_some());
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    server.verify().await;
}

/// Item 2: killed right after the raw answer reached the journal (before it was read or
/// checked), the next run reads the tokens from that answer and applies them, with no second
/// token request; an answer whose tokens the checks refuse is removed instead.
#[tokio::test]
async fn a_kill_before_the_answer_is_read_loses_no_token() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));

    let mut killed = dir.command(&["refresh", "oauth"]);
    killed.env("PAYLOADS_DEBUG_ABORT_AFTER_ANSWER", "1");
    let status = tokio::task::spawn_blocking(move || killed.output().unwrap().status)
        .await
        .unwrap();
    assert!(!status.success(), "{status:?}");
    let entry = journal::read(&dir.workspace(), "oauth").unwrap().unwrap();
    assert!(entry.values.is_empty() && entry.answer.is_some());

    let out = dir.output(&["run", "list-contacts"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("applied the tokens of an unfinished refresh"),
        "{stderr}"
    );
    let saved = bearer(&read_workspace(&dir.workspace()), "oauth");
    assert_eq!(saved.refresh_token, NEW_REFRESH);
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    server.verify().await;

    // An answer whose token a header cannot carry is not applied, and not kept.
    let bad = journal::JournalEntry {
        credential: "oauth".into(),
        obtained_at: chrono::Utc::now(),
        values: Vec::new(),
        answer: Some(journal::JournaledAnswer {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: r#"{"access_token":"a\u001b[2Jb","refresh_token":"r"}"#.into(),
        }),
    };
    journal::write(&dir.workspace(), &bad).unwrap();
    let out = dir.output(&["run", "list-contacts"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("held an answer without usable tokens"),
        "{stderr}"
    );
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        NEW_REFRESH
    );
    assert_eq!(leftovers(&dir), Vec::<String>::new());
}

/// Item 2: a save that fails (a full disk, injected) keeps the tokens in the journal; the
/// refresh fails saying where they are, and the next command applies them.
#[tokio::test]
async fn a_failed_save_keeps_the_tokens_for_the_next_command() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));

    let mut full = dir.command(&["refresh", "oauth"]);
    full.env("PAYLOADS_DEBUG_FAIL_SAVE", "1");
    let out = tokio::task::spawn_blocking(move || full.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains("the next `payloads` command applies them"),
        "{stderr}"
    );
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").access_token,
        ""
    );

    let out = dir.output(&["run", "list-contacts"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("applied the tokens"), "{stderr}");
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        NEW_REFRESH
    );
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    server.verify().await;
}

/// Item 3: temp files a killed save left (`.workspace.ron.tmp-*`, which hold tokens) are removed
/// by the next save of that file.
#[tokio::test]
async fn the_next_save_removes_temp_files_of_interrupted_saves() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let stale = dir.dir.path().join(".workspace.ron.tmp-999999-0");
    std::fs::write(&stale, "access_token: \"stolen\"").unwrap();
    let other = dir.dir.path().join(".other.ron.tmp-999999-0");
    std::fs::write(&other, "not ours").unwrap();

    let out = dir.output(&["run", "list-contacts"]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(!stale.exists(), "the stale temp file is removed");
    assert!(other.exists(), "another file's temp file is left alone");
}

/// Item 2: a journal torn by a kill while it was written (half an entry over the spaces of its
/// reservation) does not block refreshes: it is set aside, said so, and the refresh goes on.
#[tokio::test]
async fn a_torn_journal_is_set_aside_and_does_not_block_refreshes() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let path = journal::path_for(&dir.workspace(), "oauth");
    std::fs::write(&path, format!("{{\"credential\":\"oau{}", " ".repeat(100))).unwrap();

    let out = dir.output(&["run", "list-contacts"]).await;

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("could not be read"), "{stderr}");
    assert!(!path.exists());
    assert!(path.with_extension("journal-unreadable").exists());
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        NEW_REFRESH
    );
}

/// Item 2, a full disk: the journal's space is taken before the token request, so when it
/// cannot be (a full disk, injected; bench/sigkill-refresh.sh fills a real one) nothing is sent
/// and the refresh token stays unspent; once it can be, the refresh goes through.
#[tokio::test]
async fn no_token_request_goes_out_when_the_journal_cannot_be_written() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));

    let mut full = dir.command(&["refresh", "oauth"]);
    full.env("PAYLOADS_DEBUG_FAIL_RESERVE", "1");
    let out = tokio::task::spawn_blocking(move || full.output().unwrap())
        .await
        .unwrap();

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("nothing was sent and the refresh token is unspent"),
        "{stderr}"
    );
    let sent = server.received_requests().await.unwrap_or_default();
    assert!(
        sent.iter().all(|r| r.url.path() != "/oauth/token"),
        "a token request went out: {sent:?}"
    );
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        OLD_REFRESH
    );

    let out = dir.output(&["refresh", "oauth"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        NEW_REFRESH
    );
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    server.verify().await;
}

/// A refresh killed after its journal was reserved and before its answer leaves only spaces:
/// the next command removes them and goes on, saying nothing about tokens it does not have.
#[tokio::test]
async fn a_reservation_without_an_answer_is_removed_quietly() {
    let server = rotating_once().await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let path = journal::reserve(&dir.workspace(), "oauth").unwrap();
    assert_eq!(journal::read(&dir.workspace(), "oauth").unwrap(), None);

    let out = dir.output(&["run", "list-contacts"]).await;

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("journal"), "{stderr}");
    assert!(!path.exists());
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    server.verify().await;
}
