//! `J` in a Job's detail: a JSONPath (RFC 9535) query line over the response body, its matches
//! shown as it is typed, and Enter to keep it as a response value of the Job's Payload (asking
//! its name), saved through the same edit path as the Payload form. The body is parsed once when
//! the line opens, so a key on a 1 MiB body costs the query, not the parse.

use super::app::{App, Overlay, Screen};
use super::edits::Edit;
use super::keys::Command;
use super::message::Action;
use crate::jobs::JobId;
use crate::workspace::{ResponseValue, ValueSource};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json_path::JsonPath;
use std::sync::Arc;

/// The most matches listed (the count says how many there are in all).
pub const SHOWN: usize = 50;

/// The open query line.
#[derive(Debug, Clone)]
pub struct QueryLine {
    pub job_id: JobId,
    pub payload: String,
    pub path: String,
    /// Some while the value's name is typed, after Enter on the path.
    pub naming: Option<String>,
    /// Why the last save was refused (a name taken, …), shown on the line.
    pub refused: Option<String>,
    body: Arc<serde_json::Value>,
}

/// What the path finds in the body now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matches {
    /// Nothing typed yet.
    Empty,
    /// The path does not parse: why.
    Invalid(String),
    /// How many values match, and the first `SHOWN` of them as compact JSON, control
    /// characters made visible.
    Found { count: usize, values: Vec<String> },
}

impl QueryLine {
    pub fn matches(&self) -> Matches {
        evaluate(&self.body, &self.path)
    }
}

/// `path` over `body`.
pub fn evaluate(body: &serde_json::Value, path: &str) -> Matches {
    if path.trim().is_empty() {
        return Matches::Empty;
    }
    match JsonPath::parse(path) {
        Err(e) => Matches::Invalid(crate::jobs::render::printable(&e.to_string())),
        Ok(parsed) => {
            let nodes = parsed.query(body).all();
            Matches::Found {
                count: nodes.len(),
                values: nodes
                    .into_iter()
                    .take(SHOWN)
                    .map(|v| crate::jobs::render::printable(&v.to_string()))
                    .collect(),
            }
        }
    }
}

impl App {
    /// `J` in a Job's detail: opens the query line when the body is JSON.
    pub(super) fn open_query(&mut self) {
        let Screen::JobDetail { job_id, .. } = &self.screen else {
            return;
        };
        let job_id = job_id.clone();
        if self.job_is_partial(&job_id) {
            self.note = Some("the Job is still being read: J again in a moment".into());
            return;
        }
        let Some(job) = self.job(&job_id) else {
            return;
        };
        let Some(response) = job.response.as_ref().filter(|r| !r.body.is_empty()) else {
            self.note = Some("J queries the response body: this Job has none".into());
            return;
        };
        let body = match serde_json::from_str::<serde_json::Value>(&response.body) {
            Ok(body) => body,
            Err(_) => {
                self.note = Some("J queries JSON bodies: this body is not JSON".into());
                return;
            }
        };
        let payload = job.payload.to_string();
        self.overlays.push(Overlay::Query(Box::new(QueryLine {
            job_id,
            payload,
            path: "$".into(),
            naming: None,
            refused: None,
            body: Arc::new(body),
        })));
    }

    /// A key on the query line (typing the path, or the value's name).
    pub(super) fn on_query_key(
        &mut self,
        mut line: Box<QueryLine>,
        command: Option<Command>,
        key: KeyEvent,
    ) -> Vec<Action> {
        let typing = match &mut line.naming {
            Some(name) => name,
            None => &mut line.path,
        };
        match (command, key.code) {
            (Some(Command::Dismiss), _) => {
                if line.naming.take().is_none() {
                    return vec![];
                }
                line.refused = None;
            }
            (Some(Command::Confirm), _) => {
                if line.naming.is_none() {
                    match line.matches() {
                        Matches::Invalid(_) | Matches::Empty => {
                            line.refused = Some("fix the path first".into());
                        }
                        Matches::Found { .. } => {
                            line.refused = None;
                            line.naming = Some(String::new());
                        }
                    }
                } else {
                    return self.save_query(line);
                }
            }
            (_, KeyCode::Backspace) => {
                typing.pop();
                line.refused = None;
            }
            (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                typing.push(c);
                line.refused = None;
            }
            _ => {}
        }
        self.overlays.push(Overlay::Query(line));
        vec![]
    }

    /// Adds the path as a response value of the Job's Payload; the line stays open with the
    /// reason when the edit is refused.
    fn save_query(&mut self, mut line: Box<QueryLine>) -> Vec<Action> {
        let name = line.naming.clone().unwrap_or_default().trim().to_string();
        let refuse = |app: &mut App, mut line: Box<QueryLine>, why: String| {
            line.refused = Some(why);
            app.overlays.push(Overlay::Query(line));
            vec![]
        };
        if name.is_empty() {
            return refuse(self, line, "type a name for the value".into());
        }
        let Some(mut payload) = self.workspace.payload(&line.payload).cloned() else {
            let why = format!("the Payload {} is no longer in the file", line.payload);
            return refuse(self, line, why);
        };
        if payload.response.iter().any(|v| v.name == name) {
            return refuse(
                self,
                line,
                format!("{} already has a value named {name}", payload.id),
            );
        }
        payload.response.push(ResponseValue {
            name: name.clone(),
            source: ValueSource::JsonPath(line.path.clone()),
        });
        let id = payload.id.to_string();
        match self.commit(Edit::Payload {
            original: Some(id.clone()),
            payload,
        }) {
            Ok(actions) => {
                self.note = Some(format!(
                    "{id} reads {} into the value {name} from its next run",
                    line.path
                ));
                actions
            }
            Err(why) => {
                line.naming = Some(name);
                refuse(self, line, why)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_counted_and_shown_as_json_with_control_characters_visible() {
        let body = serde_json::json!({"items": [{"id": 1}, {"id": 2, "note": "a\u{1b}[2Jb"}]});
        assert_eq!(evaluate(&body, " "), Matches::Empty);
        assert_eq!(
            evaluate(&body, "$.items[*].id"),
            Matches::Found {
                count: 2,
                values: vec!["1".into(), "2".into()]
            }
        );
        let Matches::Found { values, .. } = evaluate(&body, "$..note") else {
            panic!("found");
        };
        assert!(!values[0].contains('\u{1b}'), "{values:?}");
        assert!(matches!(evaluate(&body, "$.items[?"), Matches::Invalid(_)));
        assert!(matches!(evaluate(&body, "items"), Matches::Invalid(_)));
    }

    proptest::proptest! {
        /// Whatever is typed, the line answers (a match, none, or why the path is invalid).
        #[test]
        fn any_typed_path_gets_an_answer(path in "\\PC{0,40}") {
            let body = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
            let _ = evaluate(&body, &path);
        }
    }
}
