//! The editing helpers the TUI uses: each leaves a valid workspace, or refuses and changes nothing.

use payloads::workspace::*;
use std::path::Path;

fn demo() -> Workspace {
    parse(Path::new("workspace.ron"), DEMO_WORKSPACE).unwrap()
}

fn assert_valid(ws: &Workspace) {
    let problems = validate::problems(ws);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_new_bearer_credential_comes_with_its_token_payload_linked_both_ways() {
    let mut ws = demo();
    let (credential_id, payload_id) = ws
        .add_bearer_credential("sandbox", "crm", "CRM login")
        .unwrap();
    assert_eq!(
        (credential_id.as_str(), payload_id.as_str()),
        ("crm", "crm-token")
    );
    assert_valid(&ws);

    let credential = ws.credential("crm").unwrap();
    let CredentialAuth::BearerToken(bearer) = &credential.auth else {
        panic!("not a Bearer Token: {credential:?}");
    };
    assert_eq!(bearer.token_payload, "crm-token");
    assert!(bearer.access_token.is_empty() && bearer.refresh_token.is_empty());

    let payload = ws.payload("crm-token").unwrap();
    assert_eq!(payload.kind, PayloadKind::Credential);
    assert_eq!(payload.credential.as_deref(), Some("crm"));
    assert_eq!(payload.integration, "sandbox");
    assert_eq!(payload.method, Method::POST);
    assert_eq!(payload.endpoint, "/oauth/token");
    assert_eq!(
        payload.body,
        Body::Form(vec![
            KeyValue::new("grant_type", "refresh_token"),
            KeyValue::new("refresh_token", "{{credential.refresh_token}}"),
            KeyValue::new("client_id", "{{credential.client_id}}"),
            KeyValue::new("client_secret", "{{credential.client_secret}}"),
        ])
    );
    let values: Vec<_> = payload
        .response
        .iter()
        .map(|v| (v.name.as_str(), &v.source))
        .collect();
    assert_eq!(
        values,
        vec![
            (
                "access_token",
                &ValueSource::JsonPath("$.access_token".into())
            ),
            (
                "refresh_token",
                &ValueSource::JsonPath("$.refresh_token".into())
            ),
            ("expires_in", &ValueSource::JsonPath("$.expires_in".into())),
        ]
    );
    let targets: Vec<_> = payload
        .targets
        .iter()
        .map(|t| (t.value.as_str(), &t.target))
        .collect();
    assert_eq!(
        targets,
        vec![
            (
                "access_token",
                &Target::Credential(CredentialField::AccessToken)
            ),
            (
                "refresh_token",
                &Target::Credential(CredentialField::RefreshToken)
            ),
            (
                "expires_in",
                &Target::Credential(CredentialField::ExpiresIn)
            ),
        ]
    );
}

#[test]
fn adding_a_bearer_credential_refuses_bad_input_and_changes_nothing() {
    let mut ws = demo();
    let before = ws.clone();
    assert_eq!(
        ws.add_bearer_credential("nowhere", "x", "X"),
        Err(EditError::NoIntegration("nowhere".into()))
    );
    assert_eq!(
        ws.add_bearer_credential("sandbox", "Bad Id", "X"),
        Err(EditError::InvalidId("Bad Id".into()))
    );
    assert_eq!(
        ws.add_bearer_credential("sandbox", "sandbox-oauth", "X"),
        Err(EditError::IdTaken("sandbox-oauth".into()))
    );
    assert_eq!(ws, before);
    // A taken `<id>-token` gets a free suffix instead.
    let mut squatter = ws.payload("ping").unwrap().clone();
    squatter.id = "crm-token".into();
    ws.payloads.push(squatter);
    let (_, payload) = ws.add_bearer_credential("sandbox", "crm", "CRM").unwrap();
    assert_eq!(payload, "crm-token-2");
    assert_valid(&ws);
}

#[test]
fn unique_ids_come_from_names_and_never_clash() {
    let ws = demo();
    assert_eq!(ws.unique_id("My New API!"), "my-new-api");
    assert_eq!(ws.unique_id("ping"), "ping-2");
    assert_eq!(ws.unique_id("Sandbox"), "sandbox-2");
    assert_eq!(ws.unique_id("  "), "new");
}

#[test]
fn referrers_describe_what_points_at_a_record() {
    let ws = demo();
    assert_eq!(
        ws.referrers("sandbox-oauth"),
        vec![
            "Payload Sandbox OAuth token request (sandbox-oauth-token) is its token request",
            "Payload List contacts (list-contacts) uses it",
            "Payload Create a contact (create-contact) uses it",
            "Payload Get the last created contact (get-contact) uses it",
        ]
    );
    assert_eq!(
        ws.referrers("sandbox-oauth-token"),
        vec!["Credential Sandbox OAuth (sandbox-oauth) uses it as its token payload"]
    );
    assert_eq!(ws.referrers("sandbox").len(), 3 + 8);
    assert!(ws.referrers("ping").is_empty());
}

#[test]
fn removing_a_bearer_credential_removes_its_token_payload_and_unhooks_users() {
    let mut ws = demo();
    let changes = ws.remove_credential("sandbox-oauth").unwrap();
    assert_eq!(changes[0], "credential \"sandbox-oauth\"");
    assert_eq!(
        changes[1],
        "payload \"sandbox-oauth-token\" (its token request)"
    );
    assert!(ws.payload("sandbox-oauth-token").is_none());
    assert_eq!(ws.payload("list-contacts").unwrap().credential, None);
    assert_valid(&ws);
    assert_eq!(
        ws.remove_credential("sandbox-oauth"),
        Err(EditError::NoCredential("sandbox-oauth".into()))
    );
}

#[test]
fn a_token_payload_is_removed_with_its_credential_only() {
    let mut ws = demo();
    assert_eq!(
        ws.remove_payload("sandbox-oauth-token"),
        Err(EditError::TokenPayloadInUse {
            payload: "sandbox-oauth-token".into(),
            credential: "sandbox-oauth".into()
        })
    );
    ws.remove_payload("ping").unwrap();
    assert!(ws.payload("ping").is_none());
    assert_valid(&ws);
}

#[test]
fn removing_an_integration_removes_everything_of_it() {
    let mut ws = demo();
    let removed = ws.remove_integration("sandbox").unwrap();
    assert_eq!(removed.len(), 1 + 3 + 8);
    assert!(ws.integrations.is_empty() && ws.credentials.is_empty() && ws.payloads.is_empty());
    assert_eq!(
        ws.variables.len(),
        1,
        "Variables belong to the workspace, not an Integration"
    );
}

#[test]
fn duplicating_a_payload_puts_the_copy_after_it() {
    let mut ws = demo();
    let id = ws.duplicate_payload("create-contact").unwrap();
    assert_eq!(id, "create-contact-copy");
    let index = ws
        .payloads
        .iter()
        .position(|p| p.id == "create-contact")
        .unwrap();
    let copy = &ws.payloads[index + 1];
    assert_eq!(copy.id, "create-contact-copy");
    assert_eq!(copy.name, "Create a contact (copy)");
    assert_eq!(copy.body, ws.payloads[index].body);
    assert_eq!(
        ws.duplicate_payload("create-contact").unwrap(),
        "create-contact-copy-2"
    );
    assert_valid(&ws);
    assert_eq!(
        ws.duplicate_payload("nope"),
        Err(EditError::NoPayload("nope".into()))
    );
}
