//! Lossless saves of hand-written files in less common styles: comments inside lists, double
//! parentheses, `Some(…)`, raw and multi-line strings, CRLF line endings, tabs, odd field order.

use payloads::ronpatch::changed_lines;
use payloads::tui::edits::{Edit, KeptTokenFields, RecordKind};
use payloads::workspace::*;
use std::path::PathBuf;

/// Fields in unusual order, `Some(…)`, explicit newtype parentheses, comments inside lists.
const ODD: &str = r##"/* Hand-kept. */
(
    variables: [
        (name: "session", value: "s-1"),   // set by login
        // The last id.
        (name: "last_id", value: "7"),
    ],
    integrations: [(
        name: "Shop",
        id: "shop",
        timeout_secs: Some(30),
        base_url: "http://127.0.0.1:9",
        headers: [
            // Tracing.
            (name: "x-trace", value: "on"),

            (name: "x-team", value: "core"), // who to blame
        ],
    )],
    credentials: [
        (id: "shop-oauth", integration: "shop", name: "Shop OAuth",
         auth: BearerToken(
            token_payload: "shop-token",
            client_id: "cid",
            client_secret: "{{env.SHOP_SECRET}}",
            access_token: "",   // filled by refresh
            access_token_duration_minutes: 10,
         ),
        ),
        (id: "shop-key", name: "Key", integration: "shop", auth: ApiKey(value: "k")),
    ],
    payloads: [
        (id: "shop-token", name: "Token", integration: "shop", kind: Credential, method: POST,
         endpoint: "/oauth/token", credential: "shop-oauth",
         body: Form([(name: "grant_type", value: "client_credentials"), (name: "client_id", value: "{{credential.client_id}}"), (name: "client_secret", value: "{{credential.client_secret}}")]),
         response: [(name: "access_token", source: JsonPath("$.access_token")), (name: "expires_in", source: JsonPath("$.expires_in"))],
         targets: [(value: "access_token", target: Credential(AccessToken)), (value: "expires_in", target: Credential(ExpiresIn))],
        ),
        (
            kind: Callout, id: "order", name: "Order", integration: "shop",
            method: POST, endpoint: "/api/orders", credential: "shop-oauth",
            headers: [
                (name: "accept", value: "application/json"),
                // Idempotency, per run.
                (name: "idempotency-key", value: "{{now}}"),
                (name: "x-old", value: "1"),   // remove me some day
            ],
            body: Json(r#"{
  "item": "{{input.item}}",
  "qty": 1
}"#),
            response: [(name: "order_id", source: JsonPath("$.id"))],
            targets: [(value: "order_id", target: Variable("last_id"))],
            inputs: [(name: "item", default: Some("book"))],
            timeout_secs: Some(5),
        ),
        (id: "note", name: "Note", integration: "shop", kind: Webhook, method: POST, endpoint: "/hooks/note",
         body: Raw(content_type: "text/plain", text: "line one
line two")),
    ],
)
"##;

fn store_for(text: &str) -> (tempfile::TempDir, PathBuf, WorkspaceStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    let store = WorkspaceStore::open(&path).unwrap();
    (dir, path, store)
}

/// Applies `change` to `text` saved in a temporary file; the lines it removed and added, after
/// checking that the file loads to what the store holds.
fn edit(text: &str, change: impl FnMut(&mut Workspace)) -> (Vec<String>, Vec<String>, String) {
    let (_dir, path, store) = store_for(text);
    store.update(change).unwrap();
    let now = std::fs::read_to_string(&path).unwrap();
    assert_eq!(load(&path).unwrap(), *store.snapshot());
    let (removed, added) = changed_lines(text, &now);
    (removed, added, now)
}

fn bearer<'w>(ws: &'w mut Workspace, id: &str) -> &'w mut BearerToken {
    match &mut ws.credential_mut(id).unwrap().auth {
        CredentialAuth::BearerToken(token) => token,
        _ => unreachable!(),
    }
}

#[test]
fn fields_left_out_for_their_defaults_and_some_wrappers_are_not_touched() {
    // The file leaves out `refresh_token` and an API Key's `header`, and writes `Some(30)`.
    let (removed, added, _) = edit(ODD, |ws| ws.integrations[0].name = "Shop!".into());
    assert_eq!(removed, ["        name: \"Shop\","]);
    assert_eq!(added, ["        name: \"Shop!\","]);
}

#[test]
fn a_value_inside_some_keeps_its_wrapper() {
    let (removed, added, _) = edit(ODD, |ws| {
        ws.payload_mut("order").unwrap().timeout_secs = Some(9)
    });
    assert_eq!(removed, ["            timeout_secs: Some(5),"]);
    assert_eq!(added, ["            timeout_secs: Some(9),"]);
}

#[test]
fn a_field_written_with_its_default_value_stays() {
    let text = ODD.replace(
        "(name: \"session\", value: \"s-1\"),",
        "(name: \"session\", value: \"s-1\", secret: false),",
    );
    let (removed, added, _) = edit(&text, |ws| ws.variables[1].value = "8".into());
    assert_eq!(removed, ["        (name: \"last_id\", value: \"7\"),"]);
    assert_eq!(added, ["        (name: \"last_id\", value: \"8\"),"]);
}

#[test]
fn a_token_write_back_into_a_record_that_left_fields_out() {
    let (removed, added, _) = edit(ODD, |ws| {
        let token = bearer(ws, "shop-oauth");
        token.access_token = "at-1".into();
        token.refresh_token = "rt-1".into();
        token.access_token_duration_minutes = 5;
    });
    assert_eq!(
        removed,
        [
            "            access_token: \"\",   // filled by refresh",
            "            access_token_duration_minutes: 10,",
        ]
    );
    assert_eq!(
        added,
        [
            "            access_token: \"at-1\",   // filled by refresh",
            "            access_token_duration_minutes: 5,",
            "            refresh_token: \"rt-1\",",
        ]
    );
}

#[test]
fn headers_in_a_commented_list_change_one_line_each() {
    let (removed, added, _) = edit(ODD, |ws| {
        ws.payload_mut("order").unwrap().headers[0].value = "text/plain".into()
    });
    assert_eq!(
        removed,
        ["                (name: \"accept\", value: \"application/json\"),"]
    );
    assert_eq!(
        added,
        ["                (name: \"accept\", value: \"text/plain\"),"]
    );

    let (removed, added, _) = edit(ODD, |ws| {
        let headers = &mut ws.payload_mut("order").unwrap().headers;
        headers.push(KeyValue::new("x-new", "n"));
    });
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, ["                (name: \"x-new\", value: \"n\"),"]);

    let (removed, added, text) = edit(ODD, |ws| {
        ws.payload_mut("order").unwrap().headers.remove(1);
    });
    assert!(added.is_empty(), "{added:?}");
    assert_eq!(
        removed,
        [
            "                // Idempotency, per run.",
            "                (name: \"idempotency-key\", value: \"{{now}}\"),",
        ]
    );
    assert!(text.contains("(name: \"x-old\", value: \"1\"),   // remove me some day"));
}

#[test]
fn a_body_changes_kind_in_place() {
    let (removed, added, _) = edit(ODD, |ws| {
        ws.payload_mut("order").unwrap().body =
            Body::Form(vec![KeyValue::new("item", "{{input.item}}")])
    });
    assert_eq!(
        removed,
        [
            "            body: Json(r#\"{",
            "  \"item\": \"{{input.item}}\",",
            "  \"qty\": 1",
            "}\"#),",
        ]
    );
    assert_eq!(
        added,
        [
            "            body: Form([",
            "                (name: \"item\", value: \"{{input.item}}\"),",
            "            ]),",
        ]
    );
}

#[test]
fn variables_are_added_set_and_removed_by_their_lines() {
    let (removed, added, _) = edit(ODD, |ws| {
        ws.variables.push(Variable {
            name: "new_var".into(),
            value: "1".into(),
            secret: false,
        })
    });
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, ["        (name: \"new_var\", value: \"1\"),"]);

    let (removed, added, _) = edit(ODD, |ws| {
        ws.variables.remove(0);
    });
    assert!(added.is_empty(), "{added:?}");
    assert_eq!(
        removed,
        ["        (name: \"session\", value: \"s-1\"),   // set by login"]
    );
}

#[test]
fn deleting_a_credential_takes_its_token_payload_and_its_mentions() {
    let (removed, added, _) = edit(ODD, |ws| {
        Edit::Delete {
            kind: RecordKind::Credential,
            id: "shop-oauth".into(),
        }
        .apply(ws)
        .unwrap()
    });
    assert_eq!(removed.len(), 16, "{removed:?}");
    assert!(removed[0].contains("(id: \"shop-oauth\""), "{removed:?}");
    assert_eq!(
        removed.last().unwrap(),
        "            method: POST, endpoint: \"/api/orders\", credential: \"shop-oauth\","
    );
    // The reference goes, and no blank is left at the end of the line.
    assert_eq!(
        added,
        ["            method: POST, endpoint: \"/api/orders\","]
    );
}

#[test]
fn a_duplicate_lands_right_after_its_original() {
    let (removed, added, text) = edit(ODD, |ws| {
        ws.duplicate_payload("order").unwrap();
    });
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added[0], "        (");
    assert_eq!(added[1], "            id: \"order-copy\",");
    assert_eq!(added.last().unwrap(), "        ),");
    let order = text.find("id: \"order\"").unwrap();
    let copy = text.find("id: \"order-copy\"").unwrap();
    let note = text.find("id: \"note\"").unwrap();
    assert!(order < copy && copy < note, "{text}");
}

#[test]
fn a_tui_edit_of_a_credential_keeps_the_rest_of_the_file() {
    let (_dir, path, store) = store_for(ODD);
    let mut credential = store.snapshot().credential("shop-oauth").unwrap().clone();
    credential.name = "Shop (OAuth)".into();
    let edit = Edit::Credential {
        original: Some("shop-oauth".into()),
        credential,
        token_payload: None,
        kept: KeptTokenFields {
            access_token: true,
            refresh_token: true,
            duration: true,
        },
    };
    store.try_update(|ws| edit.apply(ws)).unwrap().unwrap();
    let (removed, added) = changed_lines(ODD, &std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        removed,
        ["        (id: \"shop-oauth\", integration: \"shop\", name: \"Shop OAuth\","]
    );
    assert_eq!(
        added,
        ["        (id: \"shop-oauth\", integration: \"shop\", name: \"Shop (OAuth)\","]
    );
}

#[test]
fn crlf_files_stay_crlf_and_change_the_same_lines() {
    let crlf = ODD.replace('\n', "\r\n");
    let changes: [fn(&mut Workspace); 4] = [
        |ws| bearer(ws, "shop-oauth").access_token = "at-1".into(),
        |ws| {
            ws.duplicate_payload("shop-token").unwrap();
        },
        |ws| {
            ws.remove_credential("shop-key").unwrap();
        },
        |ws| ws.payload_mut("order").unwrap().body = Body::Json("{}".into()),
    ];
    for change in changes {
        let (lf_removed, lf_added, _) = edit(ODD, change);
        let (removed, added, text) = edit(&crlf, change);
        assert_eq!(text.matches("\r\n").count(), text.matches('\n').count());
        assert_eq!((removed, added), (lf_removed, lf_added));
    }
}

#[test]
fn a_new_record_in_a_file_indented_with_tabs_uses_tabs() {
    let tabs = ODD.replace("    ", "\t");
    let (removed, added, _) = edit(&tabs, |ws| {
        ws.duplicate_payload("shop-token").unwrap();
    });
    assert!(removed.is_empty(), "{removed:?}");
    assert!(added.len() > 5, "{added:?}");
    for line in &added {
        assert!(!line.contains("    "), "spaces for indentation: {line:?}");
    }
}
