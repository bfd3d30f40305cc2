//! TLS through the real Runner against an HTTPS server on loopback: certificate verification, an
//! Integration's own CA, accepting invalid certificates, client certificates (mutual TLS), broken
//! PEM files, and HTTP/2 by ALPN.

use crate::common;
use crate::tls_support;

use common::*;
use payloads::jobs::{Job, JobStatus};
use payloads::workspace::{CertificateAuth, CredentialAuth, Method, Workspace};
use tls_support::{CLIENT_SUBJECT, Pki, ServerOptions, TlsServer};

/// A workspace whose Integration points at `server`, with a Payload `secure` (GET /secure) using
/// `credential` if given.
fn workspace_for(server: &TlsServer, credential: Option<&str>) -> Workspace {
    let mut ws = oauth_workspace(&server.base_url(), "", None);
    ws.payloads
        .push(callout("secure", Method::GET, "/secure", credential));
    ws
}

fn with_certificate(ws: &mut Workspace, cert_path: &str, key_path: &str) {
    let auth = CredentialAuth::Certificate(CertificateAuth {
        cert_path: cert_path.into(),
        key_path: key_path.into(),
    });
    ws.credentials
        .push(credential("mtls", auth).name("Client certificate").build());
}

trait MkDir {
    fn tap_mkdir(self) -> Self;
}

impl MkDir for std::path::PathBuf {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

fn path_text(path: &std::path::Path) -> String {
    path.to_str().unwrap().to_string()
}

fn error_of(job: &Job) -> String {
    assert_eq!(job.status, JobStatus::Failed, "{job:#?}");
    job.error.clone().expect("a failed Job says why")
}

fn assert_succeeded(job: &Job) {
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let response = job.response.as_ref().expect("a response");
    assert_eq!(response.status, 200);
    assert!(response.body.contains(r#""ok":true"#), "{}", response.body);
}

#[tokio::test]
async fn a_server_certificate_from_an_unknown_ca_fails_naming_the_certificate_problem() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let h = Harness::new(&workspace_for(&server, None));

    let job = h.run("secure").await;

    let error = error_of(&job);
    assert!(error.contains("127.0.0.1:"), "names the host: {error}");
    assert!(
        error.contains("TLS handshake")
            && error.contains("not signed by a CA this machine trusts")
            && error.contains("tls.ca_cert")
            && error.contains("UnknownIssuer"),
        "says the certificate's issuer is not trusted, and what to do: {error}"
    );
    assert!(job.response.is_none());
    let seen = server.seen_when(|s| !s.handshake_errors.is_empty()).await;
    assert!(seen.client_certs.is_empty(), "no request was served");
    assert_eq!(seen.handshake_errors.len(), 1, "{seen:?}");
}

#[tokio::test]
async fn the_integrations_ca_certificate_makes_the_server_trusted() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let mut ws = workspace_for(&server, None);
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    ws.integrations[0].tls.ca_cert = Some(path_text(&files.ca));
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    assert_succeeded(&job);
    assert_eq!(server.seen().client_certs, vec![None]);
    let ca = path_text(&files.ca);
    assert!(
        job.steps.iter().any(|s| s
            .text
            .contains(&format!("trusting the CA certificate {ca}"))),
        "{:#?}",
        job.steps
    );

    // A CA file replaced on disk is read again by the next run: no stale client is reused.
    std::fs::write(&files.ca, "no longer a certificate\n").unwrap();
    let job = h.run("secure").await;
    let error = error_of(&job);
    assert!(
        error.contains(&ca) && error.contains("holds no certificate"),
        "{error}"
    );
}

#[tokio::test]
async fn accepting_invalid_certificates_succeeds_and_the_timeline_says_verification_was_off() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let mut ws = workspace_for(&server, None);
    ws.integrations[0].tls.accept_invalid_certs = true;
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    assert_succeeded(&job);
    assert!(
        job.steps
            .iter()
            .any(|s| s.text.contains("certificate verification is off")),
        "{:#?}",
        job.steps
    );
}

#[tokio::test]
async fn a_server_that_requires_a_client_certificate_refuses_a_run_without_one() {
    let pki = Pki::new();
    let options = ServerOptions {
        require_client_cert: true,
        ..ServerOptions::default()
    };
    let server = TlsServer::start(&pki, options).await;
    let mut ws = workspace_for(&server, None);
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    ws.integrations[0].tls.ca_cert = Some(path_text(&files.ca));
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    let error = error_of(&job);
    assert!(error.contains("127.0.0.1:"), "names the host: {error}");
    assert!(
        error.contains("requires a client certificate")
            && error.contains("Certificate Credential")
            && error.contains("CertificateRequired"),
        "says a client certificate is required: {error}"
    );
    let seen = server.seen_when(|s| !s.handshake_errors.is_empty()).await;
    assert!(seen.client_certs.is_empty(), "no request was served");
    assert_eq!(seen.handshake_errors.len(), 1, "{seen:?}");
}

#[tokio::test]
async fn a_certificate_credential_authenticates_the_client() {
    let pki = Pki::new();
    let options = ServerOptions {
        require_client_cert: true,
        ..ServerOptions::default()
    };
    let server = TlsServer::start(&pki, options).await;
    let mut ws = workspace_for(&server, Some("mtls"));
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    ws.integrations[0].tls.ca_cert = Some(path_text(&files.ca));
    with_certificate(
        &mut ws,
        &path_text(&files.client_cert),
        &path_text(&files.client_key),
    );
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    assert_succeeded(&job);
    let body = &job.response.as_ref().unwrap().body;
    assert!(body.contains(r#""client_certificate":true"#), "{body}");
    let seen = server.seen();
    assert!(seen.handshake_errors.is_empty(), "{seen:?}");
    let presented = seen.client_certs[0].as_ref().expect("a client certificate");
    assert_eq!(presented, &pki.client.der, "the Credential's certificate");
    let subject = CLIENT_SUBJECT.as_bytes();
    assert!(
        presented.windows(subject.len()).any(|w| w == subject),
        "its subject names {CLIENT_SUBJECT}"
    );
}

#[tokio::test]
async fn a_client_certificate_from_a_ca_the_server_does_not_trust_is_refused() {
    let pki = Pki::new();
    let options = ServerOptions {
        require_client_cert: true,
        ..ServerOptions::default()
    };
    let server = TlsServer::start(&pki, options).await;
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    let stranger = Pki::new().write(&dir.path().join("stranger").tap_mkdir());
    let mut ws = workspace_for(&server, Some("mtls"));
    ws.integrations[0].tls.ca_cert = Some(path_text(&files.ca));
    with_certificate(
        &mut ws,
        &path_text(&stranger.client_cert),
        &path_text(&stranger.client_key),
    );
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    let error = error_of(&job);
    assert!(
        error.contains("the server does not trust the client certificate's CA"),
        "{error}"
    );
    let seen = server.seen_when(|s| !s.handshake_errors.is_empty()).await;
    assert!(seen.client_certs.is_empty(), "no request was served");
}

#[tokio::test]
async fn a_key_that_does_not_match_the_certificate_fails_naming_both_files() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    let other = Pki::new().write(&dir.path().join("other").tap_mkdir());
    let mut ws = workspace_for(&server, Some("mtls"));
    with_certificate(
        &mut ws,
        &path_text(&files.client_cert),
        &path_text(&other.client_key),
    );
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    let error = error_of(&job);
    assert!(error.contains("does not belong to"), "{error}");
    assert!(error.contains(&path_text(&files.client_cert)), "{error}");
    assert!(error.contains(&path_text(&other.client_key)), "{error}");
    assert!(job.request.is_none(), "nothing was sent: {error}");
    assert_eq!(server.seen().connections, 0, "no connection was made");
}

#[tokio::test]
async fn a_garbled_client_certificate_fails_naming_the_file_and_sends_nothing() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    let garbled = dir.path().join("garbled.pem");
    std::fs::write(
        &garbled,
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let cases = [
        // (certificate, key, the file the error must name)
        (&garbled, &files.client_key, &garbled),
        (&files.client_cert, &garbled, &garbled),
        // A key where the certificate belongs, and the other way round.
        (&files.client_key, &files.client_key, &files.client_key),
        (&files.client_cert, &files.client_cert, &files.client_cert),
    ];
    for (cert, key, named) in cases {
        let mut ws = workspace_for(&server, Some("mtls"));
        with_certificate(&mut ws, &path_text(cert), &path_text(key));
        let h = Harness::new(&ws);

        let job = h.run("secure").await;

        let error = error_of(&job);
        assert!(
            error.contains(&path_text(named)),
            "names {}: {error}",
            named.display()
        );
        assert!(job.request.is_none(), "nothing was sent: {error}");
    }
    assert_eq!(server.seen().connections, 0, "no connection was made");
}

#[tokio::test]
async fn a_garbled_ca_certificate_fails_naming_the_file_and_sends_nothing() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let garbled = dir.path().join("ca.pem");
    std::fs::write(&garbled, "this is not a certificate\n").unwrap();
    let mut ws = workspace_for(&server, None);
    ws.integrations[0].tls.ca_cert = Some(path_text(&garbled));
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    let error = error_of(&job);
    assert!(error.contains(&path_text(&garbled)), "{error}");
    assert!(job.request.is_none());
    assert_eq!(server.seen().connections, 0, "no connection was made");
}

#[tokio::test]
async fn http2_is_used_when_the_server_offers_it() {
    let pki = Pki::new();
    let options = ServerOptions {
        offer_h2: true,
        ..ServerOptions::default()
    };
    let server = TlsServer::start(&pki, options).await;
    let mut ws = workspace_for(&server, None);
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    ws.integrations[0].tls.ca_cert = Some(path_text(&files.ca));
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    assert_succeeded(&job);
    assert_eq!(server.seen().versions, vec![hyper::Version::HTTP_2]);
    assert!(
        job.steps.iter().any(|s| s.text.contains("HTTP/2")),
        "the timeline names the protocol: {:#?}",
        job.steps
    );
}
