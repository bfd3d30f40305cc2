//! The built-in sandbox API: an OAuth 2 authorization server (token endpoint for every grant,
//! device authorization and its `/device` page, PKCE authorization endpoint, discovery metadata)
//! and protected JSON endpoints on loopback, so the product can be tried offline and tested end to
//! end over real HTTP.

mod api;
mod authorize;
mod device;
mod discovery;
mod oauth;
pub mod token;

pub use authorize::s256_challenge;
pub use device::SLOW_DOWN_STEP;
pub use oauth::DEVICE_CODE_GRANT;

pub use api::{LARGE_MAX_BYTES, SLOW_MAX};
pub use token::{DEMO_REFRESH_TOKEN, REFRESH_TOKEN_TTL, issue_access_token, issue_refresh_token};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How long [`SandboxHandle::shutdown`] lets open connections finish before it stops waiting.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Longest access-token lifetime the sandbox issues; longer settings are cut to it.
pub const MAX_TOKEN_TTL: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// What the sandbox accepts. The defaults are the public demo values of the shipped workspace.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// Lifetime of issued access tokens (`expires_in`), at most [`MAX_TOKEN_TTL`]; zero issues
    /// already-expired tokens.
    pub token_ttl: Duration,
    pub client_id: String,
    pub client_secret: String,
    /// The value `GET /api/ping` expects in `x-api-key`.
    pub api_key: String,
    /// The polling interval the device authorization endpoint asks for (RFC 8628 `interval`).
    pub device_interval: Duration,
    /// How long a device code stays valid (`expires_in` of the device authorization answer).
    pub device_code_ttl: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 8787,
            token_ttl: Duration::from_secs(300),
            client_id: "demo-client".into(),
            client_secret: "demo-secret".into(),
            api_key: "demo-api-key".into(),
            device_interval: Duration::from_secs(5),
            device_code_ttl: Duration::from_secs(600),
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    token: AtomicUsize,
    api: AtomicUsize,
    hooks: AtomicUsize,
}

/// Shared by every handler of one running sandbox.
struct SandboxState {
    config: SandboxConfig,
    counters: Counters,
    /// Nonce → expiry (unix seconds) of each refresh token already exchanged.
    used_refresh_tokens: Mutex<HashMap<String, u64>>,
    contacts: Mutex<Vec<api::Contact>>,
    /// Device codes handed out and not yet redeemed, by device code.
    devices: Mutex<HashMap<String, device::DeviceGrant>>,
    /// Authorization codes handed out and not yet exchanged, by code.
    codes: Mutex<HashMap<String, authorize::IssuedCode>>,
    addr: SocketAddr,
    shutdown: CancellationToken,
}

impl SandboxState {
    /// `http://127.0.0.1:PORT`: where the sandbox's own pages and endpoints are.
    fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn devices(&self) -> MutexGuard<'_, HashMap<String, device::DeviceGrant>> {
        self.devices.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn codes(&self) -> MutexGuard<'_, HashMap<String, authorize::IssuedCode>> {
        self.codes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn contacts(&self) -> MutexGuard<'_, Vec<api::Contact>> {
        self.contacts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the token as used; false when it already was (check and insert are one step, so
    /// two concurrent refreshes with one token cannot both succeed).
    fn mark_refresh_token_used(&self, verified: &token::VerifiedToken) -> bool {
        let mut used = self
            .used_refresh_tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let now = token::unix_seconds(SystemTime::now());
        // Expired tokens are refused on expiry alone, so their entries can go.
        used.retain(|_, expires_at| *expires_at > now);
        used.insert(verified.nonce.clone(), verified.expires_at)
            .is_none()
    }
}

/// A running sandbox. Dropping it stops the server too; [`SandboxHandle::shutdown`] also waits.
pub struct SandboxHandle {
    pub addr: SocketAddr,
    state: Arc<SandboxState>,
    server: JoinHandle<io::Result<()>>,
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests made to `/oauth/token`, whatever their outcome.
    pub fn token_requests(&self) -> usize {
        self.state.counters.token.load(Ordering::SeqCst)
    }

    /// Requests made to any `/api/…` endpoint, whatever their outcome.
    pub fn api_requests(&self) -> usize {
        self.state.counters.api.load(Ordering::SeqCst)
    }

    /// Requests made to any `/hooks/…` endpoint.
    pub fn webhook_requests(&self) -> usize {
        self.state.counters.hooks.load(Ordering::SeqCst)
    }

    /// Stops accepting connections, cuts slow and large answers short, lets open connections
    /// finish (for at most a few seconds), and returns once this process has let go of the port.
    /// A child spawned a moment before still holds a copy of the listener until its exec.
    pub async fn shutdown(mut self) {
        self.state.shutdown.cancel();
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.server)
            .await
            .is_err()
        {
            self.server.abort();
            let _ = (&mut self.server).await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.state.shutdown.cancel();
    }
}

/// Binds 127.0.0.1:`config.port` and serves the sandbox on a tokio task.
///
/// A port already in use is an [`io::ErrorKind::AddrInUse`] error whose message says so.
pub async fn start(mut config: SandboxConfig) -> io::Result<SandboxHandle> {
    config.token_ttl = config.token_ttl.min(MAX_TOKEN_TTL);
    let port = config.port;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AddrInUse {
                io::Error::new(
                    io::ErrorKind::AddrInUse,
                    format!(
                        "port {port} on 127.0.0.1 is already in use (is another sandbox running? choose another with --port)"
                    ),
                )
            } else {
                io::Error::new(e.kind(), format!("cannot listen on 127.0.0.1:{port}: {e}"))
            }
        })?;
    let addr = listener.local_addr()?;
    let state = Arc::new(SandboxState {
        config,
        counters: Counters::default(),
        used_refresh_tokens: Mutex::new(HashMap::new()),
        contacts: Mutex::new(api::seed_contacts()),
        devices: Mutex::default(),
        codes: Mutex::default(),
        addr,
        shutdown: CancellationToken::new(),
    });
    let app = router(state.clone());
    let stop = state.shutdown.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await
    });
    tracing::info!(%addr, "sandbox listening");
    Ok(SandboxHandle {
        addr,
        state,
        server,
    })
}

fn router(state: Arc<SandboxState>) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/device_authorization", post(device::authorize))
        .route("/device", get(device::page).post(device::decide))
        .route("/oauth/authorize", get(authorize::authorize))
        .route(
            "/.well-known/oauth-authorization-server",
            get(discovery::metadata),
        )
        .route(
            "/.well-known/openid-configuration",
            get(discovery::metadata),
        )
        .route(
            "/api/contacts",
            get(api::list_contacts).post(api::create_contact),
        )
        .route("/api/contacts/{id}", get(api::get_contact))
        .route("/api/ping", get(api::ping))
        .route("/api/slow", get(api::slow))
        .route("/api/large", get(api::large))
        .route("/hooks/notify", post(api::notify))
        .fallback(api::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), count_and_log))
        .with_state(state)
}

/// Counts each request for the tests and logs method, path and status: never headers or bodies,
/// which hold client secrets and tokens.
async fn count_and_log(
    State(state): State<Arc<SandboxState>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let counter = if path == "/oauth/token" {
        Some(&state.counters.token)
    } else if path.starts_with("/api/") {
        Some(&state.counters.api)
    } else if path.starts_with("/hooks/") {
        Some(&state.counters.hooks)
    } else {
        None
    };
    if let Some(counter) = counter {
        counter.fetch_add(1, Ordering::SeqCst);
    }
    let response = next.run(request).await;
    tracing::info!(%method, %path, status = response.status().as_u16(), "sandbox request");
    response
}
