//! Fixtures shared by the TUI tests: a workspace, Jobs and a clock that never change, so
//! snapshots are stable; and helpers to press keys and render.

pub mod scale;
pub mod tmux;

use crate::common::builders;
use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use payloads::jobs::{Job, JobStatus, RequestRecord, ResponseRecord, Step, TargetResult, Trigger};
use payloads::tui::{Action, App, Message, view};
use payloads::workspace::edit::token_payload;
use payloads::workspace::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 10, 0, 0).unwrap()
}

pub fn workspace() -> Workspace {
    let sandbox = builders::integration("sandbox", "http://127.0.0.1:8787")
        .name("Sandbox API")
        .description("The built-in sandbox")
        .timeout_secs(10)
        .header("Accept", "application/json")
        .build();
    let billing = builders::integration("billing", "https://billing.example.com/v2")
        .name("Billing")
        .build();
    let bearer = builders::bearer_token("sandbox-oauth-token")
        .client("demo-client", "demo-secret-value")
        .tokens("at-123456789", "rt-987654321")
        .duration_minutes(15)
        .obtained_at(Some(now() - Duration::minutes(3)));
    let oauth = builders::credential("sandbox-oauth", bearer.auth())
        .name("Sandbox OAuth")
        .integration("sandbox")
        .build();
    let api_key = builders::credential(
        "billing-key",
        CredentialAuth::ApiKey(ApiKey {
            header: "x-api-key".into(),
            value: "{{env.BILLING_KEY}}".into(),
        }),
    )
    .name("Billing key")
    .integration("billing")
    .build();
    let token = token_payload("sandbox-oauth-token", &oauth);
    let list = builders::payload("list-contacts", Method::GET, "/api/contacts")
        .name("List contacts")
        .integration("sandbox")
        .credential(Some("sandbox-oauth"))
        .parameter("limit", "10")
        .json_value("first", "$.contacts[0].id")
        .target("first", Target::Variable("contact_id".into()))
        .build();
    let get = Payload {
        id: "get-contact".into(),
        name: "Get contact".into(),
        endpoint: "/api/contacts/{{input.contact_id}}".into(),
        parameters: vec![],
        response: vec![],
        targets: vec![],
        inputs: vec![DynamicInput {
            name: "contact_id".into(),
            default: Some("1".into()),
            description: "which contact".into(),
        }],
        ..list.clone()
    };
    let invoice = Payload {
        id: "create-invoice".into(),
        name: "Create invoice".into(),
        integration: "billing".into(),
        method: Method::POST,
        endpoint: "/invoices".into(),
        credential: Some("billing-key".into()),
        body: Body::Json("{\"amount\": 12}".into()),
        parameters: vec![],
        response: vec![],
        targets: vec![],
        ..list.clone()
    };
    Workspace {
        integrations: vec![sandbox, billing],
        credentials: vec![oauth, api_key],
        payloads: vec![token, list, get, invoice],
        variables: vec![],
        settings: Default::default(),
    }
}

pub fn job(id: &str, payload: &str, status: JobStatus, trigger: Trigger) -> Job {
    let created = now() - Duration::seconds(30);
    Job {
        credential: None,
        id: id.into(),
        payload: payload.into(),
        integration: "sandbox".into(),
        linked_job: None,
        token_fingerprint: None,
        trigger,
        status,
        created_at: created,
        started_at: Some(created),
        finished_at: status
            .is_finished()
            .then(|| created + Duration::milliseconds(420)),
        duration_ms: status.is_finished().then_some(420),
        callout_ms: status.is_finished().then_some(120),
        inputs: vec![],
        request: None,
        response: None,
        extracted: vec![],
        targets: vec![],
        error: None,
        steps: vec![Step {
            at: created,
            text: "started".into(),
        }],
    }
}

/// A business Job that refreshed first: the pair as the runner reports them.
pub fn finished_pair() -> Vec<Job> {
    let mut business = job(
        "20260115T095930Z-0002",
        "list-contacts",
        JobStatus::Succeeded,
        Trigger::Tui,
    );
    business.linked_job = Some("20260115T095930Z-0003".into());
    business.request = Some(RequestRecord {
        method: "GET".into(),
        url: "http://127.0.0.1:8787/api/contacts?limit=10".into(),
        headers: vec![
            ("accept".into(), "application/json".into()),
            ("authorization".into(), "Bearer [redacted]".into()),
        ],
        body: None,
    });
    business.response = Some(ResponseRecord {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: r#"{"contacts":[{"id":1,"name":"Ada Lovelace"},{"id":2,"name":"Alan Turing"}]}"#
            .into(),
        body_bytes: 75,
        truncated: false,
        not_utf8: false,
        missing_values: Vec::new(),
        undecodable: None,
    });
    business.extracted = vec![("first".into(), "1".into())];
    business.targets = vec![TargetResult {
        value: "first".into(),
        target: "var contact_id".into(),
        written: "1".into(),
        error: None,
    }];
    business.steps = vec![
        Step {
            at: now() - Duration::seconds(30),
            text: "access token expired: refreshing".into(),
        },
        Step {
            at: now() - Duration::milliseconds(29800),
            text: "token refreshed; workspace saved".into(),
        },
        Step {
            at: now() - Duration::milliseconds(29700),
            text: "GET http://127.0.0.1:8787/api/contacts?limit=10".into(),
        },
        Step {
            at: now() - Duration::milliseconds(29580),
            text: "200 OK in 120 ms".into(),
        },
    ];
    let mut refresh = job(
        "20260115T095930Z-0003",
        "sandbox-oauth-token",
        JobStatus::Succeeded,
        Trigger::RefreshFor("20260115T095930Z-0002".into()),
    );
    refresh.linked_job = Some("20260115T095930Z-0002".into());
    vec![refresh, business]
}

pub fn running_job() -> Job {
    let mut running = job(
        "20260115T095950Z-0004",
        "get-contact",
        JobStatus::Running,
        Trigger::Tui,
    );
    running.created_at = now() - Duration::seconds(2);
    running.started_at = Some(running.created_at);
    running
}

pub fn app() -> App {
    let mut app = App::new(workspace(), "workspace.ron", Vec::new(), now());
    app.colour = false;
    app
}

pub fn key(code: KeyCode) -> Message {
    Message::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Message {
    Message::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Presses each key in order and returns every Action emitted.
pub fn press(app: &mut App, keys: &[Message]) -> Vec<Action> {
    keys.iter().flat_map(|k| app.update(k.clone())).collect()
}

/// Types text one character at a time.
pub fn type_text(app: &mut App, text: &str) -> Vec<Action> {
    text.chars()
        .flat_map(|c| {
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            app.update(Message::Key(KeyEvent::new(KeyCode::Char(c), modifiers)))
        })
        .collect()
}

pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(app, f)).unwrap();
    terminal.backend().to_string()
}
