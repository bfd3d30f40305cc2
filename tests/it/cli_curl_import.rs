//! `payloads import curl`: each curl flag read into the Payload saved (losslessly) in the
//! workspace, secrets moved to Credentials, unknown flags named; an imported command runs.

use crate::sandbox_support::{any_port, start};
use payloads::workspace::{Body, CredentialAuth, KeyValue, Method, Payload, Workspace};
use std::path::Path;
use std::process::Output;

const SHIPPED: &str = include_str!("../../workspace.ron");

fn shipped_at(base_url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("workspace.ron"),
        SHIPPED.replace("http://127.0.0.1:8787", base_url),
    )
    .unwrap();
    dir
}

fn payloads_sync(dir: &Path, args: &[&str]) -> Output {
    crate::common::bin::payloads(dir).args(args).output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn load(dir: &Path) -> Workspace {
    payloads::workspace::load(&dir.join("workspace.ron")).unwrap()
}

/// Imports `command` into the shipped workspace; the new Payload, the workspace, stderr.
fn import(dir: &Path, command: &str, extra: &[&str]) -> (Payload, Workspace, String) {
    let mut args = vec!["import", "curl", "--integration", "sandbox"];
    args.extend_from_slice(extra);
    args.push("--");
    args.push(command);
    let out = payloads_sync(dir, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{command}: {}",
        text(&out.stderr)
    );
    let id = text(&out.stdout).trim().to_string();
    let ws = load(dir);
    let payload = ws
        .payload(&id)
        .unwrap_or_else(|| panic!("{id} saved"))
        .clone();
    (payload, ws, text(&out.stderr))
}

fn kv(pairs: &[(&str, &str)]) -> Vec<KeyValue> {
    pairs.iter().map(|(n, v)| KeyValue::new(*n, *v)).collect()
}

#[test]
fn each_flag_lands_in_the_payload() {
    let dir = shipped_at("http://127.0.0.1:8787");
    // Method, URL relative to the base URL, query, headers, -u as a new Basic Credential.
    let (p, ws, stderr) = import(
        dir.path(),
        "curl -X PUT 'http://127.0.0.1:8787/api/contacts/7?fields=name&q=a%20b' \
         -H 'Accept: application/json' -HX-Trace:1 -u ada:'pa ss' -sSL --max-time 2.5",
        &["--id", "put-contact"],
    );
    assert_eq!(p.id, "put-contact");
    assert_eq!(p.method, Method::PUT);
    assert_eq!(p.endpoint, "/api/contacts/7");
    assert_eq!(p.parameters, kv(&[("fields", "name"), ("q", "a b")]));
    assert_eq!(
        p.headers,
        kv(&[("Accept", "application/json"), ("X-Trace", "1")])
    );
    assert_eq!(p.timeout_secs, Some(3));
    let credential = ws.credential(p.credential.as_deref().unwrap()).unwrap();
    assert!(
        matches!(&credential.auth, CredentialAuth::Basic(b) if b.username == "ada" && b.password == "pa ss")
    );
    assert!(
        stderr.contains("created the Basic Credential sandbox-basic"),
        "{stderr}"
    );

    // The same user again: the Credential is reused, not duplicated.
    let (p, ws, _) = import(
        dir.path(),
        "curl http://127.0.0.1:8787/api/ping --user 'ada:pa ss'",
        &[],
    );
    assert_eq!(p.id, "get-api-ping");
    assert_eq!(p.credential.as_deref(), Some("sandbox-basic"));
    let shipped = payloads::workspace::parse(Path::new("w.ron"), SHIPPED).unwrap();
    assert_eq!(ws.credentials.len(), shipped.credentials.len() + 1);

    // -d pieces: a form (curl's default content type), --data-urlencode fields decoded.
    let (p, _, _) = import(
        dir.path(),
        "curl http://127.0.0.1:8787/api/form -d a=1 --data 'b=x%20y' --data-urlencode 'c=d&e f'",
        &[],
    );
    assert_eq!(p.method, Method::POST);
    assert_eq!(
        p.body,
        Body::Form(kv(&[("a", "1"), ("b", "x y"), ("c", "d&e f")]))
    );

    // --data-raw / --data-binary with a content type: raw text.
    let (p, _, _) = import(
        dir.path(),
        "curl http://127.0.0.1:8787/api/xml -H 'Content-Type: application/xml' --data-binary '<a/>' --data-raw '<b/>'",
        &[],
    );
    assert_eq!(
        p.body,
        Body::Raw {
            content_type: "application/xml".into(),
            text: "<a/>&<b/>".into()
        }
    );
    assert!(
        p.headers.is_empty(),
        "the content type is the body's: {:?}",
        p.headers
    );

    // --json: a JSON body.
    let (p, _, _) = import(
        dir.path(),
        r#"curl http://127.0.0.1:8787/api/contacts --json '{"name": "Ada"}'"#,
        &["--id", "json-post"],
    );
    assert_eq!(p.body, Body::Json(r#"{"name": "Ada"}"#.into()));

    // -F: form fields (sent URL-encoded, which is said); a file upload is named, not dropped.
    let (p, _, stderr) = import(
        dir.path(),
        "curl http://127.0.0.1:8787/api/upload -F a=1 -F 'pic=@me.png'",
        &[],
    );
    assert_eq!(p.body, Body::Form(kv(&[("a", "1")])));
    assert!(
        stderr.contains("warning: -F pic=@me.png uploads a file"),
        "{stderr}"
    );
    assert!(stderr.contains("multipart"), "{stderr}");

    // -G: data into the query.
    let (p, _, _) = import(
        dir.path(),
        "curl -G http://127.0.0.1:8787/api/search -d q=ada",
        &[],
    );
    assert_eq!((p.method, p.body.clone()), (Method::GET, Body::None));
    assert_eq!(p.parameters, kv(&[("q", "ada")]));

    // A Bearer header: the Integration's Bearer Token Credential, the token never stored.
    let (p, _, stderr) = import(
        dir.path(),
        "curl http://127.0.0.1:8787/api/contacts -H 'Authorization: Bearer pasted-token-XYZ' --frobnicate -Z",
        &["--id", "bearer-call"],
    );
    assert_eq!(p.credential.as_deref(), Some("sandbox-oauth"));
    assert!(
        stderr.contains("the pasted token is not stored"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: curl options not understood, left out: --frobnicate, -Z"),
        "{stderr}"
    );
    assert!(
        !std::fs::read_to_string(dir.path().join("workspace.ron"))
            .unwrap()
            .contains("pasted-token-XYZ")
    );

    // A URL outside the base URL is kept whole.
    let (p, _, stderr) = import(dir.path(), "curl https://elsewhere.example/v1/x", &[]);
    assert_eq!(p.endpoint, "https://elsewhere.example/v1/x");
    assert!(
        stderr.contains("not under the Integration's base URL"),
        "{stderr}"
    );

    // The file's comments survived every save, and it still checks.
    let saved = std::fs::read_to_string(dir.path().join("workspace.ron")).unwrap();
    assert!(saved.starts_with(SHIPPED.lines().next().unwrap()));
    assert!(saved.contains("// A Payload is one request and what to do with its response."));
    assert_eq!(payloads_sync(dir.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn bad_commands_are_refused_and_nothing_is_written() {
    let dir = shipped_at("http://127.0.0.1:8787");
    for (args, expected) in [
        (
            &[
                "import",
                "curl",
                "--integration",
                "sandbox",
                "wget http://x",
            ][..],
            "payloads: this is not a curl command",
        ),
        (
            &[
                "import",
                "curl",
                "--integration",
                "nowhere",
                "curl http://x",
            ],
            "payloads: no Integration \"nowhere\"",
        ),
        (
            &[
                "import",
                "curl",
                "--integration",
                "sandbox",
                "--id",
                "ping",
                "curl http://x",
            ],
            "payloads: a Payload \"ping\" already exists",
        ),
        (
            &[
                "import",
                "curl",
                "--integration",
                "sandbox",
                "curl 'http://x",
            ],
            "payloads: the curl command cannot be split",
        ),
        (
            &[
                "import",
                "curl",
                "--integration",
                "sandbox",
                "curl -X BREW http://x",
            ],
            "payloads: method BREW is not one a Payload can use",
        ),
    ] {
        let out = payloads_sync(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).starts_with(expected),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("workspace.ron")).unwrap(),
        SHIPPED,
        "a refused import writes nothing"
    );
}

/// A command exported with `export curl` and imported back runs against the sandbox.
#[tokio::test]
async fn an_imported_command_runs() {
    let sandbox = start(any_port()).await;
    let dir = shipped_at(&sandbox.base_url());
    let path = dir.path().to_path_buf();
    let base = sandbox.base_url();
    let pasted = format!(
        "# pasted from the API's docs\ncurl -sS -X POST '{base}/api/contacts' \\\n  \
         -H 'Authorization: Bearer stale-token' \\\n  --json '{{\"name\": \"Imported\", \"email\": \"i@example.com\"}}'\n"
    );
    let out = crate::common::bin::payloads(&path)
        .args(&[
            "import",
            "curl",
            "-",
            "--integration",
            "sandbox",
            "--id",
            "new-contact",
        ])
        .stdin(pasted)
        .output_async()
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let path = dir.path().to_path_buf();
    let ran =
        tokio::task::spawn_blocking(move || payloads_sync(&path, &["-q", "run", "new-contact"]))
            .await
            .unwrap();
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran.stderr));
    let body: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(body["name"], "Imported", "{body}");
}
