//! Logins for first tokens through the Runner, against the sandbox over real HTTP: the device
//! code (approved, denied, expired), the browser login with PKCE (its `state` checked), discovery
//! (found, missing, wrong), and the refresh grant that is not sent without a refresh token.

use crate::common::{bearer, read_workspace};

use payloads::flow::{LoginOptions, LoginPrompt, Runner, RunnerConfig};
use payloads::jobs::{Job, JobStatus, JobStore, Trigger};
use payloads::sandbox::{self, SandboxConfig, SandboxHandle};
use payloads::workspace::WorkspaceStore;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BOUND: Duration = Duration::from_secs(20);

const DEVICE_LOGIN: &str = r#"login: DeviceCode(endpoint: "/oauth/device_authorization")"#;

struct Setup {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    runner: Runner,
    sbx: SandboxHandle,
}

/// The shipped workspace against a sandbox on any port, its device login's line replaced by
/// `login` when given.
async fn setup(config: SandboxConfig, login: Option<&str>) -> Setup {
    let sbx = sandbox::start(SandboxConfig { port: 0, ..config })
        .await
        .unwrap();
    let shipped = include_str!("../../workspace.ron");
    assert!(shipped.contains(DEVICE_LOGIN));
    let text = shipped
        .replace("http://127.0.0.1:8787", &sbx.base_url())
        .replace(DEVICE_LOGIN, login.unwrap_or(DEVICE_LOGIN));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let jobs = Arc::new(JobStore::beside(&path));
    let runner = Runner::new(store, jobs, RunnerConfig::default());
    Setup {
        _dir: dir,
        path,
        runner,
        sbx,
    }
}

fn one_second() -> SandboxConfig {
    SandboxConfig {
        device_interval: Duration::from_secs(1),
        ..SandboxConfig::default()
    }
}

impl Setup {
    fn login(
        &self,
        options: LoginOptions,
    ) -> (payloads::flow::RunHandle, UnboundedReceiver<LoginPrompt>) {
        let (prompts, prompt_rx) = tokio::sync::mpsc::unbounded_channel();
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        let handle = self
            .runner
            .start_login("sandbox-device", options, prompts, events);
        (handle, prompt_rx)
    }

    fn saved(&self) -> payloads::workspace::BearerToken {
        bearer(&read_workspace(&self.path), "sandbox-device")
    }
}

async fn finished(handle: payloads::flow::RunHandle) -> Job {
    tokio::time::timeout(BOUND, handle.done)
        .await
        .expect("the login ends")
        .unwrap()
}

async fn prompt(rx: &mut UnboundedReceiver<LoginPrompt>) -> LoginPrompt {
    tokio::time::timeout(BOUND, rx.recv())
        .await
        .expect("a prompt comes")
        .expect("the login sends its prompt")
}

async fn decide(sbx: &SandboxHandle, user_code: &str, approve: &str) {
    let status = reqwest::Client::new()
        .post(format!("{}/device", sbx.base_url()))
        .form(&[("user_code", user_code), ("approve", approve)])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_device_login_approved_at_the_page_saves_tokens_that_the_business_call_uses() {
    let s = setup(one_second(), None).await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let LoginPrompt::Device {
        verification_uri,
        verification_uri_complete,
        user_code,
        ..
    } = prompt(&mut prompts).await
    else {
        panic!("a device prompt");
    };
    assert_eq!(verification_uri, format!("{}/device", s.sbx.base_url()));
    assert!(verification_uri_complete.unwrap().ends_with(&user_code));
    assert_eq!(user_code.len(), 9);
    decide(&s.sbx, &user_code, "yes").await;

    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(job.trigger, Trigger::Login);
    let saved = s.saved();
    assert!(saved.access_token.starts_with("sbx_at."));
    assert!(saved.refresh_token.starts_with("sbx_rt."));
    assert!(saved.obtained_at.is_some());
    // Recorded, and without the device code or the tokens.
    let recorded = s
        .runner
        .jobs()
        .get(&job.id)
        .unwrap()
        .expect("the login Job is recorded");
    let text = serde_json::to_string(&recorded).unwrap();
    assert!(!text.contains(&saved.access_token));
    assert!(!text.contains(&saved.refresh_token));
    assert!(
        !text.contains("sbx_dc."),
        "the device code is redacted: {text}"
    );

    let tokens_before = s.sbx.token_requests();
    let run = s
        .runner
        .run_to_end(crate::common::request("list-contacts-device", &[]))
        .await;
    assert_eq!(run.status, JobStatus::Succeeded, "{:?}", run.error);
    assert_eq!(
        s.sbx.token_requests(),
        tokens_before,
        "no refresh was needed"
    );
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_denied_device_login_stops_with_the_reason_and_writes_nothing() {
    let s = setup(one_second(), None).await;
    let before = std::fs::read(&s.path).unwrap();
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let LoginPrompt::Device { user_code, .. } = prompt(&mut prompts).await else {
        panic!("a device prompt");
    };
    decide(&s.sbx, &user_code, "no").await;
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("denied"), "{error}");
    assert_eq!(std::fs::read(&s.path).unwrap(), before);
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn an_unapproved_device_code_expires_and_says_so() {
    let s = setup(
        SandboxConfig {
            device_code_ttl: Duration::from_secs(1),
            ..one_second()
        },
        None,
    )
    .await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    prompt(&mut prompts).await;
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("expired"), "{error}");
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_device_login_is_cancelable_while_it_waits() {
    let s = setup(one_second(), None).await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    prompt(&mut prompts).await;
    handle.cancel.cancel();
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Cancelled);
    assert!(s.saved().access_token.is_empty());
    s.sbx.shutdown().await;
}

const BROWSER_LOGIN: &str = r#"login: AuthorizationCode(endpoint: "/oauth/authorize")"#;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn browser_url(prompts: &mut UnboundedReceiver<LoginPrompt>) -> String {
    match prompt(prompts).await {
        LoginPrompt::Browser { url, opened } => {
            assert!(!opened, "tests never open a browser");
            url
        }
        other => panic!("a browser prompt, not {other:?}"),
    }
}

#[tokio::test]
async fn a_browser_login_with_pkce_saves_tokens() {
    let s = setup(SandboxConfig::default(), Some(BROWSER_LOGIN)).await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let url = browser_url(&mut prompts).await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(
        url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{url}"
    );
    // The "browser": follows the sandbox's redirect back to the login's listener.
    let page = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("you can close this tab"), "{page}");
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert!(s.saved().access_token.starts_with("sbx_at."));
    let text = serde_json::to_string(&s.runner.jobs().get(&job.id).unwrap().unwrap()).unwrap();
    assert!(!text.contains("sbx_ac."), "the code is redacted: {text}");
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused_and_nothing_is_exchanged() {
    let s = setup(SandboxConfig::default(), Some(BROWSER_LOGIN)).await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let url = browser_url(&mut prompts).await;
    let redirected = no_redirects().get(&url).send().await.unwrap();
    let location = redirected.headers()["location"]
        .to_str()
        .unwrap()
        .to_string();
    let mut forged = reqwest::Url::parse(&location).unwrap();
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "state" {
                (k, "forged".into())
            } else {
                (k, v)
            }
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    let tokens_before = s.sbx.token_requests();
    no_redirects().get(forged).send().await.unwrap();
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("state does not match"), "{error}");
    assert_eq!(s.sbx.token_requests(), tokens_before);
    assert!(s.saved().access_token.is_empty());
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_browser_login_denied_at_the_server_says_so() {
    let s = setup(SandboxConfig::default(), Some(BROWSER_LOGIN)).await;
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let url = browser_url(&mut prompts).await;
    reqwest::get(format!("{url}&deny=1")).await.unwrap();
    let job = finished(handle).await;
    let error = job.error.unwrap();
    assert!(
        error.contains("access_denied") && error.contains("denied in the browser"),
        "{error}"
    );
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn discovery_fills_the_endpoints_from_the_issuer() {
    // No endpoint in the file: only the issuer's metadata says where to go.
    let s = setup(one_second(), Some(r#"login: DeviceCode(issuer: "ISSUER")"#)).await;
    let text = std::fs::read_to_string(&s.path)
        .unwrap()
        .replace("ISSUER", &s.sbx.base_url());
    std::fs::write(&s.path, text).unwrap();
    s.runner.store().reload().unwrap();
    let (handle, mut prompts) = s.login(LoginOptions::default());
    let LoginPrompt::Device { user_code, .. } = prompt(&mut prompts).await else {
        panic!("a device prompt");
    };
    decide(&s.sbx, &user_code, "yes").await;
    let job = finished(handle).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert!(
        job.steps.iter().any(|s| s.text.contains("discovered")),
        "{:?}",
        job.steps
    );
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn missing_or_wrong_discovery_documents_stop_the_login_with_the_reason() {
    let s = setup(one_second(), None).await;
    let missing = MockServer::start().await;
    let (handle, _prompts) = s.login(LoginOptions {
        issuer: Some(missing.uri()),
        ..LoginOptions::default()
    });
    let error = finished(handle).await.error.unwrap();
    assert!(error.contains("no discovery metadata"), "{error}");
    assert!(
        error.contains("oauth-authorization-server answered 404"),
        "{error}"
    );
    assert!(
        error.contains("openid-configuration answered 404"),
        "{error}"
    );

    let wrong = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/oauth-authorization-server"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "issuer": "https://someone-else.example",
            "token_endpoint": "https://someone-else.example/token",
        })))
        .mount(&wrong)
        .await;
    Mock::given(method("GET"))
        .and(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>not json</html>"))
        .mount(&wrong)
        .await;
    let (handle, _prompts) = s.login(LoginOptions {
        issuer: Some(wrong.uri()),
        ..LoginOptions::default()
    });
    let error = finished(handle).await.error.unwrap();
    assert!(error.contains("someone-else.example"), "{error}");
    assert!(error.contains("not a JSON metadata document"), "{error}");

    // Metadata of the right issuer without a device endpoint cannot start a device login.
    let partial = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/oauth-authorization-server"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "issuer": partial.uri(),
            "token_endpoint": format!("{}/token", partial.uri()),
        })))
        .mount(&partial)
        .await;
    let (handle, _prompts) = s.login(LoginOptions {
        issuer: Some(partial.uri()),
        ..LoginOptions::default()
    });
    let error = finished(handle).await.error.unwrap();
    assert!(
        error.contains("names no device_authorization_endpoint"),
        "{error}"
    );
    assert_eq!(s.sbx.token_requests(), 0);
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_refresh_grant_with_a_blank_refresh_token_is_not_sent_and_says_what_to_do() {
    let s = setup(one_second(), None).await;
    let job = s
        .runner
        .run_to_end(crate::common::request("list-contacts-device", &[]))
        .await;
    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("no refresh token"), "{error}");
    assert!(error.contains("nothing was sent"), "{error}");
    assert!(error.contains("payloads login sandbox-device"), "{error}");
    assert!(error.contains("paste a refresh token"), "{error}");
    assert_eq!(s.sbx.token_requests(), 0, "the token endpoint saw nothing");
    assert_eq!(s.sbx.api_requests(), 0);
    s.sbx.shutdown().await;
}

#[tokio::test]
async fn a_refused_refresh_token_says_it_was_refused_and_the_ways_out() {
    let s = setup(one_second(), None).await;
    let text = std::fs::read_to_string(&s.path).unwrap();
    // The sandbox-device Credential's blank refresh token (the second one in the file).
    let at = text
        .match_indices(r#"refresh_token: "","#)
        .nth(1)
        .unwrap()
        .0;
    let text = format!(
        "{}refresh_token: \"sbx_rt.not-one-it-issued\",{}",
        &text[..at],
        &text[at + r#"refresh_token: "","#.len()..]
    );
    std::fs::write(&s.path, text).unwrap();
    s.runner.store().reload().unwrap();
    let job = s
        .runner
        .run_to_end(crate::common::request("list-contacts-device", &[]))
        .await;
    let refresh = s
        .runner
        .jobs()
        .get(job.linked_job.as_deref().unwrap())
        .unwrap()
        .unwrap();
    let error = refresh.error.unwrap();
    assert!(error.contains("invalid_grant"), "{error}");
    assert!(error.contains("refresh_token grant was refused"), "{error}");
    assert!(error.contains("payloads login sandbox-device"), "{error}");
    s.sbx.shutdown().await;
}
