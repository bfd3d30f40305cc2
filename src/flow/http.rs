//! The HTTP layer: shared reqwest clients (one per TLS setup), redirects followed by hand so that
//! credential headers never reach another host, and response bodies read up to a cap.

use crate::workspace::{CertificateAuth, TlsOptions};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, Method, StatusCode, Url};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// How many redirects one request may follow before it fails.
pub const MAX_REDIRECTS: usize = 10;

/// A request ready to go out: everything rendered, credentials applied.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub method: Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    /// Names of headers that carry a credential: dropped when a redirect leaves the origin.
    pub credential_headers: Vec<String>,
    pub timeout: Duration,
}

/// A response as kept: the body up to the cap, the rest counted.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: StatusCode,
    /// The protocol that answered: HTTP/2 when the server offered it by ALPN.
    pub version: reqwest::Version,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub body_bytes: u64,
    pub truncated: bool,
    /// Each redirect followed, as `status -> location`.
    pub redirects: Vec<String>,
    pub elapsed: Duration,
    /// Why the body could not be decoded (a corrupt gzip, say): `body` holds what was decoded
    /// before that, and values read from the body fail with this reason.
    pub undecodable: Option<String>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum HttpError {
    #[error("cancelled")]
    Cancelled,
    #[error("no answer from {host} within {secs} s (timed out)")]
    Timeout { host: String, secs: u64 },
    #[error("could not connect to {host}: {reason}")]
    Connect { host: String, reason: String },
    #[error("the TLS handshake with {host} failed: {reason}")]
    Handshake { host: String, reason: String },
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("bad redirect: {0}")]
    BadRedirect(String),
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("request to {host} failed: {reason}")]
    Other { host: String, reason: String },
    #[error("could not set up TLS: {0}")]
    Tls(String),
}

/// The clients of one Runner: a plain one for `http://` URLs, the default TLS one, plus one per
/// distinct TLS setup (custom CA, invalid certificates accepted, client certificate), each built
/// on first use and kept. Nothing about TLS is set up until a request needs it: building the
/// default TLS client reads the whole system CA store (on Linux every file under /etc/ssl/certs),
/// which a run against plain-HTTP servers never needs.
#[derive(Debug)]
pub struct HttpClients {
    connect_timeout: Duration,
    /// For `http://` URLs of Integrations with default TLS settings: trusts no CA at all, so that
    /// building it reads no file. Built on the first request, like the others: a TUI that runs
    /// nothing never touches the HTTP and TLS code (its pages stay out of memory).
    plain: OnceLock<Result<Client, String>>,
    /// For `https://` URLs with default TLS settings, and whether this machine turned out to have
    /// no CA certificates (a bare container, say): then only an Integration's own `tls.ca_cert`
    /// is trusted, and plain HTTP still works.
    default: OnceLock<Result<(Client, bool), String>>,
    special: Mutex<HashMap<String, Client>>,
}

/// The client(s) one request may go out on: which one depends on each URL, since a redirect may
/// take a plain-HTTP request to `https://`.
#[derive(Debug)]
pub enum ClientFor<'a> {
    /// The Integration's TLS settings are the default ones: plain or default TLS client per URL.
    Default(&'a HttpClients),
    /// A client of its own TLS setup, for every URL.
    Special(Client),
}

impl ClientFor<'_> {
    /// The client for a request to `url` that the caller sends itself (no redirect followed): an
    /// OAuth issuer's discovery document, say. A URL that does not parse gets the TLS client,
    /// which also speaks plain HTTP, and fails where it is sent with its own words.
    pub fn for_url_text(&self, url: &str) -> Result<Client, HttpError> {
        match Url::parse(url.trim()) {
            Ok(url) => self.for_url(&url),
            Err(_) => match self {
                ClientFor::Special(client) => Ok(client.clone()),
                ClientFor::Default(clients) => clients.default_tls(),
            },
        }
    }

    fn for_url(&self, url: &Url) -> Result<Client, HttpError> {
        match self {
            ClientFor::Special(client) => Ok(client.clone()),
            ClientFor::Default(clients) if url.scheme() == "https" => clients.default_tls(),
            ClientFor::Default(clients) => clients.plain(),
        }
    }
}

impl HttpClients {
    /// Builds nothing yet: each client is made on the first request that needs it.
    pub fn new(connect_timeout: Duration) -> HttpClients {
        HttpClients {
            connect_timeout,
            plain: OnceLock::new(),
            default: OnceLock::new(),
            special: Mutex::new(HashMap::new()),
        }
    }

    /// The plain-HTTP client, built on the first call. No CA is given and the built-in roots are
    /// off: reqwest loads no certificate at all.
    fn plain(&self) -> Result<Client, HttpError> {
        let built = self.plain.get_or_init(|| {
            builder(self.connect_timeout)
                .tls_certs_only(Vec::<reqwest::Certificate>::new())
                .build()
                .map_err(|e| error_chain(&e))
        });
        match built {
            Ok(client) => Ok(client.clone()),
            Err(reason) => Err(HttpError::Tls(reason.clone())),
        }
    }

    /// The default TLS client, built (and the system CA store read) on the first call.
    fn default_tls(&self) -> Result<Client, HttpError> {
        let built = self.default.get_or_init(|| {
            let built = build(self.connect_timeout, |b| b).map_err(|e| error_chain(&e));
            if let Ok((_, true)) = built {
                tracing::warn!(
                    "no CA certificates were found on this machine: HTTPS servers are trusted \
                     only through an Integration's tls.ca_cert"
                );
            }
            built
        });
        match built {
            Ok((client, _)) => Ok(client.clone()),
            Err(reason) => Err(HttpError::Tls(reason.clone())),
        }
    }

    /// Whether the default TLS client found no CA certificates on this machine.
    fn no_system_roots(&self) -> bool {
        matches!(self.default.get(), Some(Ok((_, true))))
    }

    /// The client for an Integration's TLS options and an optional client certificate.
    pub fn client_for(
        &self,
        tls: &TlsOptions,
        certificate: Option<&CertificateAuth>,
    ) -> Result<ClientFor<'_>, HttpError> {
        if tls.is_default() && certificate.is_none() {
            return Ok(ClientFor::Default(self));
        }
        // The files' versions are part of the key: a certificate renewed on disk while the TUI
        // runs is read again, not served from a client built on the old one.
        let files = tls.ca_cert.iter().chain(
            certificate
                .into_iter()
                .flat_map(|c| [&c.cert_path, &c.key_path]),
        );
        let key = format!(
            "{}|{:?}",
            tls.accept_invalid_certs,
            files
                .map(|f| (f, super::tls::file_version(f)))
                .collect::<Vec<_>>()
        );
        let mut special = self.special.lock().expect("client cache lock");
        if let Some(client) = special.get(&key) {
            return Ok(ClientFor::Special(client.clone()));
        }
        let roots = match &tls.ca_cert {
            Some(ca) => super::tls::read_ca_certificates(ca).map_err(HttpError::Tls)?,
            None => Vec::new(),
        };
        let identity = match certificate {
            Some(c) => Some(super::tls::read_identity(c).map_err(HttpError::Tls)?),
            None => None,
        };
        let (client, _) = build(self.connect_timeout, |mut b| {
            if tls.accept_invalid_certs {
                b = b.tls_danger_accept_invalid_certs(true);
            }
            for cert in &roots {
                b = b.add_root_certificate(cert.clone());
            }
            if let Some(identity) = &identity {
                b = b.identity(identity.clone());
            }
            b
        })
        .map_err(|e| HttpError::Tls(super::tls::setup_failure(tls, certificate, &e)))?;
        special.insert(key, client.clone());
        Ok(ClientFor::Special(client))
    }

    /// `error` with what this machine lacks, when that is why a server was not trusted.
    pub fn explain(&self, error: HttpError) -> HttpError {
        match error {
            HttpError::Handshake { host, reason }
                if self.no_system_roots() && reason.contains("UnknownIssuer") =>
            {
                HttpError::Handshake {
                    host,
                    reason: format!(
                        "{reason}; no CA certificates were found on this machine: install its \
                         ca-certificates package, or set SSL_CERT_FILE to a CA bundle"
                    ),
                }
            }
            other => other,
        }
    }
}

/// A client from `configure`d settings. Where the system has no CA certificates at all, the
/// platform verifier refuses to start; then the client trusts only the roots it was given, so
/// that plain HTTP and an Integration's own CA still work. The flag says which happened.
fn build(
    connect_timeout: Duration,
    configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder,
) -> Result<(Client, bool), reqwest::Error> {
    match configure(builder(connect_timeout)).build() {
        Ok(client) => Ok((client, false)),
        Err(e) if error_chain(&e).contains("No CA certificates were loaded from the system") => {
            let only_given = configure(builder(connect_timeout))
                .tls_certs_only(Vec::<reqwest::Certificate>::new())
                .build()?;
            Ok((only_given, true))
        }
        Err(e) => Err(e),
    }
}

fn builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    Client::builder()
        .connect_timeout(connect_timeout)
        // Followed by hand in `send`, so credential headers can be dropped across origins.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("payloads/", env!("CARGO_PKG_VERSION")))
}

/// The error and its causes on one line (reqwest's own Display hides the useful part).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => url.scheme().to_string(),
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Sends the request, follows redirects (at most `MAX_REDIRECTS`), and reads the body up to
/// `body_cap` bytes, draining and counting the rest. The timeout covers the whole exchange.
pub async fn send(
    client: &ClientFor<'_>,
    request: &PreparedRequest,
    body_cap: usize,
    cancel: &CancellationToken,
) -> Result<HttpResponse, HttpError> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + request.timeout;
    let host = host_of(&request.url);
    let work = exchange(client, request, body_cap, started);
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(HttpError::Cancelled),
        _ = tokio::time::sleep_until(deadline) => Err(HttpError::Timeout { host, secs: request.timeout.as_secs() }),
        result = work => result,
    }
}

async fn exchange(
    clients: &ClientFor<'_>,
    request: &PreparedRequest,
    body_cap: usize,
    started: Instant,
) -> Result<HttpResponse, HttpError> {
    let mut method = request.method.clone();
    let mut url = request.url.clone();
    let mut body = request.body.clone();
    let mut headers = header_map(&request.headers)?;
    let mut redirects = Vec::new();
    loop {
        let mut builder = clients
            .for_url(&url)?
            .request(method.clone(), url.clone())
            .headers(headers.clone());
        if let Some(b) = &body {
            builder = builder.body(b.clone());
        }
        let mut response = builder.send().await.map_err(|e| classify(&e, &url))?;
        let status = response.status();
        let version = response.version();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        if status.is_redirection()
            && status != StatusCode::NOT_MODIFIED
            && let Some(location) = location
        {
            if redirects.len() >= MAX_REDIRECTS {
                return Err(HttpError::TooManyRedirects);
            }
            let next = url
                .join(&location)
                .map_err(|e| HttpError::BadRedirect(format!("{location}: {e}")))?;
            if !same_origin(&url, &next) {
                for name in &request.credential_headers {
                    headers.remove(name.as_str());
                }
                headers.remove(reqwest::header::AUTHORIZATION);
                headers.remove(reqwest::header::COOKIE);
                headers.remove(reqwest::header::PROXY_AUTHORIZATION);
            }
            // 301/302/303 turn a POST into a GET without a body, as browsers and curl do.
            let keeps_method = matches!(
                status,
                StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
            );
            if !keeps_method && method != Method::GET && method != Method::HEAD {
                method = Method::GET;
                body = None;
                headers.remove(reqwest::header::CONTENT_TYPE);
                headers.remove(reqwest::header::CONTENT_LENGTH);
            }
            // Drain what is left of the redirect's body so the connection can be reused.
            while let Ok(Some(_)) = response.chunk().await {}
            redirects.push(format!("{} -> {}", status.as_u16(), next));
            url = next;
            continue;
        }
        let headers_out = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut kept = Vec::new();
        let mut total: u64 = 0;
        let mut undecodable = None;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len() as u64;
                    let room = body_cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                // The answer arrived and only its compression is broken: the Job keeps the
                // status and headers, and each value read from the body fails by name.
                Err(e) => match decode_failure(&e) {
                    Some(why) => {
                        undecodable = Some(why);
                        break;
                    }
                    None => return Err(classify(&e, &url)),
                },
            }
        }
        return Ok(HttpResponse {
            undecodable,
            status,
            version,
            headers: headers_out,
            truncated: total > kept.len() as u64,
            body: kept,
            body_bytes: total,
            redirects,
            elapsed: started.elapsed(),
        });
    }
}

fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, HttpError> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| HttpError::Invalid(format!("header name {name:?} is not valid")))?;
        let v = HeaderValue::from_str(value).map_err(|_| {
            HttpError::Invalid(format!(
                "the value of header {name} has characters HTTP forbids"
            ))
        })?;
        map.append(n, v);
    }
    Ok(map)
}

/// How a protocol version reads in a timeline: `HTTP/1.1`, `HTTP/2`.
pub fn version_text(version: reqwest::Version) -> &'static str {
    match version {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP",
    }
}

/// `body could not be decoded (<encoding>): <reason>` when a body read failed in its
/// decompression rather than on the wire. reqwest's decompression hands a failure of the
/// connection on as the transport's own error and a failure of the decoder as an `io::Error`,
/// so the first cause tells them apart. The `Content-Encoding` header is gone by then (the
/// decoder removes it), so the encoding is named from the decoder's words when they name it.
fn decode_failure(e: &reqwest::Error) -> Option<String> {
    let cause = std::error::Error::source(e)?;
    let io = cause.downcast_ref::<std::io::Error>()?;
    if io.raw_os_error().is_some() {
        return None;
    }
    let reason = error_chain(io);
    let lower = reason.to_ascii_lowercase();
    let encoding = [
        ("gzip", "gzip"),
        ("deflate", "deflate"),
        ("brotli", "br"),
        ("zstd", "zstd"),
        ("frame", "zstd"),
    ]
    .into_iter()
    .find(|(word, _)| lower.contains(word))
    .map_or("compressed", |(_, name)| name);
    Some(format!("body could not be decoded ({encoding}): {reason}"))
}

fn classify(e: &reqwest::Error, url: &Url) -> HttpError {
    let host = host_of(url);
    // The chain without the URL: a Custom query-parameter credential may sit in it. hyper's
    // "client error (Connect)" layer says nothing the variant does not.
    let reason = {
        let mut parts: Vec<String> = Vec::new();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            let text = s.to_string();
            if !text.starts_with("client error (") && !parts.iter().any(|p| p.contains(&text)) {
                parts.push(text);
            }
            source = s.source();
        }
        if parts.is_empty() {
            "unknown error".to_string()
        } else {
            parts.join(": ")
        }
    };
    if super::tls::is_tls_failure(&reason) {
        let reason = match super::tls::failure_hint(&reason) {
            Some(hint) => format!("{hint} ({reason})"),
            None => reason,
        };
        HttpError::Handshake { host, reason }
    } else if e.is_connect() {
        HttpError::Connect { host, reason }
    } else {
        HttpError::Other { host, reason }
    }
}
