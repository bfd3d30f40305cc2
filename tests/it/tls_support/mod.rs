//! Helpers for the TLS tests: a throwaway CA with server and client certificates (rcgen), and an
//! HTTPS server on 127.0.0.1 (tokio-rustls + hyper) that can demand a client certificate and
//! offer HTTP/2, and reports what it saw.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::crypto::aws_lc_rs;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};

pub const CLIENT_SUBJECT: &str = "payloads-test-client";

/// A certificate and its private key, DER and PEM.
pub struct Issued {
    pub der: CertificateDer<'static>,
    pub cert_pem: String,
    pub key_pem: String,
    key_der: Vec<u8>,
}

impl Issued {
    fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }
}

/// A CA made for one test, a server certificate for `127.0.0.1` and `localhost`, and a client
/// certificate for `CLIENT_SUBJECT`, both signed by it.
pub struct Pki {
    pub ca: Issued,
    pub server: Issued,
    pub client: Issued,
}

impl Pki {
    pub fn new() -> Pki {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        // Each CA its own name: a verifier looks an issuer up by name before checking signatures.
        static SERIAL: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "payloads test CA {}",
            SERIAL.fetch_add(1, Ordering::Relaxed)
        );
        ca_params.distinguished_name.push(DnType::CommonName, name);
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let ca = Issued {
            der: ca_cert.der().clone(),
            cert_pem: ca_cert.pem(),
            key_pem: ca_key.serialize_pem(),
            key_der: ca_key.serialize_der(),
        };
        let issuer = Issuer::new(ca_params, ca_key);

        let server = leaf(
            &issuer,
            &["127.0.0.1", "localhost"],
            "payloads test server",
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let client = leaf(
            &issuer,
            &[],
            CLIENT_SUBJECT,
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        Pki { ca, server, client }
    }

    /// Writes the CA certificate, and the client certificate and key, as PEM files in `dir`.
    pub fn write(&self, dir: &Path) -> PemFiles {
        let files = PemFiles {
            ca: dir.join("ca.pem"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client.key"),
        };
        std::fs::write(&files.ca, &self.ca.cert_pem).unwrap();
        std::fs::write(&files.client_cert, &self.client.cert_pem).unwrap();
        std::fs::write(&files.client_key, &self.client.key_pem).unwrap();
        files
    }
}

pub struct PemFiles {
    pub ca: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

fn leaf(
    issuer: &Issuer<'_, KeyPair>,
    names: &[&str],
    common_name: &str,
    usage: ExtendedKeyUsagePurpose,
) -> Issued {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![usage];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    let cert = params.signed_by(&key, issuer).unwrap();
    Issued {
        der: cert.der().clone(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        key_der: key.serialize_der(),
    }
}

/// How the test server behaves.
#[derive(Clone, Copy, Default)]
pub struct ServerOptions {
    /// Refuse the handshake unless the client presents a certificate signed by the test CA.
    pub require_client_cert: bool,
    /// Offer `h2` by ALPN (and speak HTTP/2 when the client takes it).
    pub offer_h2: bool,
}

/// What the server saw of one TLS connection.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// TCP connections accepted, handshake or not.
    pub connections: usize,
    /// Handshakes that failed, with rustls's reason.
    pub handshake_errors: Vec<String>,
    /// The client certificate of each request served (None: none presented).
    pub client_certs: Vec<Option<CertificateDer<'static>>>,
    /// The HTTP version of each request served.
    pub versions: Vec<hyper::Version>,
}

pub struct TlsServer {
    pub addr: SocketAddr,
    seen: watch::Sender<Seen>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsServer {
    /// Serves `{"ok": true, "http": "<version>", "client_certificate": <bool>}` on every path.
    pub async fn start(pki: &Pki, options: ServerOptions) -> TlsServer {
        let provider = Arc::new(aws_lc_rs::default_provider());
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if options.require_client_cert {
            let mut roots = RootCertStore::empty();
            roots.add(pki.ca.der.clone()).unwrap();
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder
            .with_single_cert(vec![pki.server.der.clone()], pki.server.key())
            .unwrap();
        config.alpn_protocols = if options.offer_h2 {
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        } else {
            vec![b"http/1.1".to_vec()]
        };
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = watch::Sender::new(Seen::default());
        let task = tokio::spawn(serve(listener, acceptor, seen.clone()));
        TlsServer { addr, seen, task }
    }

    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    pub fn seen(&self) -> Seen {
        self.seen.borrow().clone()
    }

    /// What the server saw, once `ready` holds (the server side of a handshake may end after the
    /// client has given up); panics after a bounded wait.
    pub async fn seen_when(&self, ready: impl FnMut(&Seen) -> bool) -> Seen {
        let mut rx = self.seen.subscribe();
        let seen = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(ready))
            .await
            .unwrap_or_else(|_| panic!("the server saw it in time: {:?}", self.seen()))
            .expect("the server is running");
        seen.clone()
    }
}

async fn serve(listener: TcpListener, acceptor: TlsAcceptor, seen: watch::Sender<Seen>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        seen.send_modify(|s| s.connections += 1);
        let acceptor = acceptor.clone();
        let seen = seen.clone();
        tokio::spawn(async move {
            let tls = match acceptor.accept(tcp).await {
                Ok(tls) => tls,
                Err(e) => {
                    seen.send_modify(|s| s.handshake_errors.push(e.to_string()));
                    return;
                }
            };
            let (_, session) = tls.get_ref();
            let client_cert = session
                .peer_certificates()
                .and_then(|certs| certs.first())
                .map(|c| c.clone().into_owned());
            let h2 = session.alpn_protocol() == Some(b"h2");
            let service = service_fn(move |request: Request<Incoming>| {
                let seen = seen.clone();
                let client_cert = client_cert.clone();
                async move {
                    let version = request.version();
                    let body = serde_json::json!({
                        "ok": true,
                        "http": format!("{version:?}"),
                        "client_certificate": client_cert.is_some(),
                    });
                    seen.send_modify(|s| {
                        s.client_certs.push(client_cert);
                        s.versions.push(version);
                    });
                    Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body.to_string())))
                }
            });
            let io = TokioIo::new(tls);
            // A connection the client drops mid-way is no concern of the tests.
            let _ = if h2 {
                hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(io, service)
                    .await
            } else {
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await
            };
        });
    }
}
