//! The detail of the selected Integration, Credential or Payload: every field, secrets masked,
//! a Credential's generated headers, login and token expiry, and the records it names (its
//! Token Payload, what uses it): the links j / k select and Enter opens.

use super::format::{self, clock, date_time, expiry_phrase, mask};
use super::job_detail;
use crate::tui::app::{App, Pane, Screen};
use crate::tui::edits::RecordKind;
use crate::tui::lines as syntax;
use crate::tui::theme::Theme;
use crate::workspace::{Body, ClientAuth, Credential, CredentialAuth, Integration, Payload};
use ratatui::text::{Line, Span};

/// The label column of a field line; a long value wraps under its own start, not under the label.
const LABEL: usize = 14;

struct Builder {
    theme: Theme,
    lines: Vec<Line<'static>>,
    /// Room for a value beside its label.
    value_width: usize,
    /// The records named so far, in the order j / k visit them.
    links: Vec<Link>,
    /// The link selected in the full-screen detail (none in the main screen's pane).
    selected: Option<usize>,
    /// Lines past this many are not shown (the main screen's pane does not scroll), so long
    /// lists stop there: an Integration's 1,000 Payloads are not worded for 18 rows.
    shown: usize,
}

/// A record the detail names, on line `line` of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: RecordKind,
    pub id: String,
    pub line: usize,
}

/// The marker of the selected link.
const SELECTED: &str = "▶ ";

impl Builder {
    /// Whether the next link is the selected one.
    fn next_link_selected(&self) -> bool {
        self.selected == Some(self.links.len())
    }

    fn add_link(&mut self, kind: RecordKind, id: &str) {
        self.links.push(Link {
            kind,
            id: id.to_string(),
            line: self.lines.len(),
        });
    }

    /// A field whose value names record `id`.
    fn field_link(&mut self, label: &str, value: String, kind: RecordKind, id: &str) {
        let value = if self.next_link_selected() {
            format!("{SELECTED}{value}")
        } else {
            value
        };
        self.add_link(kind, id);
        self.field(label, value);
    }

    /// A list of records, one a line, each a link; `empty` when there is none.
    fn link_list(&mut self, kind: RecordKind, ids: &[&str], empty: &str) {
        if ids.is_empty() {
            self.block("", empty);
        }
        for id in ids {
            if self.lines.len() >= self.shown {
                break;
            }
            let marker = if self.next_link_selected() {
                SELECTED
            } else {
                "  "
            };
            self.add_link(kind, id);
            let style = if marker == SELECTED {
                self.theme.selected(true)
            } else {
                ratatui::style::Style::default()
            };
            self.lines
                .push(Line::styled(format!("{marker}{id}"), style));
        }
    }

    fn field(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        let mut rows = format::wrap(&value, self.value_width).into_iter();
        self.lines.push(Line::from(vec![
            Span::styled(format!("{label:<LABEL$}"), self.theme.label()),
            Span::raw(rows.next().unwrap_or_default()),
        ]));
        for row in rows {
            self.lines.push(Line::raw(format!("{:LABEL$}{row}", "")));
        }
    }

    fn heading(&mut self, text: impl Into<String>) {
        if !self.lines.is_empty() {
            self.lines.push(Line::raw(""));
        }
        self.lines
            .push(Line::styled(text.into(), self.theme.heading()));
    }

    fn block(&mut self, text: &str, empty: &str) {
        if text.trim().is_empty() {
            self.lines
                .push(Line::styled(format!("  {empty}"), self.theme.dim()));
        } else {
            for l in text.lines() {
                self.lines.push(Line::raw(format!("  {l}")));
            }
        }
    }
}

/// The lines for the selection of `pane` (a Job summary for the Jobs pane).
/// `width` is the width of the pane, borders included; `shown`, how many lines can be seen
/// (each line takes a row or more): the lists of records stop there.
pub fn lines(app: &App, pane: Pane, width: u16, shown: usize) -> Vec<Line<'static>> {
    build(app, pane, width, shown).lines
}

/// The records the full-screen detail of the focused pane's selection names, in j / k order.
pub fn links(app: &App) -> Vec<Link> {
    if app.focus == Pane::Jobs {
        return Vec::new();
    }
    build(app, app.focus, app.size.0, usize::MAX).links
}

fn build(app: &App, pane: Pane, width: u16, shown: usize) -> Builder {
    let selected = match &app.screen {
        Screen::RecordDetail { link, .. } => Some(*link),
        _ => None,
    };
    let mut b = Builder {
        theme: Theme::new(app.colour),
        lines: Vec::new(),
        value_width: (width as usize).saturating_sub(2 + LABEL).max(8),
        links: Vec::new(),
        selected,
        shown,
    };
    fill(app, pane, &mut b);
    b
}

fn fill(app: &App, pane: Pane, b: &mut Builder) {
    let filter = &app.filters[pane.index()];
    if !filter.is_empty() && app.selected_id(pane).is_none() {
        b.lines.push(Line::raw(format!(
            "Nothing matches /{filter}: Esc clears the filter."
        )));
        return;
    }
    match pane {
        Pane::Integrations => match app.current_integration() {
            Some(i) => integration(b, app, i),
            None => b
                .lines
                .push(Line::raw("No Integrations yet: press n to create one.")),
        },
        Pane::Credentials => match app.selected_credential() {
            Some(c) => credential(b, app, c),
            None => b
                .lines
                .push(Line::raw("No Credential here: press n to create one.")),
        },
        Pane::Payloads => match app.selected_payload() {
            Some(p) => payload(b, app, p),
            None => b
                .lines
                .push(Line::raw("No Payload here: press n to create one.")),
        },
        Pane::Jobs => match app.selected_job() {
            Some(job) => b.lines = job_detail::lines(job, app),
            None => b.lines.push(Line::raw(
                "No Jobs yet: select a Payload and press r to run it.",
            )),
        },
    }
}

fn integration(b: &mut Builder, app: &App, i: &Integration) {
    b.field("Name", &i.name);
    b.field("Id", &i.id);
    b.field("Base URL", &i.base_url);
    if !i.description.is_empty() {
        b.field("Description", &i.description);
    }
    b.field(
        "Timeout",
        i.timeout_secs
            .map(|t| format!("{t}s"))
            .unwrap_or_else(|| "30s (default)".into()),
    );
    if i.tls.accept_invalid_certs {
        b.field("TLS", "certificate checks OFF");
    }
    if let Some(ca) = &i.tls.ca_cert {
        b.field("Extra CA", ca);
    }
    let credentials: Vec<&str> = app
        .workspace
        .credentials
        .iter()
        .filter(|c| c.integration == i.id)
        .map(|c| c.id.as_str())
        .collect();
    let payloads: Vec<&str> = app
        .workspace
        .payloads
        .iter()
        .filter(|p| p.integration == i.id)
        .map(|p| p.id.as_str())
        .collect();
    b.heading(format!("Credentials ({})", credentials.len()));
    b.link_list(RecordKind::Credential, &credentials, "none");
    b.heading(format!("Payloads ({})", payloads.len()));
    b.link_list(RecordKind::Payload, &payloads, "none");
    b.heading("Headers sent with every request");
    b.block(&syntax::format_key_values(&i.headers), "none");
}

/// The headers or parameters a Credential adds to a request, secrets masked: read from how the
/// runner applies it (`flow::credentials::for_business`), so no Credential type is described
/// twice.
pub fn generated(c: &Credential) -> Vec<String> {
    let auth = crate::flow::credentials::for_business(c);
    let mut lines = Vec::new();
    for (name, value) in &auth.headers {
        let shown = match value.split_once(' ') {
            Some((scheme, rest)) if name.eq_ignore_ascii_case("authorization") => {
                if rest.is_empty() {
                    format!("{scheme} (no token yet: the first run refreshes it)")
                } else {
                    format!("{scheme} {}", mask(rest))
                }
            }
            _ => mask(value),
        };
        lines.push(format!("{name}: {shown}"));
    }
    for (name, value) in &auth.query {
        lines.push(format!("query ?{name}={}", mask(value)));
    }
    if let Some(certificate) = &auth.certificate {
        lines.push(format!(
            "TLS client certificate {} (key {})",
            certificate.cert_path, certificate.key_path
        ));
    }
    lines
}

fn credential(b: &mut Builder, app: &App, c: &Credential) {
    b.field("Name", &c.name);
    b.field("Id", &c.id);
    b.field("Type", c.auth.type_name());
    b.field("Integration", &c.integration);
    if !c.description.is_empty() {
        b.field("Description", &c.description);
    }
    // Before the fields: what decides how they are read.
    if let CredentialAuth::Custom(k) = &c.auth {
        b.field("Placement", format!("{:?}", k.placement));
    }
    // The fields from the Credential type's field table: secrets masked, blanks said.
    for (spec, value) in c.auth.fields() {
        if spec.secret {
            b.field(spec.label, mask(value));
        } else if value.is_empty() {
            b.field(spec.label, "(blank)");
        } else {
            b.field(spec.label, value);
        }
    }
    if let CredentialAuth::BearerToken(t) = &c.auth {
        b.field("Token minutes", t.access_token_duration_minutes.to_string());
        let expiry = match (t.access_token.is_empty(), t.expires_at()) {
            (true, _) => "no access token yet".to_string(),
            (false, Some(at)) => {
                let when = if at.date_naive() == app.now.date_naive() {
                    format!("{} UTC", clock(at))
                } else {
                    date_time(at)
                };
                format!("{when}, {}", expiry_phrase(app.now, at))
            }
            (false, None) => "unknown (entered by hand): used until a 401".to_string(),
        };
        b.field("Expiry", expiry);
        match app.workspace.payload(&t.token_payload) {
            Some(p) => {
                b.field_link(
                    "Token Payload",
                    format!("{} ({} {})", p.id, p.method.as_str(), p.endpoint),
                    RecordKind::Payload,
                    &p.id,
                );
                b.field(
                    "Tokens by",
                    crate::oauth::grant::Grant::of(t, Some(p)).short_label(),
                );
                if p.client_auth == ClientAuth::BasicHeader {
                    b.field("Client auth", "HTTP Basic header");
                }
            }
            None if t.token_payload.is_empty() => b.field("Token Payload", "none: e to choose one"),
            None => b.field("Token Payload", format!("{} (missing!)", t.token_payload)),
        }
        if t.fallback_to_client_credentials {
            b.field(
                "Fallback once",
                "client credentials once when the refresh token is refused",
            );
        }
        // The login's fields from its field table, blanks said.
        if let Some(login) = &t.login {
            b.field("Login", login.kind_label());
            for (spec, value) in login.fields() {
                let shown = match (spec.name, value.is_empty()) {
                    ("endpoint", true) => "(from the issuer)",
                    (_, true) => "(blank)",
                    (_, false) => value,
                };
                b.field(spec.label, shown);
            }
        }
    }
    b.heading("Generated for each request");
    for line in generated(c) {
        b.lines.push(Line::raw(format!("  {line}")));
    }
    let users: Vec<&str> = app
        .workspace
        .payloads
        .iter()
        .filter(|p| p.credential.as_deref() == Some(c.id.as_str()))
        .map(|p| p.id.as_str())
        .collect();
    b.heading("Used by");
    b.link_list(RecordKind::Payload, &users, "no Payload");
}

fn payload(b: &mut Builder, app: &App, p: &Payload) {
    b.field("Name", &p.name);
    b.field("Id", &p.id);
    b.field("Kind", format!("{:?}", p.kind));
    b.field("Request", format!("{} {}", p.method.as_str(), p.endpoint));
    if let Some(i) = app.workspace.integration(&p.integration)
        && !p.endpoint.starts_with("http")
    {
        b.field(
            "URL",
            format!("{}{}", i.base_url.trim_end_matches('/'), p.endpoint),
        );
    }
    match p.credential.as_deref() {
        Some(c) if app.workspace.credential(c).is_some() => {
            b.field_link("Credential", c.to_string(), RecordKind::Credential, c)
        }
        Some(c) => b.field("Credential", format!("{c} (missing!)")),
        None => b.field("Credential", "none: no authentication"),
    }
    if p.client_auth == ClientAuth::BasicHeader {
        b.field("Client auth", "HTTP Basic header");
    }
    if !p.description.is_empty() {
        b.field("Description", &p.description);
    }
    if let Some(t) = p.timeout_secs {
        b.field("Timeout", format!("{t}s"));
    }
    if let Some(stats) = app.jobs_data.stats.as_ref().filter(|s| s.payload == p.id) {
        b.field("Last runs", last_runs(stats));
    }
    if !p.inputs.is_empty() {
        b.heading("Inputs (asked for at run time)");
        b.block(&syntax::format_inputs(&p.inputs), "");
    }
    if !p.headers.is_empty() {
        b.heading("Headers");
        b.block(&syntax::format_key_values(&p.headers), "");
    }
    if !p.parameters.is_empty() {
        b.heading("Query parameters");
        b.block(&syntax::format_key_values(&p.parameters), "");
    }
    match &p.body {
        Body::None => {}
        Body::Json(text) => {
            b.heading("Body (JSON)");
            b.block(text, "");
        }
        Body::Form(fields) => {
            b.heading("Body (form)");
            let masked: Vec<_> = fields
                .iter()
                .map(|kv| format!("{}: {}", kv.name, kv.value))
                .collect();
            b.block(&masked.join("\n"), "");
        }
        Body::Raw { content_type, text } => {
            b.heading(format!("Body ({content_type})"));
            b.block(text, "");
        }
    }
    if !p.response.is_empty() {
        b.heading("Response model");
        b.block(&syntax::format_response(&p.response), "");
    }
    if !p.targets.is_empty() {
        b.heading("Data Targets");
        b.block(&syntax::format_targets(&p.targets), "");
    }
}

/// `▂▃█×▂  92% ok of 25 · p50 120 ms`: the newest runs' durations (a failure is `×`), then the
/// success rate, from the history.
fn last_runs(stats: &crate::jobs::PayloadStats) -> String {
    if stats.runs == 0 {
        return "none yet: r runs it".to_string();
    }
    let mut text = crate::jobs::pictures::sparkline(&stats.recent, 30);
    if let Some(rate) = stats.success_rate {
        text.push_str(&format!("  {:.0}% ok of {}", rate * 100.0, stats.runs));
    }
    if let Some(p50) = stats.p50_ms {
        text.push_str(&format!(
            " · p50 {}",
            crate::jobs::render::format_duration(p50)
        ));
    }
    text
}
