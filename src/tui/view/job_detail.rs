//! A Job in full: status, timeline, the request as sent, the response (JSON pretty-printed),
//! extracted values, Data Targets, the error and the linked Job. Already redacted by the runner.

use super::format::{bytes, clock, seconds};
use crate::jobs::{Job, Trigger};
use crate::tui::app::App;
use crate::tui::theme::{Theme, status_symbol};
use ratatui::text::{Line, Span};

pub fn lines(job: &Job, app: &App) -> Vec<Line<'static>> {
    let theme = Theme::new(app.colour);
    let mut out: Vec<Line<'static>> = Vec::new();
    let label = |t: &str| Span::styled(format!("{t:<11}"), theme.label());
    let heading = |out: &mut Vec<Line<'static>>, t: &str| {
        out.push(Line::raw(""));
        out.push(Line::styled(t.to_string(), theme.heading()));
    };

    out.push(Line::from(vec![
        Span::styled(
            format!(
                "{} {}",
                status_symbol(job.status, app.spinner),
                job.status.label()
            ),
            theme.status(job.status),
        ),
        Span::raw(format!("  {}", job.payload)),
        Span::styled(format!("  ({})", job.integration), theme.dim()),
    ]));
    out.push(Line::from(vec![label("Job"), Span::raw(job.id.clone())]));
    let trigger = match &job.trigger {
        Trigger::Tui => "run from the TUI".to_string(),
        Trigger::Cli => "run from the command line".to_string(),
        Trigger::RefreshFor(id) => format!("token refresh for Job {id}"),
        Trigger::ManualRefresh => "token refresh asked for directly".to_string(),
        Trigger::Login => "login for the first tokens".to_string(),
    };
    out.push(Line::from(vec![label("Trigger"), Span::raw(trigger)]));
    let mut timing = format!("created {}", clock(job.created_at));
    if let Some(s) = app.elapsed(job) {
        timing.push_str(&format!(
            ", {} {}",
            if job.status.is_finished() {
                "took"
            } else {
                "running for"
            },
            seconds(s)
        ));
    }
    if let Some(ms) = job.callout_ms {
        timing.push_str(&format!(" (HTTP {})", seconds(ms as f64 / 1000.0)));
    }
    out.push(Line::from(vec![label("Time"), Span::raw(timing)]));
    if let Some(linked) = &job.linked_job {
        let what = match app.job(linked) {
            Some(l) => format!("{linked} ({} {})", l.payload, l.status.label()),
            None => linked.to_string(),
        };
        out.push(Line::from(vec![
            label("Linked Job"),
            Span::raw(what),
            Span::styled("  l opens it", theme.dim()),
        ]));
    }
    if let Some(print) = &job.token_fingerprint {
        // Compare with the linked Job's: a refresh's new token is the one its business call sent.
        out.push(Line::from(vec![label("Token"), Span::raw(print.clone())]));
    }
    for (name, value) in &job.inputs {
        out.push(Line::from(vec![
            label("Input"),
            Span::raw(format!("{name} = {value}")),
        ]));
    }
    if let Some(error) = &job.error {
        heading(&mut out, "Error");
        for l in error.lines() {
            out.push(Line::styled(format!("  {l}"), theme.error()));
        }
    }

    heading(&mut out, "Timeline");
    if job.steps.is_empty() {
        out.push(Line::styled("  (no steps yet)", theme.dim()));
    }
    for step in &job.steps {
        out.push(Line::from(vec![
            Span::styled(
                format!("  {} ", step.at.format("%H:%M:%S%.3f")),
                theme.dim(),
            ),
            Span::raw(step.text.clone()),
        ]));
    }

    if let Some(request) = &job.request {
        heading(&mut out, "Request");
        out.push(Line::raw(format!("  {} {}", request.method, request.url)));
        for (name, value) in &request.headers {
            out.push(Line::raw(format!("  {name}: {value}")));
        }
        if let Some(body) = &request.body {
            out.push(Line::raw(""));
            for l in pretty(body).lines() {
                out.push(Line::raw(format!("  {l}")));
            }
        }
    }

    if let Some(response) = &job.response {
        heading(
            &mut out,
            &format!(
                "Response  {} · {}{}",
                response.status,
                bytes(response.body_bytes),
                if response.truncated {
                    " (only the first part kept)"
                } else {
                    ""
                }
            ),
        );
        for (name, value) in &response.headers {
            out.push(Line::styled(format!("  {name}: {value}"), theme.dim()));
        }
        out.push(Line::raw(""));
        if response.body.is_empty() {
            out.push(Line::styled("  (empty body)", theme.dim()));
        }
        for l in pretty(&response.body).lines() {
            out.push(Line::raw(format!("  {l}")));
        }
    }

    if !job.extracted.is_empty() {
        heading(&mut out, "Extracted values");
        for (name, value) in &job.extracted {
            out.push(Line::raw(format!("  {name} = {value}")));
        }
    }
    if !job.targets.is_empty() {
        heading(&mut out, "Data Targets");
        for t in &job.targets {
            let mut spans = vec![Span::raw(format!(
                "  {} → {}: {}",
                t.value, t.target, t.written
            ))];
            if let Some(e) = &t.error {
                spans.push(Span::styled(format!("  ✗ {e}"), theme.error()));
            }
            out.push(Line::from(spans));
        }
    }
    out
}

/// JSON bodies pretty-printed in the order they were sent or received; control characters made
/// visible, so a body can never drive the terminal.
fn pretty(body: &str) -> String {
    crate::jobs::render::pretty_body(body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_keep_their_key_order_and_cannot_drive_the_terminal() {
        let shown = super::pretty("{\"name\":\"Grace\",\"email\":\"g@example.com\"}");
        assert!(
            shown.find("name").unwrap() < shown.find("email").unwrap(),
            "{shown}"
        );
        assert!(!super::pretty("clear \u{1b}[2J").contains('\u{1b}'));
    }
}
