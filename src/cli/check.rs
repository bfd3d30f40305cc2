//! `payloads check`: validate a workspace file and summarise it, or print every error (as text,
//! or with `--json` one JSON object per diagnostic, the shape in docs/cli-json.md).

use super::discover::Located;
use super::output;
use crate::workspace::{Diagnostic, Workspace, load};
use serde::Serialize;
use std::process::ExitCode;

/// Exit code of `check` for a workspace that is missing or does not load.
const EXIT_INVALID: u8 = 1;

pub fn check(located: &Located, json: bool) -> ExitCode {
    let workspace = located.path.as_path();
    if !workspace.exists() {
        let hint = format!(
            "to create one, copy the example in docs/workspace-format.md (or the demo workspace.ron \
             shipped with Payloads) to {}, or point at another file with --workspace PATH",
            workspace.display()
        );
        if json {
            let diagnostic = Diagnostic::file(workspace, format!("no such workspace file; {hint}"));
            print_json_lines(&[to_json(&diagnostic, None)]);
        } else {
            output::error(format_args!(
                "{}: no such workspace file; {hint}",
                workspace.display()
            ));
        }
        return ExitCode::from(EXIT_INVALID);
    }
    match load(workspace) {
        Ok(ws) => {
            if !json {
                let _ = output::stdout(format!("ok: {}\n", summary(&ws)).as_bytes());
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            if json {
                let source = crate::workspace::load::read(workspace).ok();
                let lines: Vec<JsonDiagnostic> = diagnostics
                    .iter()
                    .map(|d| to_json(d, source.as_deref()))
                    .collect();
                print_json_lines(&lines);
            } else {
                for d in &diagnostics {
                    output::stderr_line(&d.to_string());
                }
                output::error(format_args!(
                    "{}; fix {} and run `payloads check` again",
                    count(diagnostics.len(), "error", "errors"),
                    if diagnostics.len() == 1 { "it" } else { "them" }
                ));
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn print_json_lines(lines: &[JsonDiagnostic]) {
    let mut text = String::new();
    for line in lines {
        text.push_str(&serde_json::to_string(line).unwrap_or_default());
        text.push('\n');
    }
    let _ = output::stdout(text.as_bytes());
}

/// One diagnostic of `check --json`: where (1-based line and column in characters; `end` is the
/// position just after the token the diagnostic points at), what record it is in, what is wrong,
/// and the likely fix when the message names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    pub path: String,
    /// `null` for a problem with the file as a whole (missing, unreadable).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end: Option<JsonPos>,
    /// Always `error` today; `warning` is reserved.
    pub severity: &'static str,
    pub record: Option<JsonRecord>,
    pub message: String,
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonPos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonRecord {
    /// `integration`, `credential`, `payload` or `variable`.
    pub kind: &'static str,
    pub id: String,
}

fn to_json(d: &Diagnostic, source: Option<&str>) -> JsonDiagnostic {
    let positioned = d.line > 0;
    JsonDiagnostic {
        path: d.path.display().to_string(),
        line: positioned.then_some(d.line),
        column: positioned.then_some(d.col),
        end: if positioned {
            Some(source.map_or(
                JsonPos {
                    line: d.line,
                    column: d.col,
                },
                |s| token_end(s, d.line, d.col),
            ))
        } else {
            None
        },
        severity: "error",
        record: record_of(&d.message),
        message: d.message.clone(),
        suggestion: suggestion_in(&d.message),
    }
}

/// Where the token starting at `line:col` ends (the position after it); the start itself when no
/// token starts there (the end of the file, say).
fn token_end(source: &str, line: usize, col: usize) -> JsonPos {
    let line_start = if line <= 1 {
        0
    } else {
        match source.match_indices('\n').nth(line - 2) {
            Some((i, _)) => i + 1,
            None => source.len(),
        }
    };
    let rest = &source[line_start..];
    let offset = line_start
        + rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
    let end = crate::ronpatch::syntax::tokenize_lossy(source)
        .into_iter()
        .find(|t| t.start == offset)
        .map_or(offset, |t| t.end);
    let before = &source[..end];
    JsonPos {
        line: 1 + before.matches('\n').count(),
        column: 1 + before.rsplit('\n').next().unwrap_or("").chars().count(),
    }
}

/// The record a message is about, from its `payload "id": …` opening.
fn record_of(message: &str) -> Option<JsonRecord> {
    for kind in ["integration", "credential", "payload", "variable"] {
        let Some(rest) = message
            .strip_prefix(kind)
            .and_then(|r| r.strip_prefix(" \""))
        else {
            continue;
        };
        let end = rest.find("\": ")?;
        return Some(JsonRecord {
            kind,
            id: rest[..end].to_string(),
        });
    }
    None
}

/// The fix a message proposes: `did you mean `x`?`, `(did you mean "x"?)`, `(try "x")`,
/// `e.g. "x"`.
fn suggestion_in(message: &str) -> Option<String> {
    for opening in ["did you mean ", "(try ", "e.g. "] {
        let Some(at) = message.rfind(opening) else {
            continue;
        };
        let rest = &message[at + opening.len()..];
        let quote = rest.chars().next()?;
        if quote != '`' && quote != '"' {
            continue;
        }
        let inner = &rest[1..];
        if let Some(end) = inner.find(quote) {
            return Some(inner[..end].to_string());
        }
    }
    None
}

/// `1 integration, 2 credentials, 5 payloads`.
pub fn summary(ws: &Workspace) -> String {
    let parts = [
        count(ws.integrations.len(), "integration", "integrations"),
        count(ws.credentials.len(), "credential", "credentials"),
        count(ws.payloads.len(), "payload", "payloads"),
    ];
    parts.join(", ")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_correct_plurals() {
        let ws: Workspace = crate::workspace::load::ron_options()
            .from_str(crate::workspace::DEMO_WORKSPACE)
            .unwrap();
        assert_eq!(summary(&ws), "1 integration, 3 credentials, 8 payloads");
        assert_eq!(
            summary(&Workspace::default()),
            "0 integrations, 0 credentials, 0 payloads"
        );
    }

    #[test]
    fn records_and_suggestions_are_read_from_messages() {
        assert_eq!(
            record_of("payload \"ping\": unknown method `Get`; did you mean `GET`?"),
            Some(JsonRecord {
                kind: "payload",
                id: "ping".into()
            })
        );
        assert_eq!(record_of("unexpected end of file"), None);
        assert_eq!(
            suggestion_in("unknown method `Get`; did you mean `GET`?").as_deref(),
            Some("GET")
        );
        assert_eq!(
            suggestion_in("integration \"sandbx\" does not exist (did you mean \"sandbox\"?)")
                .as_deref(),
            Some("sandbox")
        );
        assert_eq!(
            suggestion_in("invalid id; ids are lowercase (try \"ping-me\")").as_deref(),
            Some("ping-me")
        );
        assert_eq!(suggestion_in("missing field `kind`"), None);
    }

    #[test]
    fn end_is_after_the_token() {
        let source = "(\n  name: \"x y\",\n)";
        assert_eq!(
            token_end(source, 2, 9),
            JsonPos {
                line: 2,
                column: 14
            }
        );
        assert_eq!(token_end(source, 2, 3), JsonPos { line: 2, column: 7 });
        assert_eq!(token_end(source, 9, 1), JsonPos { line: 3, column: 2 });
    }
}
