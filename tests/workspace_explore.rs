use std::path::Path;
#[test]
fn explore() {
    let base = include_str!("fixtures/valid.ron");
    let cases: &[(&str, &str)] = &[
        (
            "            kind: Callout,\n            method: GET,\n            endpoint: \"/api/contacts\",",
            "            kind: Callout,\n            method: GET\n            endpoint: \"/api/contacts\",",
        ),
        (
            "                access_token: \"\",",
            "                acess_token: \"\",",
        ),
        (
            "            description: \"Bearer tokens",
            "            colour: \"red\",\n            description: \"Bearer tokens",
        ),
        ("timeout_secs: 30", "timeout_secs: \"30\""),
        ("            base_url: \"http://127.0.0.1:8787\",\n", ""),
        (
            "method: GET,\n            endpoint: \"/api/ping\"",
            "method: Get,\n            endpoint: \"/api/ping\"",
        ),
        (
            "target: Credential(ExpiresIn)",
            "target: Credential(ExpiresAt)",
        ),
        (
            "            integration: \"sandbox\",\n            // Sent as-is",
            "            integration: \"sandbx\",\n            // Sent as-is",
        ),
        (
            "credential: \"sandbox-api-key\"",
            "credential: \"sandbox-apikey\"",
        ),
        (
            "token_payload: \"sandbox-oauth-token\"",
            "token_payload: \"sandbox-oauth-tokn\"",
        ),
        (
            "token_payload: \"sandbox-oauth-token\"",
            "token_payload: \"list-contacts\"",
        ),
        ("id: \"ping\"", "id: \"get-contact\""),
        ("id: \"ping\"", "id: \"Ping Me\""),
        ("{{input.email}}", "{{inputs.email}}"),
        ("{{input.email}}", "{{input.mail}}"),
        ("(value: \"contact_id\"", "(value: \"contactid\""),
        (
            "client_secret: \"demo-secret\"",
            "client_secret: \"{{var.x}}\"",
        ),
        (
            "refresh_token: \"\",",
            "refresh_token: \"{{env.SANDBOX_REFRESH}}\",",
        ),
        ("{{var.last_contact_id}}", "{{var.last_contact}}"),
        ("{{var.last_contact_id}}", "{{var.last_contact_id"),
        (
            "            kind: Callout,\n            method: GET,\n            endpoint: \"/api/ping\",\n            credential: \"sandbox-api-key\",",
            "            kind: Credential,\n            method: GET,\n            endpoint: \"/api/ping\",\n            credential: \"sandbox-api-key\",",
        ),
        ("source: JsonPath(\"$.id\")", "source: JsonPath(\"$.[\")"),
        ("{{credential.client_secret}}", "{{credential.password}}"),
        (
            "(\n    // An Integration",
            "(\n    integrations: [],\n    // An Integration",
        ),
    ];
    for (find, replace) in cases {
        assert!(base.contains(find), "{find}");
        let text = base.replacen(find, replace, 1);
        match payloads::workspace::parse(Path::new("w.ron"), &text) {
            Ok(_) => println!("OK?! {replace}"),
            Err(d) => println!("{d}\n--"),
        }
    }
}
