//! `J` in a Job's detail: a JSONPath (RFC 9535) query line over the response body, its matches
//! shown as it is typed, and Enter to keep it as a response value of the Job's Payload (asking
//! its name, then optionally a Data Target: a Variable, or for a token request its Credential's
//! tokens), saved through the same edit path as the Payload form. The body is parsed once when
//! the line opens, so a key on a 1 MiB body costs the query, not the parse.

use super::app::{App, Overlay, Screen};
use super::edits::Edit;
use super::keys::Command;
use super::message::Action;
use super::scroll::Scroll;
use crate::jobs::JobId;
use crate::workspace::{
    CredentialField, DataTarget, PayloadKind, ResponseValue, Target, ValueSource, Variable,
    Workspace,
};
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
    /// Some while the Data Target is chosen, after Enter on the name.
    pub target: Option<TargetPick>,
    /// Why the last save was refused (a name taken, …), shown on the line.
    pub refused: Option<String>,
    body: Arc<serde_json::Value>,
}

/// One place the new value may also be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetOption {
    /// Nowhere: the value is only read (the default).
    None,
    /// An existing Variable, by name.
    Variable(String),
    /// A Variable named as it is typed, created with the value.
    NewVariable,
    /// A token field of the Credential whose token request the Payload is.
    Credential {
        id: String,
        name: String,
        field: CredentialField,
    },
}

/// The Data Target being chosen: the options, the one picked, and a new Variable's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPick {
    pub options: Vec<TargetOption>,
    pub selected: usize,
    pub new_variable: String,
}

impl TargetPick {
    /// The options for a value of `payload_id`: none, the Variables by name, a new one, and for
    /// a token request its Credential's access token, refresh token and expiry.
    pub fn for_payload(workspace: &Workspace, payload_id: &str) -> TargetPick {
        let mut options = vec![TargetOption::None];
        options.extend(
            workspace
                .variables
                .iter()
                .map(|v| TargetOption::Variable(v.name.clone())),
        );
        options.push(TargetOption::NewVariable);
        let credential = workspace
            .payload(payload_id)
            .filter(|p| p.kind == PayloadKind::Credential)
            .and_then(|p| p.credential.as_deref())
            .and_then(|id| workspace.credential(id));
        if let Some(c) = credential {
            for field in [
                CredentialField::AccessToken,
                CredentialField::RefreshToken,
                CredentialField::ExpiresIn,
            ] {
                options.push(TargetOption::Credential {
                    id: c.id.to_string(),
                    name: c.name.clone(),
                    field,
                });
            }
        }
        TargetPick {
            options,
            selected: 0,
            new_variable: String::new(),
        }
    }

    pub fn picked(&self) -> &TargetOption {
        &self.options[self.selected.min(self.options.len() - 1)]
    }

    fn move_by(&mut self, down: bool) {
        let last = self.options.len() - 1;
        self.selected = if down {
            (self.selected + 1).min(last)
        } else {
            self.selected.saturating_sub(1)
        };
    }

    /// Typing names a new Variable, so it picks that option.
    fn type_name(&mut self, edit: impl FnOnce(&mut String)) {
        edit(&mut self.new_variable);
        if let Some(i) = self
            .options
            .iter()
            .position(|o| *o == TargetOption::NewVariable)
        {
            self.selected = i;
        }
    }
}

/// How a Credential field is said on screen.
pub fn field_label(field: CredentialField) -> &'static str {
    match field {
        CredentialField::AccessToken => "access token",
        CredentialField::RefreshToken => "refresh token",
        CredentialField::ExpiresIn => "token duration (expires_in)",
    }
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
            target: None,
            refused: None,
            body: Arc::new(body),
        })));
    }

    /// A key on the query line (typing the path, the value's name, or choosing its target).
    pub(super) fn on_query_key(
        &mut self,
        mut line: Box<QueryLine>,
        command: Option<Command>,
        key: KeyEvent,
    ) -> Vec<Action> {
        if let Some(pick) = &mut line.target {
            match (command, key.code) {
                (Some(Command::Dismiss), _) => {
                    line.target = None;
                    line.refused = None;
                }
                (Some(Command::Confirm), _) => return self.save_query(line),
                (Some(Command::Scroll(s)), _) => {
                    pick.move_by(matches!(s, Scroll::Down));
                    line.refused = None;
                }
                (_, KeyCode::Backspace) => {
                    pick.type_name(|n| {
                        n.pop();
                    });
                    line.refused = None;
                }
                (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    pick.type_name(|n| n.push(c));
                    line.refused = None;
                }
                _ => {}
            }
            self.overlays.push(Overlay::Query(line));
            return vec![];
        }
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
            (Some(Command::Confirm), _) => match &line.naming {
                None => match line.matches() {
                    Matches::Invalid(_) | Matches::Empty => {
                        line.refused = Some("fix the path first".into());
                    }
                    Matches::Found { .. } => {
                        line.refused = None;
                        line.naming = Some(String::new());
                    }
                },
                Some(name) => {
                    // The name is checked before the target is asked, so a taken name is
                    // said where it can be fixed.
                    match self.name_refused(&line.payload, name.trim()) {
                        Some(why) => line.refused = Some(why),
                        None => {
                            line.refused = None;
                            line.target =
                                Some(TargetPick::for_payload(&self.workspace, &line.payload));
                        }
                    }
                }
            },
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

    /// Why `name` cannot be a new value of `payload`, if it cannot.
    fn name_refused(&self, payload: &str, name: &str) -> Option<String> {
        if name.is_empty() {
            return Some("type a name for the value".into());
        }
        let Some(payload) = self.workspace.payload(payload) else {
            return Some(format!("the Payload {payload} is no longer in the file"));
        };
        payload
            .response
            .iter()
            .any(|v| v.name == name)
            .then(|| format!("{} already has a value named {name}", payload.id))
    }

    /// Adds the path as a response value of the Job's Payload, with the Data Target picked; the
    /// line stays open with the reason when the edit is refused. A new Variable is created
    /// (empty until the first run writes it) in a second edit once the Payload's is accepted.
    fn save_query(&mut self, mut line: Box<QueryLine>) -> Vec<Action> {
        let name = line.naming.clone().unwrap_or_default().trim().to_string();
        let refuse = |app: &mut App, mut line: Box<QueryLine>, why: String| {
            line.refused = Some(why);
            app.overlays.push(Overlay::Query(line));
            vec![]
        };
        if let Some(why) = self.name_refused(&line.payload, &name) {
            // Back to the name, where it can be fixed.
            line.target = None;
            return refuse(self, line, why);
        }
        let Some(mut payload) = self.workspace.payload(&line.payload).cloned() else {
            return vec![];
        };
        let picked = line.target.as_ref().map(|t| t.picked().clone());
        let (target, new_variable) = match picked {
            None | Some(TargetOption::None) => (None, None),
            Some(TargetOption::Variable(v)) => (Some(Target::Variable(v)), None),
            Some(TargetOption::NewVariable) => {
                let typed = line
                    .target
                    .as_ref()
                    .map(|t| t.new_variable.trim().to_string())
                    .unwrap_or_default();
                if typed.is_empty() {
                    return refuse(self, line, "type the new Variable's name".into());
                }
                if self.workspace.variable(&typed).is_some() {
                    (Some(Target::Variable(typed)), None)
                } else {
                    (Some(Target::Variable(typed.clone())), Some(typed))
                }
            }
            Some(TargetOption::Credential { field, .. }) => (Some(Target::Credential(field)), None),
        };
        payload.response.push(ResponseValue {
            name: name.clone(),
            source: ValueSource::JsonPath(line.path.clone()),
        });
        let into = match &target {
            None => String::new(),
            Some(Target::Variable(v)) => format!(", written into the Variable {v}"),
            Some(Target::Credential(f)) => {
                format!(", written into its Credential's {}", field_label(*f))
            }
        };
        if let Some(target) = target {
            payload.targets.push(DataTarget {
                value: name.clone(),
                target,
            });
        }
        let id = payload.id.to_string();
        let mut actions = match self.commit(Edit::Payload {
            original: Some(id.clone()),
            payload,
        }) {
            Ok(actions) => actions,
            Err(why) => return refuse(self, line, why),
        };
        if let Some(variable) = new_variable {
            match self.commit(Edit::Variable {
                original: None,
                variable: Variable {
                    name: variable.clone(),
                    value: String::new(),
                    secret: false,
                },
            }) {
                Ok(more) => actions.extend(more),
                // The Payload is saved; its target creates the Variable on the first run.
                Err(why) => {
                    self.note = Some(format!("the Variable {variable} was not created: {why}"));
                    return actions;
                }
            }
        }
        self.note = Some(format!(
            "{id} reads {} into the value {name}{into} from its next run",
            line.path
        ));
        actions
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
        /// Whatever moves and typing, the pick stays on an option, and typing picks the new
        /// Variable with the text typed.
        #[test]
        fn the_target_pick_stays_on_an_option(
            variables in 0usize..4,
            moves in proptest::collection::vec(proptest::bool::ANY, 0..20),
            typed in "\\PC{0,10}",
        ) {
            let mut options = vec![TargetOption::None];
            options.extend((0..variables).map(|i| TargetOption::Variable(format!("v{i}"))));
            options.push(TargetOption::NewVariable);
            let mut pick = TargetPick { options, selected: 0, new_variable: String::new() };
            for down in moves {
                pick.move_by(down);
                proptest::prop_assert!(pick.selected < pick.options.len());
            }
            let _ = pick.picked();
            for c in typed.chars() {
                pick.type_name(|n| n.push(c));
            }
            if !typed.is_empty() {
                proptest::prop_assert_eq!(pick.picked(), &TargetOption::NewVariable);
                proptest::prop_assert_eq!(&pick.new_variable, &typed);
            }
        }

        /// Whatever is typed, the line answers (a match, none, or why the path is invalid).
        #[test]
        fn any_typed_path_gets_an_answer(path in "\\PC{0,40}") {
            let body = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
            let _ = evaluate(&body, &path);
        }
    }
}
