//! Logging in: a Bearer Token Credential's first tokens by the device authorization grant
//! (RFC 8628) or the authorization code grant with PKCE (RFC 7636), for `payloads login` and the
//! TUI's login key. One Job records every request of a login (device code, polls, the code
//! exchange); the tokens are saved through the refresh path (the Credential's refresh lock, then
//! the Token Payload's response model and Data Targets), so a login and a refresh leave the file
//! and the history alike.

use super::credentials;
use super::events::RunEvent;
use super::extract;
use super::failure::{BearerOnly, Failure, Missing, Refusal};
use super::http::HttpResponse;
use super::request;
use super::runner::{RunHandle, Runner};
use super::tracker::{JobTracker, add_secrets};
use crate::jobs::Trigger;
use crate::oauth::device::{self, DeviceAuthorization, Next, PollAnswer, Poller};
use crate::oauth::{discovery, pkce};
use crate::template;
use crate::workspace::{
    BearerToken, Body, ClientAuth, Credential, CredentialAuth, Integration, KeyValue, Login,
    Method, Payload, Workspace,
};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

/// How long a browser login waits for the redirect before it gives up.
pub const BROWSER_WAIT: Duration = Duration::from_secs(10 * 60);

/// What the user must do for the login to finish, sent as soon as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginPrompt {
    /// Open `verification_uri` on any device and enter `user_code` (or open the complete URI,
    /// which carries the code: the one to draw as a QR code).
    Device {
        verification_uri: String,
        verification_uri_complete: Option<String>,
        user_code: String,
        expires_in: Duration,
    },
    /// Open `url` in a browser on this machine; `opened` when the desktop's opener was started.
    Browser { url: String, opened: bool },
}

/// Choices a login may be started with.
#[derive(Debug, Clone, Default)]
pub struct LoginOptions {
    /// An issuer whose discovery metadata gives the endpoints, over the Credential's own.
    pub issuer: Option<String>,
    /// Start the desktop's opener on the authorization URL (never in tests).
    pub open_browser: bool,
}

/// The endpoints one login uses, after discovery.
struct Endpoints {
    start: String,
    token: String,
}

impl Runner {
    /// Reads issuer `issuer`'s discovery metadata with the TLS settings of Integration
    /// `integration` (the default ones when it is not in the workspace): the Credential form's
    /// "discover", which fills the endpoints in before anything is saved. No Job: nothing is
    /// sent but a GET of a public document.
    pub async fn discover(
        &self,
        integration: &str,
        issuer: &str,
    ) -> Result<discovery::Endpoints, String> {
        let tls = self
            .inner
            .store
            .snapshot()
            .integration(integration)
            .map(|i| i.tls.clone())
            .unwrap_or_default();
        let client = self
            .inner
            .http
            .client_for(&tls, None)
            .and_then(|c| c.for_url_text(issuer))
            .map_err(|e| e.to_string())?;
        discovery::discover(&client, issuer).await
    }

    /// Starts a login for a Bearer Token Credential that has one. Returns at once; the prompt
    /// goes to `prompts` when the server has answered, the finished Job to the handle.
    pub fn start_login(
        &self,
        credential_id: &str,
        options: LoginOptions,
        prompts: UnboundedSender<LoginPrompt>,
        events: UnboundedSender<RunEvent>,
    ) -> RunHandle {
        let workspace = self.inner.store.snapshot();
        let sink = self.sink(&workspace, events);
        let (payload, integration) = super::runner::refresh_job_target(&workspace, credential_id);
        let mut tracker = JobTracker::create(
            self.new_job_id(),
            payload,
            integration,
            Trigger::Login,
            Vec::new(),
            &sink,
        );
        tracker.job.credential = Some(credential_id.into());
        let job_id = tracker.id();
        let cancel = CancellationToken::new();
        let runner = self.clone();
        let token = cancel.clone();
        let credential_id = credential_id.to_string();
        let done = tokio::spawn(async move {
            tracker.start();
            let outcome = runner
                .login(&mut tracker, &credential_id, &options, &prompts, &token)
                .await;
            runner.finish(tracker, outcome)
        });
        RunHandle {
            job_id,
            cancel,
            done,
        }
    }

    async fn login(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        options: &LoginOptions,
        prompts: &UnboundedSender<LoginPrompt>,
        cancel: &CancellationToken,
    ) -> Result<(), Failure> {
        let ws = self.inner.store.snapshot();
        let credential = ws
            .credential(credential_id)
            .ok_or_else(|| Missing::Credential(credential_id.into()))?;
        let CredentialAuth::BearerToken(bearer) = &credential.auth else {
            return Err(Failure::NotBearer {
                credential: credential.id.clone(),
                type_name: credential.auth.type_name(),
                purpose: BearerOnly::Login,
            });
        };
        let login = bearer
            .login
            .clone()
            .ok_or_else(|| Missing::Login(credential.id.clone()))?;
        let token_payload = ws
            .payload(&bearer.token_payload)
            .ok_or_else(|| Missing::TokenPayload {
                credential: credential.id.clone(),
                payload: bearer.token_payload.clone(),
            })?
            .clone();
        let integration = ws
            .integration(&token_payload.integration)
            .ok_or_else(|| Missing::Integration(token_payload.integration.clone()))?
            .clone();
        let resolved =
            template::resolve_credential(credential).map_err(|error| Failure::Template {
                credential: credential.id.clone(),
                error,
            })?;
        add_secrets(&t.redactor, &credentials::credential_secrets(&resolved));
        let CredentialAuth::BearerToken(resolved_bearer) = &resolved.auth else {
            return Err(Failure::Login(format!(
                "Credential {credential_id} is no longer a Bearer Token Credential"
            )));
        };
        let endpoints = self
            .login_endpoints(t, &login, &token_payload, &integration, options)
            .await?;
        let context = Context {
            ws: &ws,
            credential_id,
            credential: &resolved,
            bearer: resolved_bearer,
            token_payload: &token_payload,
            integration: &integration,
        };
        match &login {
            Login::DeviceCode(at) => {
                self.device_login(t, &context, &endpoints, &at.scope, prompts, cancel)
                    .await
            }
            Login::AuthorizationCode(at) => {
                self.browser_login(t, &context, &endpoints, &at.scope, options, prompts, cancel)
                    .await
            }
        }
    }

    /// The Credential's endpoints, or the issuer's when one is given (the option first).
    async fn login_endpoints(
        &self,
        t: &mut JobTracker,
        login: &Login,
        token_payload: &Payload,
        integration: &Integration,
        options: &LoginOptions,
    ) -> Result<Endpoints, Failure> {
        let configured = login.endpoint();
        let issuer = options
            .issuer
            .clone()
            .or_else(|| Some(configured.issuer.clone()).filter(|i| !i.trim().is_empty()));
        let mut endpoints = Endpoints {
            start: configured.endpoint.clone(),
            token: token_payload.endpoint.clone(),
        };
        if let Some(issuer) = issuer {
            t.step(format!("reading the discovery metadata of issuer {issuer}"));
            let client = self
                .inner
                .http
                .client_for(&integration.tls, None)?
                .for_url_text(&issuer)?;
            let found = discovery::discover(&client, &issuer)
                .await
                .map_err(Failure::Login)?;
            let (start, what) = match login {
                Login::DeviceCode(_) => {
                    (found.device_authorization, "device_authorization_endpoint")
                }
                Login::AuthorizationCode(_) => (found.authorization, "authorization_endpoint"),
            };
            endpoints.start = start.ok_or_else(|| {
                Failure::Login(format!(
                    "issuer {issuer}'s metadata names no {what}, so this login cannot start there"
                ))
            })?;
            endpoints.token = found.token.unwrap_or(endpoints.token);
            t.step(format!(
                "discovered: login at {}, tokens at {}",
                endpoints.start, endpoints.token
            ));
        }
        if endpoints.start.trim().is_empty() {
            return Err(Failure::Login(
                "the login has no endpoint and no issuer to discover it from".into(),
            ));
        }
        Ok(endpoints)
    }

    /// RFC 8628: ask for a device code, show where to enter it, poll until it is approved.
    async fn device_login(
        &self,
        t: &mut JobTracker,
        c: &Context<'_>,
        endpoints: &Endpoints,
        scope: &str,
        prompts: &UnboundedSender<LoginPrompt>,
        cancel: &CancellationToken,
    ) -> Result<(), Failure> {
        let mut fields = Vec::new();
        if !scope.trim().is_empty() {
            fields.push(KeyValue::new("scope", "{{input.scope}}"));
        }
        let start = exchange_payload(c, &endpoints.start, fields);
        let inputs = vec![("scope".to_string(), scope.trim().to_string())];
        let response = self.send_login(t, c, &start, &inputs, cancel).await?;
        if !response.status.is_success() {
            return Err(Failure::Refused(Refusal::of(
                "the device authorization endpoint",
                &response,
            )));
        }
        let authorization = DeviceAuthorization::parse(&response.body).map_err(Failure::Login)?;
        add_secrets(
            &t.redactor,
            std::slice::from_ref(&authorization.device_code),
        );
        t.step(format!(
            "open {} and enter the code {} (it expires in {} s)",
            authorization.verification_uri,
            authorization.user_code,
            authorization.expires_in.as_secs()
        ));
        let _ = prompts.send(LoginPrompt::Device {
            verification_uri: authorization.verification_uri.clone(),
            verification_uri_complete: authorization.verification_uri_complete.clone(),
            user_code: authorization.user_code.clone(),
            expires_in: authorization.expires_in,
        });
        let poll = exchange_payload(
            c,
            &endpoints.token,
            vec![
                KeyValue::new("grant_type", device::GRANT_TYPE),
                KeyValue::new("device_code", "{{input.device_code}}"),
            ],
        );
        let inputs = vec![("device_code".to_string(), authorization.device_code.clone())];
        let mut poller = Poller::new(&authorization);
        loop {
            if !poller.spend_wait() {
                return Err(Failure::Login(
                    "the code expired before it was approved; run the login again to get a new code"
                        .into(),
                ));
            }
            tokio::select! {
                _ = cancel.cancelled() => return Err(Failure::Cancelled),
                _ = tokio::time::sleep(poller.interval()) => {}
            }
            // A poll that is out runs to its end: an approved code is redeemed once, and the
            // tokens it brings must be saved.
            let response = self
                .send_login(t, c, &poll, &inputs, &CancellationToken::new())
                .await?;
            let error = extract::oauth_error_code(&response);
            let answer = PollAnswer::classify(
                response.status.is_success(),
                error.as_deref(),
                extract::server_reason(&response),
            );
            match poller.on_answer(&answer) {
                Next::Wait(wait) => {
                    let why = if answer == PollAnswer::SlowDown {
                        "the server asked to slow down"
                    } else {
                        "not approved yet"
                    };
                    t.step(format!("{why}: polling again in {} s", wait.as_secs()));
                }
                Next::Save => return self.save_login_tokens(t, c, &response, cancel).await,
                Next::Stop(why) => return Err(Failure::Login(why)),
            }
        }
    }

    /// Authorization code with PKCE: a loopback listener, the browser sent to the authorization
    /// endpoint, the code (once `state` matches) exchanged for tokens.
    #[expect(
        clippy::too_many_arguments,
        reason = "one login step, each part borrowed"
    )]
    async fn browser_login(
        &self,
        t: &mut JobTracker,
        c: &Context<'_>,
        endpoints: &Endpoints,
        scope: &str,
        options: &LoginOptions,
        prompts: &UnboundedSender<LoginPrompt>,
        cancel: &CancellationToken,
    ) -> Result<(), Failure> {
        let listener = pkce::RedirectListener::bind()
            .await
            .map_err(Failure::Login)?;
        let redirect_uri = listener.redirect_uri();
        let verifier = pkce::random_token().map_err(Failure::Login)?;
        let state = pkce::random_token().map_err(Failure::Login)?;
        add_secrets(&t.redactor, std::slice::from_ref(&verifier));
        let endpoint = request::join_url(&c.integration.base_url, endpoints.start.trim())
            .map_err(Failure::Request)?;
        let url = pkce::authorization_url(
            &endpoint,
            &c.bearer.client_id,
            &redirect_uri,
            scope,
            &state,
            &pkce::s256_challenge(&verifier),
        );
        let opened = options.open_browser && pkce::open_in_browser(url.as_str());
        t.step(format!(
            "{} {url}; waiting for the redirect to {redirect_uri}",
            if opened {
                "opened the browser at"
            } else {
                "open this in a browser on this machine:"
            }
        ));
        let _ = prompts.send(LoginPrompt::Browser {
            url: url.to_string(),
            opened,
        });
        let code = tokio::time::timeout(BROWSER_WAIT, listener.wait_for_code(&state, cancel))
            .await
            .map_err(|_| {
                Failure::Login(format!(
                    "no redirect came back within {} min; run the login again",
                    BROWSER_WAIT.as_secs() / 60
                ))
            })?;
        let code = match code {
            Ok(code) => code,
            Err(_) if cancel.is_cancelled() => return Err(Failure::Cancelled),
            Err(why) => return Err(Failure::Login(why)),
        };
        add_secrets(&t.redactor, std::slice::from_ref(&code));
        t.step("the browser came back with a code: exchanging it for tokens");
        let exchange = exchange_payload(
            c,
            &endpoints.token,
            vec![
                KeyValue::new("grant_type", "authorization_code"),
                KeyValue::new("code", "{{input.code}}"),
                KeyValue::new("redirect_uri", "{{input.redirect_uri}}"),
                KeyValue::new("code_verifier", "{{input.code_verifier}}"),
            ],
        );
        let inputs = vec![
            ("code".to_string(), code),
            ("redirect_uri".to_string(), redirect_uri),
            ("code_verifier".to_string(), verifier),
        ];
        let response = self
            .send_login(t, c, &exchange, &inputs, &CancellationToken::new())
            .await?;
        self.save_login_tokens(t, c, &response, cancel).await
    }

    async fn send_login(
        &self,
        t: &mut JobTracker,
        c: &Context<'_>,
        payload: &Payload,
        inputs: &[(String, String)],
        cancel: &CancellationToken,
    ) -> Result<HttpResponse, Failure> {
        let auth = credentials::for_token_request(c.credential, payload.client_auth);
        add_secrets(&t.redactor, &auth.secrets);
        self.send(
            t,
            payload,
            c.integration,
            Some(c.credential),
            &auth,
            inputs,
            c.ws,
            cancel,
            None,
        )
        .await
    }

    /// The token answer saved like a refresh's: under the Credential's refresh lock, read by the
    /// Token Payload's response model and written by its Data Targets.
    async fn save_login_tokens(
        &self,
        t: &mut JobTracker,
        c: &Context<'_>,
        response: &HttpResponse,
        cancel: &CancellationToken,
    ) -> Result<(), Failure> {
        let _guard = self.hold_refresh_lock(t, c.credential_id, cancel).await?;
        self.save_token_answer(t, c.credential_id, c.token_payload, response)
            .await
            .map_err(Failure::TokenAnswer)
    }
}

/// What every step of one login reads.
struct Context<'a> {
    ws: &'a Workspace,
    credential_id: &'a str,
    /// With its `{{env.*}}` fields resolved.
    credential: &'a Credential,
    /// The resolved Credential's Bearer Token fields.
    bearer: &'a BearerToken,
    token_payload: &'a Payload,
    integration: &'a Integration,
}

/// A request of the login made from the Token Payload (its Integration, headers, timeout and
/// client authentication) sent to `endpoint` with `fields` as its form body. With client
/// authentication in the body, the client id goes with it, and the secret when there is one (a
/// public client has none).
fn exchange_payload(c: &Context<'_>, endpoint: &str, mut fields: Vec<KeyValue>) -> Payload {
    let mut payload = c.token_payload.clone();
    payload.endpoint = endpoint.trim().to_string();
    payload.method = Method::POST;
    payload.parameters.clear();
    if payload.client_auth == ClientAuth::InBody {
        fields.push(KeyValue::new("client_id", "{{credential.client_id}}"));
        if !c.bearer.client_secret.is_empty() {
            fields.push(KeyValue::new(
                "client_secret",
                "{{credential.client_secret}}",
            ));
        }
    }
    payload.body = Body::Form(fields);
    payload
}
