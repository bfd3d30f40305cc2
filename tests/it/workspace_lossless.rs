//! Lossless saves: every kind of edit through the store changes exactly the lines of what
//! changed; comments, blank lines, ordering and odd spacing everywhere else survive.

use chrono::TimeZone;
use payloads::workspace::*;
use std::path::PathBuf;

/// Hand-written, the way people write: comments everywhere, aligned values, blank lines,
/// one-line records, trailing comments.
const HAND_WRITTEN: &str = r#"// My team's APIs.   Keep this file in git.
(
    integrations: [
        // Our CRM.
        (
            id:       "crm",
            name:     "CRM",          // shown in the TUI
            base_url: "http://127.0.0.1:9",

            description: "the CRM",
        ),
    ],

    credentials: [
        (
            id: "crm-oauth",
            name: "CRM OAuth",
            integration: "crm",
            auth: BearerToken(
                client_id: "abc",
                client_secret: "{{env.CRM_SECRET}}",   // never in git
                access_token: "",
                refresh_token: "",
                access_token_duration_minutes: 60,
                token_payload: "crm-oauth-token",
            ),
        ),
    ],

    /* Payloads, token request first. */
    payloads: [
        (
            id: "crm-oauth-token",
            name: "CRM token",
            integration: "crm",
            kind: Credential,
            method: POST,
            endpoint: "/oauth/token",
            credential: "crm-oauth",
            body: Form([
                (name: "grant_type", value: "client_credentials"),
                (name: "client_id", value: "{{credential.client_id}}"),
                (name: "client_secret", value: "{{credential.client_secret}}"),
            ]),
            response: [
                (name: "access_token", source: JsonPath("$.access_token")),
                (name: "refresh_token", source: JsonPath("$.refresh_token")),
            ],
            targets: [
                (value: "access_token", target: Credential(AccessToken)),
                (value: "refresh_token", target: Credential(RefreshToken)),
            ],
        ),

        // Fire and forget.
        (
            id: "ping-hook",
            name: "Ping hook",
            integration: "crm",
            kind: Webhook,
            method: POST,
            endpoint: "/hooks/ping",
        ),
        (   id: "list",  name: "List",  integration: "crm",  kind: Callout,
            method: GET,   endpoint: "/api/list",  credential: "crm-oauth",  ),
    ],
)
"#;

fn hand_written() -> (tempfile::TempDir, PathBuf, WorkspaceStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, HAND_WRITTEN).unwrap();
    let store = WorkspaceStore::open(&path).unwrap();
    (dir, path, store)
}

fn diff_after(path: &PathBuf) -> (Vec<String>, Vec<String>) {
    let now = std::fs::read_to_string(path).unwrap();
    assert_eq!(load(path).unwrap(), parse(path, &now).unwrap());
    payloads::ronpatch::changed_lines(HAND_WRITTEN, &now)
}

#[test]
fn a_field_edit_changes_that_line_alone() {
    let (_dir, path, store) = hand_written();
    store
        .update(|ws| ws.integrations[0].name = "Customer CRM".into())
        .unwrap();
    let (removed, added) = diff_after(&path);
    assert_eq!(
        removed,
        ["            name:     \"CRM\",          // shown in the TUI"]
    );
    assert_eq!(
        added,
        ["            name:     \"Customer CRM\",          // shown in the TUI"]
    );
}

#[test]
fn a_token_write_back_changes_the_token_and_expiry_lines_alone() {
    let (_dir, path, store) = hand_written();
    let obtained = chrono::Utc
        .with_ymd_and_hms(2026, 11, 28, 14, 0, 0)
        .unwrap();
    store
        .update(|ws| {
            let CredentialAuth::BearerToken(token) =
                &mut ws.credential_mut("crm-oauth").unwrap().auth
            else {
                unreachable!()
            };
            token.access_token = "at-1".into();
            token.refresh_token = "rt-1".into();
            token.obtained_at = Some(obtained);
        })
        .unwrap();
    let (removed, added) = diff_after(&path);
    assert_eq!(
        removed,
        [
            "                access_token: \"\",",
            "                refresh_token: \"\",",
        ]
    );
    assert_eq!(added.len(), 3, "{added:?}");
    assert_eq!(added[0], "                access_token: \"at-1\",");
    assert_eq!(added[1], "                refresh_token: \"rt-1\",");
    assert!(
        added[2]
            .trim_start()
            .starts_with("obtained_at: \"2026-11-28T14:00:00"),
        "{added:?}"
    );
    assert!(
        added[2].starts_with("                obtained_at"),
        "{added:?}"
    );
}

#[test]
fn a_new_record_is_appended_and_nothing_else_moves() {
    let (_dir, path, store) = hand_written();
    store
        .update(|ws| {
            ws.add_bearer_credential("crm", "second", "Second").unwrap();
        })
        .unwrap();
    let (removed, added) = diff_after(&path);
    assert!(removed.is_empty(), "nothing removed: {removed:?}");
    let added = added.join("\n");
    assert!(added.contains("id: \"second\""), "{added}");
    assert!(added.contains("id: \"second-token\""), "{added}");
    // The new records sit at the end of their lists, in the list's indentation.
    let text = std::fs::read_to_string(&path).unwrap();
    let list = text.find("id: \"list\"").unwrap();
    let token_payload = text.find("id: \"second-token\"").unwrap();
    assert!(token_payload > list);
    assert!(
        text.contains("\n        (\n            id: \"second\",\n"),
        "{text}"
    );
}

#[test]
fn a_deleted_record_takes_its_own_lines_and_comment() {
    let (_dir, path, store) = hand_written();
    store
        .update(|ws| ws.remove_payload("ping-hook"))
        .unwrap()
        .unwrap();
    let (removed, added) = diff_after(&path);
    assert!(added.is_empty(), "nothing added: {added:?}");
    assert_eq!(
        removed,
        [
            "        // Fire and forget.",
            "        (",
            "            id: \"ping-hook\",",
            "            name: \"Ping hook\",",
            "            integration: \"crm\",",
            "            kind: Webhook,",
            "            method: POST,",
            "            endpoint: \"/hooks/ping\",",
            "        ),",
        ]
    );
}

#[test]
fn an_edit_inside_a_one_line_record_keeps_its_neighbours() {
    let (_dir, path, store) = hand_written();
    store
        .update(|ws| ws.payload_mut("list").unwrap().endpoint = "/api/list?all=1".into())
        .unwrap();
    let (removed, added) = diff_after(&path);
    assert_eq!(
        removed,
        ["            method: GET,   endpoint: \"/api/list\",  credential: \"crm-oauth\",  ),"]
    );
    assert_eq!(
        added,
        [
            "            method: GET,   endpoint: \"/api/list?all=1\",  credential: \"crm-oauth\",  ),"
        ]
    );
}
