//! Plain-text rendering of Jobs (no colours): the list table, a one-line summary, and the full
//! detail view shared by `payloads jobs show` and `payloads run`.

use super::record::{Job, JobId, Trigger};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;

/// `2026-11-28 13:37:45Z`.
pub fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// `850 ms`, `1.2 s`, `3 min 4 s`.
pub fn format_duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

/// `200 OK`, `599`.
pub fn format_http_status(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// What started the Job, in words.
pub fn trigger_label(trigger: &Trigger) -> String {
    match trigger {
        Trigger::Tui => "TUI".to_string(),
        Trigger::Cli => "command line".to_string(),
        Trigger::RefreshFor(job) => format!("token refresh for job {job}"),
        Trigger::ManualRefresh => "manual refresh".to_string(),
        Trigger::Login => "login".to_string(),
    }
}

/// One line: `20261128-133745-a1b2c3 list-contacts succeeded 200 OK in 120 ms`.
pub fn job_summary(job: &Job) -> String {
    let mut line = format!("{} {} {}", job.id, job.payload, job.status.label());
    if let Some(response) = &job.response {
        let _ = write!(line, " {}", format_http_status(response.status));
    }
    if let Some(ms) = job.duration_ms {
        let _ = write!(line, " in {}", format_duration(ms));
    }
    if let Some(error) = &job.error {
        let _ = write!(line, ": {}", printable(error));
    }
    line
}

/// The Jobs list: a header and one row per Job, columns aligned.
pub fn job_table(jobs: &[Job]) -> String {
    let header = [
        "ID",
        "TIME",
        "PAYLOAD",
        "STATUS",
        "HTTP",
        "DURATION",
        "LINKED JOB",
    ];
    let rows: Vec<[String; 7]> = jobs
        .iter()
        .map(|job| {
            [
                job.id.to_string(),
                format_time(job.created_at),
                printable(&job.payload),
                job.status.label().to_string(),
                job.response
                    .as_ref()
                    .map(|r| r.status.to_string())
                    .unwrap_or_else(|| "-".into()),
                job.duration_ms
                    .map(format_duration)
                    .unwrap_or_else(|| "-".into()),
                job.linked_job
                    .as_ref()
                    .map_or_else(|| "-".into(), JobId::to_string),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_row = |cells: &[&str]| {
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push_row(&header);
    for row in &rows {
        push_row(&row.each_ref().map(String::as_str));
    }
    out
}

/// Everything in the Job, readable: summary fields, error, timeline, inputs, request, response
/// (a JSON body pretty-printed), extracted values, Data Targets.
pub fn job_detail(job: &Job) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Job {}", job.id);
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "  {name:<12} {value}");
    };
    field(
        "Payload",
        format!(
            "{} (integration {})",
            printable(&job.payload),
            printable(&job.integration)
        ),
    );
    field("Status", job.status.label().to_string());
    field("Trigger", trigger_label(&job.trigger));
    if let Some(linked) = &job.linked_job {
        field("Linked job", linked.to_string());
    }
    if let Some(print) = &job.token_fingerprint {
        field("Token", printable(print));
    }
    field("Created", format_time(job.created_at));
    if let Some(at) = job.started_at {
        field("Started", format_time(at));
    }
    if let Some(at) = job.finished_at {
        field("Finished", format_time(at));
    }
    match (job.duration_ms, job.callout_ms) {
        (Some(total), Some(callout)) => field(
            "Duration",
            format!(
                "{} in all, {} on the wire",
                format_duration(total),
                format_duration(callout)
            ),
        ),
        (Some(total), None) => field("Duration", format_duration(total)),
        (None, Some(callout)) => field(
            "Duration",
            format!("{} on the wire", format_duration(callout)),
        ),
        (None, None) => {}
    }

    if let Some(error) = &job.error {
        section(&mut out, "Error");
        let _ = writeln!(out, "{}", indent(&printable(error), 2));
    }

    if !job.steps.is_empty() {
        section(&mut out, "Timeline");
        for step in &job.steps {
            let _ = writeln!(
                out,
                "  {}  {}",
                step.at.format("%H:%M:%S%.3f"),
                printable(&step.text)
            );
        }
    }

    if !job.inputs.is_empty() {
        section(&mut out, "Inputs");
        pairs(&mut out, &job.inputs, " = ");
    }

    if let Some(request) = &job.request {
        section(&mut out, "Request");
        let _ = writeln!(
            out,
            "  {} {}",
            printable(&request.method),
            printable(&request.url)
        );
        pairs(&mut out, &request.headers, ": ");
        if let Some(body) = request.body.as_deref().filter(|b| !b.is_empty()) {
            out.push('\n');
            let _ = writeln!(out, "{}", indent(&pretty_body(body), 4));
        }
    }

    if let Some(response) = &job.response {
        section(&mut out, "Response");
        let mut status = format!("  {}", format_http_status(response.status));
        if response.truncated {
            let _ = write!(
                status,
                "  (body {} bytes, only the first {} kept)",
                response.body_bytes,
                response.body.len()
            );
        } else {
            let _ = write!(status, "  ({} bytes)", response.body_bytes);
        }
        let _ = writeln!(out, "{status}");
        pairs(&mut out, &response.headers, ": ");
        if !response.body.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "{}", indent(&pretty_body(&response.body), 4));
        }
    }

    if !job.extracted.is_empty() {
        section(&mut out, "Extracted values");
        pairs(&mut out, &job.extracted, " = ");
    }

    if !job.targets.is_empty() {
        section(&mut out, "Data Targets");
        for target in &job.targets {
            let mut line = format!(
                "  {} → {}: {}",
                printable(&target.value),
                printable(&target.target),
                printable(&target.written)
            );
            if let Some(error) = &target.error {
                let _ = write!(line, "  (failed: {})", printable(error));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// A JSON body pretty-printed, keys in the order the server sent them; anything else as it is.
pub fn pretty_body(body: &str) -> String {
    let trimmed = body.trim();
    let is_container = trimmed.starts_with('{') || trimmed.starts_with('[');
    if is_container && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        printable(&reindent_json(trimmed))
    } else {
        printable(body)
    }
}

/// Re-indents valid JSON text by two spaces a level without parsing it into a map, which would
/// reorder its keys.
fn reindent_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = json.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    // An empty object or array stays on one line.
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` safe to print on a terminal: control characters (escape sequences above all) and the
/// bidi overrides that make text read differently from its bytes shown as `\u{1b}`, `\u{202e}`
/// and the like; newlines and tabs kept.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they
/// reorder the text around them (a "Trojan Source" trick), so they are never shown raw.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn section(out: &mut String, title: &str) {
    out.push('\n');
    out.push_str(title);
    out.push('\n');
}

fn pairs(out: &mut String, pairs: &[(String, String)], separator: &str) {
    for (name, value) in pairs {
        let _ = writeln!(out, "  {}{separator}{}", printable(name), printable(value));
    }
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_statuses_read_naturally() {
        assert_eq!(format_duration(850), "850 ms");
        assert_eq!(format_duration(1250), "1.2 s");
        assert_eq!(format_duration(184_000), "3 min 4 s");
        assert_eq!(format_http_status(404), "404 Not Found");
        assert_eq!(format_http_status(599), "599");
    }

    #[test]
    fn bodies_are_pretty_and_escape_sequences_are_defused() {
        assert_eq!(pretty_body(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(
            pretty_body(r#" {"z": [1, {}], "a": "x,\":{y", "e": []} "#),
            "{\n  \"z\": [\n    1,\n    {}\n  ],\n  \"a\": \"x,\\\":{y\",\n  \"e\": []\n}"
        );
        assert_eq!(pretty_body("\"just a string\""), "\"just a string\"");
        assert_eq!(pretty_body("plain\u{1b}[31m"), "plain\\u{1b}[31m");
    }
}
