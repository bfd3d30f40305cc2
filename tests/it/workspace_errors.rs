//! Broken workspace files and the exact `path:line:col: message` each must produce.

use payloads::workspace::parse;
use std::path::Path;

const VALID: &str = include_str!("../fixtures/valid.ron");

/// (what is broken, text to find in the valid file, its replacement, the exact report).
pub(crate) const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "header name with spaces",
        "(name: \"x-sent-at\", value: \"{{now}}\")",
        "(name: \"x sent at\", value: \"{{now}}\")",
        "w.ron:135:24: payload \"notify-webhook\": header name \"x sent at\" is not valid: use letters, digits and `-` (no spaces or `:`), e.g. \"x-sent-at\"",
    ),
    (
        "a newtype variant in plain RON's double parentheses",
        "auth: ApiKey(\n                header: \"x-api-key\",",
        "auth: ApiKey((\n                header: \"x-api-key\",",
        "w.ron:42:26: credential \"sandbox-api-key\": expected a field name, found a second `(`: write one pair of parentheses after the type, `ApiKey(field: …)`, not `ApiKey((…))`",
    ),
    (
        "API key header with a colon",
        "header: \"x-api-key\",",
        "header: \"x-api-key:\",",
        "w.ron:43:25: credential \"sandbox-api-key\": header name \"x-api-key:\" is not valid: use letters, digits and `-` (no spaces or `:`), e.g. \"x-api-key\"",
    ),
    (
        "JSON body that is not JSON",
        "\"message\": \"Hello from Payloads\"}",
        "\"message\": \"Hello from Payloads\"",
        "w.ron:137:24: payload \"notify-webhook\": body: not valid JSON: EOF while parsing an object",
    ),
    (
        "syntax: one `)` too many",
        "    ],\n)\n",
        "    ],\n)\n\n)\n",
        "w.ron:155:1: unexpected text after the end of the workspace (one `)` too many?)",
    ),
    (
        "syntax: unclosed block comment points at its start",
        "                // The Credential Payload that",
        "                /* The Credential Payload that",
        "w.ron:33:17: this `/*` comment is never closed with `*/`",
    ),
    (
        "syntax: stray comma",
        "            kind: Callout,\n            method: GET,",
        "            kind: Callout,,\n            method: GET,",
        "w.ron:85:27: payload \"list-contacts\": expected a field name, found `,` (a stray comma, or a missing `)` before it?)",
    ),
    (
        "syntax: a record's `)` missing",
        "            timeout_secs: 30,\n        ),",
        "            timeout_secs: 30,\n        ,",
        "w.ron:16:9: integration \"sandbox\": expected a field name, found `,` (a stray comma, or a missing `)` before it?)",
    ),
    (
        "syntax: quoted field name",
        "(name: \"x-sent-at\", value: \"{{now}}\")",
        "(\"x-sent-at\": \"{{now}}\")",
        "w.ron:135:18: payload \"notify-webhook\": expected a field name, found a string: field names are written without quotes (`name: \"…\"`)",
    ),
    (
        "negative number",
        "access_token_duration_minutes: 5,",
        "access_token_duration_minutes: -5,",
        "w.ron:32:48: credential \"sandbox-oauth\": `access_token_duration_minutes` must be a whole number, 0 or more",
    ),
    (
        "syntax: missing comma",
        "            method: GET,\n            endpoint: \"/api/contacts\",",
        "            method: GET\n            endpoint: \"/api/contacts\",",
        "w.ron:87:13: payload \"list-contacts\": expected a comma (is one missing at the end of the previous line?)",
    ),
    (
        "syntax: unclosed string",
        "name: \"Ping with an API key\",",
        "name: \"Ping with an API key,",
        "w.ron:142:27: expected comma; the string at line 141:19 runs over several lines: is its closing `\"` missing?",
    ),
    (
        "syntax: unclosed file",
        "    ],\n)\n",
        "    ],\n",
        "w.ron:152:7: unexpected end of file: the `(` at line 7:1 is never closed",
    ),
    (
        "misspelt field with suggestion",
        "                access_token: \"\",",
        "                acess_token: \"\",",
        "w.ron:30:17: credential \"sandbox-oauth\": unknown field `acess_token` in Bearer Token credential; did you mean `access_token`?",
    ),
    (
        "unknown field",
        "            description: \"Bearer tokens",
        "            colour: \"red\",\n            description: \"Bearer tokens",
        "w.ron:24:13: credential \"sandbox-oauth\": unknown field `colour`; expected one of `id`, `name`, `integration`, `description`, `auth`",
    ),
    (
        "wrong type",
        "timeout_secs: 30",
        "timeout_secs: \"30\"",
        "w.ron:15:26: integration \"sandbox\": expected a whole number (without quotes)",
    ),
    (
        "wrong type: boolean",
        "timeout_secs: 30",
        "timeout_secs: 30, tls: (accept_invalid_certs: yes)",
        "w.ron:15:58: integration \"sandbox\": expected `true` or `false`",
    ),
    (
        "missing field",
        "            base_url: \"http://127.0.0.1:8787\",\n",
        "",
        "w.ron:15:9: integration \"sandbox\": missing field `base_url`",
    ),
    (
        "missing payload kind",
        "            kind: Webhook,\n",
        "",
        "w.ron:137:9: payload \"notify-webhook\": missing field `kind`",
    ),
    (
        "unknown method with suggestion",
        "method: GET,\n            endpoint: \"/api/ping\"",
        "method: Get,\n            endpoint: \"/api/ping\"",
        "w.ron:144:21: payload \"ping\": unknown method `Get`; did you mean `GET`?",
    ),
    (
        "unknown body type",
        "body: Json(r#\"{\"event\"",
        "body: Jsn(r#\"{\"event\"",
        "w.ron:137:19: payload \"notify-webhook\": unknown body type `Jsn`; did you mean `Json`?",
    ),
    (
        "data target to unknown credential field",
        "target: Credential(ExpiresIn)",
        "target: Credential(ExpiresAt)",
        "w.ron:78:58: payload \"sandbox-oauth-token\": unknown credential field `ExpiresAt`; did you mean `ExpiresIn`?",
    ),
    (
        "duplicate section",
        "(\n    // An Integration",
        "(\n    integrations: [],\n    // An Integration",
        "w.ron:10:5: field `integrations` is written twice in the workspace",
    ),
    (
        "dangling: credential's integration",
        "            integration: \"sandbox\",\n            // Sent as-is",
        "            integration: \"sandbx\",\n            // Sent as-is",
        "w.ron:40:26: credential \"sandbox-api-key\": integration \"sandbx\" does not exist (did you mean \"sandbox\"?)",
    ),
    (
        "dangling: payload's credential",
        "credential: \"sandbox-api-key\"",
        "credential: \"sandbox-apikey\"",
        "w.ron:146:25: payload \"ping\": credential \"sandbox-apikey\" does not exist (did you mean \"sandbox-api-key\"?)",
    ),
    (
        "dangling: token payload",
        "token_payload: \"sandbox-oauth-token\"",
        "token_payload: \"sandbox-oauth-tokn\"",
        "w.ron:34:32: credential \"sandbox-oauth\": token_payload \"sandbox-oauth-tokn\" does not exist (did you mean \"sandbox-oauth-token\"?)",
    ),
    (
        "token payload of the wrong kind",
        "token_payload: \"sandbox-oauth-token\"",
        "token_payload: \"list-contacts\"",
        "w.ron:34:32: credential \"sandbox-oauth\": token_payload \"list-contacts\" is a Callout payload; it must be of kind Credential",
    ),
    (
        "token payload that does not point back",
        "            endpoint: \"/oauth/token\",\n            credential: \"sandbox-oauth\",\n",
        "            endpoint: \"/oauth/token\",\n",
        "w.ron:34:32: credential \"sandbox-oauth\": token_payload \"sandbox-oauth-token\" does not point back at it (the payload names no credential)\n\
         w.ron:55:19: payload \"sandbox-oauth-token\": a Credential payload must name the Bearer Token credential it refreshes (credential: \"...\")",
    ),
    (
        "credential payload of a non-Bearer credential",
        "            kind: Callout,\n            method: GET,\n            endpoint: \"/api/ping\",",
        "            kind: Credential,\n            method: GET,\n            endpoint: \"/api/ping\",",
        "w.ron:146:25: payload \"ping\": credential \"sandbox-api-key\" is an API Key credential; a Credential payload refreshes a Bearer Token credential",
    ),
    (
        "duplicate id",
        "id: \"ping\"",
        "id: \"get-contact\"",
        "w.ron:140:17: payload \"get-contact\": duplicate id; the payload at line 118 already uses it",
    ),
    (
        "invalid id",
        "id: \"ping\"",
        "id: \"Ping Me\"",
        "w.ron:140:17: payload \"Ping Me\": invalid id; ids are lowercase letters, digits, `-` and `_` (try \"ping-me\")",
    ),
    (
        "invalid variable name",
        "(name: \"last_contact_id\", value: \"1\")",
        "(name: \"last contact\", value: \"1\")",
        "w.ron:151:16: variable \"last contact\": invalid name; use letters, digits, `-` and `_`",
    ),
    (
        "bad template: unknown form",
        "{{input.email}}",
        "{{inputs.email}}",
        "w.ron:103:64: payload \"create-contact\": body: unknown placeholder {{inputs.email}}: use credential.FIELD, input.NAME, var.NAME, env.NAME or now (did you mean `{{input.email}}`?)",
    ),
    (
        "bad template: unknown placeholder name",
        "value: \"{{now}}\"",
        "value: \"{{today}}\"",
        "w.ron:135:45: payload \"notify-webhook\": headers: unknown placeholder {{today}}: use credential.FIELD, input.NAME, var.NAME, env.NAME or now",
    ),
    (
        "bad template: unclosed",
        "{{var.last_contact_id}}",
        "{{var.last_contact_id",
        "w.ron:123:38: payload \"get-contact\": endpoint: this `{{` is never closed with `}}`",
    ),
    (
        "template: undeclared input",
        "{{input.email}}",
        "{{input.mail}}",
        "w.ron:103:64: payload \"create-contact\": body: `{{input.mail}}` is not a declared input (did you mean `{{input.email}}`?)",
    ),
    (
        "template: unknown variable",
        "{{var.last_contact_id}}",
        "{{var.last_contact}}",
        "w.ron:123:38: payload \"get-contact\": endpoint: `{{var.last_contact}}`: no variable \"last_contact\" is defined or written by a data target (did you mean `{{var.last_contact_id}}`?)",
    ),
    (
        "template: field the credential type lacks",
        "{{credential.client_secret}}",
        "{{credential.password}}",
        "w.ron:66:49: payload \"sandbox-oauth-token\": body: `{{credential.password}}`: a Bearer Token credential has no field \"password\"; it has client_id, client_secret, access_token, refresh_token",
    ),
    (
        "credential field with a non-env placeholder",
        "client_secret: \"demo-secret\"",
        "client_secret: \"{{var.x}}\"",
        "w.ron:29:33: credential \"sandbox-oauth\": client_secret: only {{env.NAME}} may be used in a credential field, found `{{var.x}}`",
    ),
    (
        "data target value not in the response model",
        "(value: \"contact_id\"",
        "(value: \"contactid\"",
        "w.ron:109:25: payload \"create-contact\": data target value \"contactid\" is not a value of the response model (did you mean \"contact_id\"?)",
    ),
    (
        "data target into an env-backed credential field",
        "refresh_token: \"\",",
        "refresh_token: \"{{env.SANDBOX_REFRESH}}\",",
        "w.ron:77:25: payload \"sandbox-oauth-token\": data target \"refresh_token\" writes refresh_token of credential \"sandbox-oauth\", whose value is `{{env.SANDBOX_REFRESH}}`; that would bake a secret into the file",
    ),
    (
        "credential data target on a non-Bearer credential",
        "            endpoint: \"/api/ping\",\n            credential: \"sandbox-api-key\",\n",
        "            endpoint: \"/api/ping\",\n            credential: \"sandbox-api-key\",\n            response: [(name: \"pong\", source: Header(\"x-pong\"))],\n            targets: [(value: \"pong\", target: Credential(AccessToken))],\n",
        "w.ron:148:31: payload \"ping\": data target \"pong\" writes access_token, but credential \"sandbox-api-key\" is an API Key credential, not a Bearer Token",
    ),
    (
        "webhook with data targets",
        "            kind: Webhook,\n",
        "            kind: Webhook,\n            targets: [(value: \"x\", target: Variable(\"y\"))],\n",
        "w.ron:132:22: payload \"notify-webhook\": a Webhook has no response model; remove its response values and data targets, or make it a Callout\n\
         w.ron:132:31: payload \"notify-webhook\": data target value \"x\" is not a value of the response model",
    ),
    (
        "invalid JSONPath",
        "source: JsonPath(\"$.id\")",
        "source: JsonPath(\"$.[\")",
        "w.ron:105:55: payload \"create-contact\": response value \"contact_id\": invalid JSONPath \"$.[\": at position 2, in dot member name, must start with lowercase alpha or '_'",
    ),
];

#[test]
fn the_valid_fixture_loads() {
    parse(Path::new("w.ron"), VALID).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn each_broken_file_reports_exactly() {
    assert!(CASES.len() >= 15);
    let mut failures = Vec::new();
    for (what, find, replace, expected) in CASES {
        assert!(VALID.contains(find), "{what}: the fixture lacks {find:?}");
        let text = VALID.replacen(find, replace, 1);
        let actual = match parse(Path::new("w.ron"), &text) {
            Ok(_) => "loaded without error".to_string(),
            Err(d) => d.to_string(),
        };
        if actual != *expected {
            failures.push(format!(
                "{what}:\n  expected: {expected:?}\n  actual:   {actual:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_error_is_reported_in_file_order() {
    let text = VALID
        .replacen("id: \"ping\"", "id: \"Ping\"", 1)
        .replacen("integration: \"sandbox\"", "integration: \"nowhere\"", 1)
        .replacen("{{input.email}}", "{{input.mail}}", 1);
    let errors = parse(Path::new("w.ron"), &text).unwrap_err();
    let lines: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 3, "{errors}");
    assert!(
        lines[0].starts_with("w.ron:23:26: credential \"sandbox-oauth\": integration \"nowhere\"")
    );
    assert!(lines[1].starts_with("w.ron:103:64: payload \"create-contact\""));
    assert!(lines[2].starts_with("w.ron:140:17: payload \"Ping\": invalid id"));
}

#[test]
fn an_invalid_workspace_can_still_be_read_unvalidated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.ron");
    let text = VALID.replacen("credential: \"sandbox-api-key\"", "credential: \"gone\"", 1);
    std::fs::write(&path, text).unwrap();
    assert!(payloads::workspace::load(&path).is_err());
    let ws = payloads::workspace::load_unvalidated(&path).unwrap();
    assert_eq!(
        ws.payload("ping").unwrap().credential.as_deref(),
        Some("gone")
    );
}
