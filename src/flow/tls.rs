//! TLS as a user sets it up: CA certificates and client identities read from PEM files (a broken
//! file is named before anything is sent), what the timeline says about the setup, and TLS
//! failures put in words a user can act on.

use crate::workspace::{CertificateAuth, TlsOptions};
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// The certificates of a CA file (a bundle may hold several), to trust besides the system's.
pub fn read_ca_certificates(path: &str) -> Result<Vec<reqwest::Certificate>, String> {
    let what = format!("CA certificate {path}");
    let bytes = read(&what, path)?;
    let ders = certificates(&what, &bytes)?;
    ders.iter()
        .map(|der| {
            reqwest::Certificate::from_der(der)
                .map_err(|e| format!("{what}: {}", super::http::error_chain(&e)))
        })
        .collect()
}

/// The client identity of a Certificate Credential: its certificate (chain) and private key.
pub fn read_identity(credential: &CertificateAuth) -> Result<reqwest::Identity, String> {
    let cert_what = format!("client certificate {}", credential.cert_path);
    let key_what = format!("client key {}", credential.key_path);
    let cert_bytes = read(&cert_what, &credential.cert_path)?;
    let key_bytes = read(&key_what, &credential.key_path)?;
    certificates(&cert_what, &cert_bytes)?;
    match PrivateKeyDer::from_pem_slice(&key_bytes) {
        Ok(_) => {}
        Err(pem::Error::NoItemsFound) => {
            return Err(format!(
                "{key_what} holds no private key (expected a PEM file with a \
                 \"-----BEGIN PRIVATE KEY-----\" section)"
            ));
        }
        Err(e) => return Err(format!("{key_what} is not valid PEM: {}", pem_error(&e))),
    }
    // Both files are known good PEM: reqwest reads them together, key and certificates alike.
    let mut both = cert_bytes;
    both.push(b'\n');
    both.extend_from_slice(&key_bytes);
    reqwest::Identity::from_pem(&both).map_err(|e| {
        format!(
            "{cert_what} with key {}: {}",
            credential.key_path,
            super::http::error_chain(&e)
        )
    })
}

/// Why a client with these TLS settings could not be built, naming the files involved.
pub fn setup_failure(
    tls: &TlsOptions,
    certificate: Option<&CertificateAuth>,
    error: &reqwest::Error,
) -> String {
    let reason = super::http::error_chain(error);
    if let Some(c) = certificate
        && reason.contains("KeyMismatch")
    {
        return format!(
            "the client key {} does not belong to the client certificate {} ({reason})",
            c.key_path, c.cert_path
        );
    }
    let mut files = Vec::new();
    if let Some(ca) = &tls.ca_cert {
        files.push(format!("CA certificate {ca}"));
    }
    if let Some(c) = certificate {
        files.push(format!("client certificate {}", c.cert_path));
        files.push(format!("client key {}", c.key_path));
    }
    match files.is_empty() {
        true => reason,
        false => format!("with {}: {reason}", files.join(", ")),
    }
}

/// What a Job's timeline says about how a request's TLS is set up, when it is not the default.
pub fn notes(tls: &TlsOptions, certificate: Option<&CertificateAuth>) -> Vec<String> {
    let mut notes = Vec::new();
    if tls.accept_invalid_certs {
        notes.push(
            "TLS certificate verification is off for this Integration (tls.accept_invalid_certs): \
             the server's identity is not checked"
                .to_string(),
        );
    } else if let Some(ca) = &tls.ca_cert {
        notes.push(format!(
            "trusting the CA certificate {ca} besides the system's"
        ));
    }
    if let Some(c) = certificate {
        notes.push(format!(
            "client certificate {} ready for the server",
            c.cert_path
        ));
    }
    notes
}

/// The TLS failure in `reason` (an error chain) in plain words, when it is one a user can act on.
pub fn failure_hint(reason: &str) -> Option<&'static str> {
    const HINTS: &[(&str, &str)] = &[
        (
            "UnknownIssuer",
            "the server's certificate is not signed by a CA this machine trusts; if the server \
             uses a private CA, set tls.ca_cert on the Integration to that CA's PEM file",
        ),
        (
            "NotValidForName",
            "the server's certificate is not valid for this host name",
        ),
        (
            "certificate not valid for name",
            "the server's certificate is not valid for this host name",
        ),
        ("Expired", "the server's certificate has expired"),
        (
            "certificate expired",
            "the server's certificate has expired",
        ),
        ("NotValidYet", "the server's certificate is not valid yet"),
        (
            "certificate not valid yet",
            "the server's certificate is not valid yet",
        ),
        ("Revoked", "the server's certificate has been revoked"),
        (
            "CertificateRequired",
            "the server requires a client certificate: give the Payload a Certificate Credential",
        ),
        (
            "received fatal alert: UnknownCA",
            "the server does not trust the client certificate's CA",
        ),
        (
            "received fatal alert: BadCertificate",
            "the server refused the client certificate",
        ),
        (
            "received fatal alert: CertificateUnknown",
            "the server refused the client certificate",
        ),
    ];
    if !is_tls_failure(reason) {
        return None;
    }
    HINTS
        .iter()
        .find(|(marker, _)| reason.contains(marker))
        .map(|(_, hint)| *hint)
}

/// True when an error chain is a TLS handshake failure (rustls's wording).
pub fn is_tls_failure(reason: &str) -> bool {
    [
        "invalid peer certificate",
        "received fatal alert",
        "peer sent no certificates",
    ]
    .iter()
    .any(|marker| reason.contains(marker))
}

/// When a file last changed and how long it is: enough to notice it was replaced.
pub fn file_version(path: &str) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The largest PEM file read: a CA bundle is well under it.
pub const MAX_PEM_BYTES: u64 = 1024 * 1024;

/// Reads a PEM file: a regular file of at most 1 MiB, never blocking on a FIFO or a device.
fn read(what: &str, path: &str) -> Result<Vec<u8>, String> {
    crate::workspace::load::read_bounded(std::path::Path::new(path), MAX_PEM_BYTES)
        .map_err(|e| format!("cannot read {what}: {e}"))
}

/// Why the file at `path` cannot be a PEM file, found without reading it: it is not a regular
/// file or is larger than 1 MiB. `None` when it is fine or does not exist (that is said when the
/// request is made).
pub fn file_problem(path: &str) -> Option<String> {
    if path.contains("{{") {
        return None;
    }
    match crate::workspace::load::read_bounded_check(std::path::Path::new(path), MAX_PEM_BYTES) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Some(e.to_string()),
        _ => None,
    }
}

fn certificates(what: &str, bytes: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let ders = CertificateDer::pem_slice_iter(bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{what} is not valid PEM: {}", pem_error(&e)))?;
    if ders.is_empty() {
        return Err(format!(
            "{what} holds no certificate (expected a PEM file with a \
             \"-----BEGIN CERTIFICATE-----\" section)"
        ));
    }
    Ok(ders)
}

fn pem_error(e: &pem::Error) -> String {
    match e {
        pem::Error::MissingSectionEnd { end_marker } => {
            let label = String::from_utf8_lossy(end_marker);
            format!("a \"-----BEGIN {label}-----\" section has no \"-----END {label}-----\" line")
        }
        pem::Error::IllegalSectionStart { line } => format!(
            "a section starts with a malformed line {:?}",
            String::from_utf8_lossy(line)
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_the_problem_only_for_tls_failures() {
        let hint = failure_hint("client error (Connect): invalid peer certificate: UnknownIssuer");
        assert!(hint.unwrap().contains("tls.ca_cert"));
        let hint = failure_hint("received fatal alert: CertificateRequired");
        assert!(hint.unwrap().contains("Certificate Credential"));
        assert_eq!(failure_hint("connection refused: Expired"), None);
        assert_eq!(failure_hint("invalid peer certificate: Other(x)"), None);
    }

    #[test]
    fn pem_errors_read_as_text() {
        let e = CertificateDer::pem_slice_iter(b"-----BEGIN CERTIFICATE-----\nAAAA\n")
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        let text = pem_error(&e);
        assert!(text.contains("-----END CERTIFICATE-----"), "{text}");
    }
}
