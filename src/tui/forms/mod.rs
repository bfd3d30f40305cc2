//! Forms: a list of labelled fields (text, multi-line, secret, choice), moving between them, and
//! per-field validation. What a form creates lives in one file per record type.

pub mod choices;
pub mod credential;
pub mod integration;
pub mod payload;
pub mod run_inputs;
pub mod validate;
pub mod variable;

pub use choices::Choice;

use super::keys::{Command, FieldContext};
use super::widgets::{InputKind, TextInput};
use crossterm::event::KeyEvent;

/// What submitting a form does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    Integration {
        original: Option<String>,
    },
    Credential {
        original: Option<String>,
    },
    Payload {
        original: Option<String>,
    },
    /// A Variable, by its name before the edit.
    Variable {
        original: Option<String>,
    },
    RunInputs {
        payload_id: String,
    },
}

// A form holds a handful of fields: boxing the text inputs would buy nothing.
#[expect(
    clippy::large_enum_variant,
    reason = "one per kind, short-lived; unboxed they read better"
)]
#[derive(Debug, Clone)]
pub enum FieldInput {
    Text(TextInput),
    Choice {
        options: Vec<String>,
        selected: usize,
    },
}

pub type Validator = fn(&str) -> Result<(), String>;

/// The name of a form field: the record builders read fields by these, so a misspelt field is a
/// compile error, not a lookup that fails at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Id,
    Name,
    Integration,
    Description,
    Timeout,
    Headers,
    // Integration
    BaseUrl,
    Insecure,
    CaCert,
    // Credential
    Type,
    ClientId,
    ClientSecret,
    AccessToken,
    RefreshToken,
    Duration,
    TokenPayload,
    /// How the Credential obtains tokens (the grant; a login for the first ones).
    Grant,
    /// The Token Payload's endpoint and client authentication, from the Credential form.
    TokenEndpoint,
    /// The login's issuer (discovery), device authorization / authorization endpoint, scope.
    Issuer,
    LoginEndpoint,
    Scope,
    /// A text field of a Credential type the form shows straight from its field table: the
    /// type and the field's place in the table.
    Auth(crate::workspace::CredentialType, u8),
    /// Whether a refused refresh token falls back to the client credentials grant once.
    Fallback,
    KeyHeader,
    KeyValue,
    Placement,
    CustomName,
    CustomValue,
    CertPath,
    KeyPath,
    // Payload
    Kind,
    Method,
    Endpoint,
    Credential,
    ClientAuth,
    Parameters,
    BodyKind,
    ContentType,
    Body,
    Response,
    Targets,
    Inputs,
    /// A new Payload's "From curl" field.
    Curl,
    // Variable
    Value,
    Secret,
    /// A dynamic input of the run-inputs form (read by position, named by its label).
    Input,
}

impl FieldKey {
    /// The kind of record a choice of this key names (by id), which Enter opens.
    pub fn names_a_record(self) -> Option<crate::tui::edits::RecordKind> {
        match self {
            FieldKey::TokenPayload => Some(crate::tui::edits::RecordKind::Payload),
            // A Payload's Credential.
            FieldKey::Credential => Some(crate::tui::edits::RecordKind::Credential),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The name the record builders read the field by.
    pub key: FieldKey,
    pub label: String,
    pub input: FieldInput,
    pub hint: String,
    pub error: Option<String>,
    pub validate: Option<Validator>,
    /// Shown only while the choice field named here has one of these values (their labels).
    pub shown_when: Option<(FieldKey, Vec<&'static str>)>,
    /// For a choice: the choice field whose value narrows the options, and per option the value
    /// it belongs to ("" = always offered), e.g. the Credentials of the chosen Integration.
    pub narrowed_by: Option<(FieldKey, Vec<String>)>,
    /// For a choice of records: how each option is shown (its name with its id after it),
    /// parallel to the options; the value stays the id.
    pub shown: Option<Vec<String>>,
    /// The value the form opened with, to tell what the user changed.
    pub initial: String,
}

impl Field {
    pub fn text(key: FieldKey, label: &str, kind: InputKind, value: &str) -> Field {
        let input = TextInput::new(kind, value);
        Field {
            key,
            label: label.to_string(),
            initial: input.value(),
            input: FieldInput::Text(input),
            hint: String::new(),
            error: None,
            validate: None,
            shown_when: None,
            narrowed_by: None,
            shown: None,
        }
    }

    pub fn line(key: FieldKey, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::SingleLine, value)
    }

    pub fn secret(key: FieldKey, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::Secret, value).hint(
            "secret: masked; Ctrl-R reveals or hides it; {{env.NAME}} keeps it out of the file",
        )
    }

    pub fn multi(key: FieldKey, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::MultiLine, value)
    }

    /// A choice among a closed set of values, `current` selected.
    pub fn choose<T: Choice>(key: FieldKey, label: &str, current: T) -> Field {
        Field::choice(key, label, T::labels(), current.label())
    }

    /// A choice among the workspace's records (their ids), `current` selected.
    pub fn choice(key: FieldKey, label: &str, options: Vec<String>, current: &str) -> Field {
        let selected = options.iter().position(|o| o == current).unwrap_or(0);
        Field {
            initial: options.get(selected).cloned().unwrap_or_default(),
            key,
            label: label.to_string(),
            input: FieldInput::Choice { options, selected },
            hint: "←/→ or Space to choose".to_string(),
            error: None,
            validate: None,
            shown_when: None,
            narrowed_by: None,
            shown: None,
        }
    }

    /// A choice among records, each option `(id, name)`: shown as `Name (id)`, valued by id.
    pub fn choice_of_records(
        key: FieldKey,
        label: &str,
        options: Vec<(String, String)>,
        current: &str,
    ) -> Field {
        let shown = options
            .iter()
            .map(|(id, name)| crate::tui::edits::named(name, id))
            .collect();
        let ids = options.into_iter().map(|(id, _)| id).collect();
        let mut field = Field::choice(key, label, ids, current);
        field.shown = Some(shown);
        field
    }

    /// How the option at `index` is shown: its name with its id, or the option itself.
    pub fn option_shown(&self, index: usize) -> Option<&str> {
        let FieldInput::Choice { options, .. } = &self.input else {
            return None;
        };
        self.shown
            .as_ref()
            .and_then(|s| s.get(index))
            .or(options.get(index))
            .map(String::as_str)
    }

    pub fn placeholder(mut self, example: &str) -> Field {
        if let FieldInput::Text(t) = &mut self.input {
            t.set_placeholder(example);
        }
        self
    }

    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = hint.to_string();
        self
    }

    pub fn validated(mut self, validate: Validator) -> Field {
        self.validate = Some(validate);
        self
    }

    /// Shown only while the choice `key` (of records, by id) holds one of `values`.
    pub fn shown_when_value(mut self, key: FieldKey, values: &[&'static str]) -> Field {
        self.shown_when = Some((key, values.to_vec()));
        self
    }

    /// Shown only while the choice `key` holds one of `values`.
    pub fn shown_when<T: Choice>(mut self, key: FieldKey, values: &[T]) -> Field {
        self.shown_when = Some((key, values.iter().map(|v| v.label()).collect()));
        self
    }

    /// Offers only the options whose owner (parallel to the options) is the value of the choice
    /// field `key`, or blank.
    pub fn narrowed_by(mut self, key: FieldKey, owners: Vec<String>) -> Field {
        self.narrowed_by = Some((key, owners));
        self
    }

    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text(t) => t.value(),
            FieldInput::Choice { options, selected } => {
                options.get(*selected).cloned().unwrap_or_default()
            }
        }
    }

    /// Whether the user changed the value since the form opened.
    pub fn changed(&self) -> bool {
        self.value() != self.initial
    }

    fn check(&mut self) -> bool {
        self.error = self.validate.and_then(|v| v(&self.value()).err());
        self.error.is_none()
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Continue,
    Submit,
    Cancel,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub purpose: FormPurpose,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Enter anywhere submits (the small run-inputs form); otherwise Enter moves on.
    pub enter_submits: bool,
    /// A problem with the whole form, such as a save that the workspace refused.
    pub error: Option<String>,
    /// Lines shown under the fields until the form closes: what a pasted curl command filled
    /// in, and every flag of it that was not understood.
    pub notes: Vec<String>,
    /// A new Payload's "From curl" field: the command last read into the form, and the
    /// Credential it offers.
    pub curl: Option<Box<payload::CurlState>>,
    /// Esc was pressed with unsaved changes: a second Esc discards them.
    discard_asked: bool,
    /// Ctrl-C was pressed with unsaved changes: a second one quits.
    interrupt_asked: bool,
    /// A new record's id follows its name as it is typed: the ids in use then, to make it unique.
    /// None when editing (ids are fixed) and once the user typed an id of their own.
    id_from_name: Option<Vec<String>>,
}

/// What the first Esc on a changed form says.
pub const DISCARD_QUESTION: &str = "unsaved changes: Esc again discards them, Ctrl-S saves";
/// What the first Ctrl-C on a changed form says.
pub const INTERRUPT_QUESTION: &str =
    "unsaved changes: Ctrl-C again quits without them, Ctrl-S saves, any other key goes on";

impl Form {
    pub fn new(title: impl Into<String>, purpose: FormPurpose, fields: Vec<Field>) -> Form {
        let mut form = Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            enter_submits: false,
            error: None,
            notes: Vec::new(),
            curl: None,
            discard_asked: false,
            interrupt_asked: false,
            id_from_name: None,
        };
        form.focus_field(0);
        form
    }

    /// Puts the Name first, and the Id after it. An edited record keeps its id (other records
    /// refer to it), so its form has no id field; a new record's id is made from the name as it
    /// is typed (`Sandbox OAuth` → `sandbox-oauth`, `-2` when taken) until the user types an id
    /// of their own.
    pub fn arrange_id(&mut self, ws: &crate::workspace::Workspace) {
        let editing = matches!(
            &self.purpose,
            FormPurpose::Integration { original: Some(_) }
                | FormPurpose::Credential { original: Some(_) }
                | FormPurpose::Payload { original: Some(_) }
        );
        if let Some(at) = self.fields.iter().position(|f| f.key == FieldKey::Name) {
            let name = self.fields.remove(at);
            self.fields.insert(0, name);
        }
        if editing {
            self.fields.retain(|f| f.key != FieldKey::Id);
        } else if let Some(at) = self.fields.iter().position(|f| f.key == FieldKey::Id) {
            let id = self.fields.remove(at);
            self.fields.insert(1, id);
            let taken = ws
                .integrations
                .iter()
                .map(|i| i.id.to_string())
                .chain(ws.credentials.iter().map(|c| c.id.to_string()))
                .chain(ws.payloads.iter().map(|p| p.id.to_string()))
                .collect();
            self.id_from_name = Some(taken);
        }
        self.focus_field(0);
    }

    /// After the focused text field changed: typing an id stops the id following the name;
    /// typing the name makes the id from it.
    fn follow_name(&mut self) {
        match self.fields[self.focus].key {
            FieldKey::Id => {
                // A key that moved the cursor, or typed the id it already had, changes nothing.
                if let Some(taken) = &self.id_from_name
                    && self.value(FieldKey::Id) != id_from_name(&self.value(FieldKey::Name), taken)
                {
                    self.id_from_name = None;
                }
            }
            FieldKey::Name => {
                let Some(taken) = &self.id_from_name else {
                    return;
                };
                let id = id_from_name(&self.value(FieldKey::Name), taken);
                self.set_text(FieldKey::Id, &id);
            }
            _ => {}
        }
    }

    pub fn field(&self, key: FieldKey) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The text of a field; blank when this form has no such field (an edited record's id).
    pub fn value(&self, key: FieldKey) -> String {
        self.field(key).map(Field::value).unwrap_or_default()
    }

    /// The value of a typed choice; None when the form has no such field.
    pub fn choice<T: Choice>(&self, key: FieldKey) -> Option<T> {
        T::from_label(&self.field(key)?.value())
    }

    /// Puts `value` in the text field `key` (made from the name, found by discovery): the field
    /// keeps its kind, and its cursor when it has it.
    pub fn set_text(&mut self, key: FieldKey, value: &str) {
        let Some(at) = self.fields.iter().position(|f| f.key == key) else {
            return;
        };
        let field = &mut self.fields[at];
        if let FieldInput::Text(input) = &mut field.input {
            let mut replaced = TextInput::new(input.kind(), value);
            replaced.set_focused(at == self.focus);
            *input = replaced;
            field.error = None;
        }
    }

    /// Whether the user changed this field since the form opened.
    pub fn changed(&self, key: FieldKey) -> bool {
        self.field(key).is_some_and(Field::changed)
    }

    pub fn has_field(&self, key: FieldKey) -> bool {
        self.field(key).is_some()
    }

    pub fn is_visible(&self, index: usize) -> bool {
        match &self.fields[index].shown_when {
            None => true,
            // Hidden with the field it depends on, so a choice under a hidden one stays hidden.
            Some((key, values)) => {
                values.contains(&self.value(*key).as_str())
                    && self
                        .fields
                        .iter()
                        .position(|f| f.key == *key)
                        .is_none_or(|i| i != index && self.is_visible(i))
            }
        }
    }

    /// Whether the field `key` is on the form and shown now.
    pub fn is_visible_key(&self, key: FieldKey) -> bool {
        self.fields
            .iter()
            .position(|f| f.key == key)
            .is_some_and(|i| self.is_visible(i))
    }

    pub fn visible_indices(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.is_visible(i))
            .collect()
    }

    /// The options of the choice field at `index` that are offered now, as indices.
    pub fn offered(&self, index: usize) -> Vec<usize> {
        let FieldInput::Choice { options, .. } = &self.fields[index].input else {
            return Vec::new();
        };
        match &self.fields[index].narrowed_by {
            None => (0..options.len()).collect(),
            Some((key, owners)) => {
                let by = self.value(*key);
                (0..options.len())
                    .filter(|&i| owners.get(i).is_none_or(|o| o.is_empty() || *o == by))
                    .collect()
            }
        }
    }

    /// After a choice changed, a narrowed choice whose option is no longer offered falls back to
    /// the first one that is (a Credential of another Integration would be refused on save).
    fn fit_narrowed_choices(&mut self) {
        for index in 0..self.fields.len() {
            let offered = self.offered(index);
            if let FieldInput::Choice { selected, .. } = &mut self.fields[index].input
                && !offered.contains(selected)
                && let Some(&first) = offered.first()
            {
                *selected = first;
            }
        }
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus]
    }

    pub fn focus_field(&mut self, index: usize) {
        for (i, field) in self.fields.iter_mut().enumerate() {
            if let FieldInput::Text(t) = &mut field.input {
                t.set_focused(i == index);
            }
        }
        self.focus = index;
    }

    /// Moves to the next (or previous) visible field, checking the one being left.
    pub fn move_focus(&mut self, forward: bool) {
        if self.is_visible(self.focus) {
            self.fields[self.focus].check();
        }
        let visible = self.visible_indices();
        if visible.is_empty() {
            return;
        }
        let at = visible.iter().position(|&i| i == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1) % visible.len()
        } else {
            (at + visible.len() - 1) % visible.len()
        };
        self.focus_field(visible[next]);
    }

    /// Focuses the field with this key (used to point at a refused value).
    pub fn focus_key(&mut self, key: FieldKey) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus_field(i);
        }
    }

    /// Sets the reason a field's value is refused and moves the cursor there.
    pub fn refuse(&mut self, key: FieldKey, reason: impl Into<String>) {
        let reason = reason.into();
        match self.fields.iter_mut().find(|f| f.key == key) {
            Some(field) => field.error = Some(reason),
            // A refusal always reaches the user, on the form when not at a field.
            None => self.error = Some(reason),
        }
        self.focus_key(key);
    }

    /// Runs every visible field's check; focuses the first refused one.
    pub fn check_all(&mut self) -> bool {
        let mut first_bad = None;
        for i in self.visible_indices() {
            if !self.fields[i].check() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.focus_field(i);
        }
        first_bad.is_none()
    }

    /// Whether any field differs from what the form opened with.
    pub fn is_changed(&self) -> bool {
        self.fields.iter().any(Field::changed)
    }

    /// Pastes into the focused text field; false when it is a choice.
    pub fn paste(&mut self, text: &str) -> bool {
        self.discard_asked = false;
        let field = &mut self.fields[self.focus];
        let FieldInput::Text(input) = &mut field.input else {
            return false;
        };
        input.paste(text);
        field.error = None;
        self.follow_name();
        true
    }

    /// Ctrl-C on the form: true when it asked (changes would be lost), false to quit now.
    pub fn ask_before_interrupt(&mut self) -> bool {
        if self.interrupt_asked || !self.is_changed() {
            return false;
        }
        self.interrupt_asked = true;
        self.error = Some(INTERRUPT_QUESTION.to_string());
        true
    }

    /// Which keys the focused field takes, for the keymap.
    pub fn field_context(&self) -> FieldContext {
        if self.enter_submits {
            return FieldContext::RunInputs;
        }
        match &self.focused().input {
            FieldInput::Choice { .. } if self.focused().key.names_a_record().is_some() => {
                FieldContext::Reference
            }
            FieldInput::Choice { .. } => FieldContext::Choice,
            FieldInput::Text(t) if t.is_multiline() => FieldContext::MultiLine,
            FieldInput::Text(_) => FieldContext::Line,
        }
    }

    /// A key pressed in the form, with the command the keymap bound it to here; an unbound key
    /// goes to the focused text field.
    pub fn handle(&mut self, command: Option<Command>, key: KeyEvent) -> FormOutcome {
        if command == Some(Command::CancelForm) {
            // Typed input is never lost to one stray Esc: the first one asks.
            if self.discard_asked || !self.is_changed() {
                return FormOutcome::Cancel;
            }
            self.discard_asked = true;
            self.error = Some(DISCARD_QUESTION.to_string());
            return FormOutcome::Continue;
        }
        if self.discard_asked || self.interrupt_asked {
            self.discard_asked = false;
            self.interrupt_asked = false;
            if matches!(
                self.error.as_deref(),
                Some(DISCARD_QUESTION | INTERRUPT_QUESTION)
            ) {
                self.error = None;
            }
        }
        let Some(command) = command else {
            let field = &mut self.fields[self.focus];
            if let FieldInput::Text(input) = &mut field.input
                && input.handle_key(key)
            {
                field.error = None;
                self.follow_name();
            }
            return FormOutcome::Continue;
        };
        match command {
            Command::Save | Command::Submit => return FormOutcome::Submit,
            Command::Reveal => {
                if let FieldInput::Text(t) = &mut self.fields[self.focus].input {
                    t.toggle_reveal();
                }
            }
            Command::NextField => self.move_focus(true),
            Command::PrevField => self.move_focus(false),
            Command::ChooseNext => self.choose(true),
            Command::ChoosePrev => self.choose(false),
            _ => {}
        }
        FormOutcome::Continue
    }

    /// Steps the focused choice through the options offered now, round at either end.
    fn choose(&mut self, forward: bool) {
        let offered = self.offered(self.focus);
        let field = &mut self.fields[self.focus];
        if let FieldInput::Choice { selected, .. } = &mut field.input
            && !offered.is_empty()
        {
            let at = offered.iter().position(|i| i == selected).unwrap_or(0);
            let count = offered.len();
            let next = (if forward { at + 1 } else { at + count - 1 }) % count;
            *selected = offered[next];
        }
        field.error = None;
        self.fit_narrowed_choices();
    }
}

/// The id a submitted record gets: its own when edited (ids are fixed once created), else the one
/// typed (refused when taken), else one made from the name.
pub fn record_id(
    form: &mut Form,
    original: Option<&str>,
    name: &str,
    ws: &crate::workspace::Workspace,
) -> Option<String> {
    use crate::tui::edits;
    if let Some(original) = original {
        return Some(original.to_string());
    }
    let id = form.value(FieldKey::Id);
    if id.is_empty() {
        return Some(edits::unique_id(ws, &edits::slug(name)));
    }
    if ws.id_in_use(&id) {
        form.refuse(FieldKey::Id, format!("the id {id} is taken"));
        return None;
    }
    Some(id)
}

/// The id a new record named `name` gets: its slug (lower-case, `-` for each run of other
/// characters), with `-2`, `-3`, … when one of `taken` has it; blank for a name with no letter
/// or digit (the record is then named `new`, see `record_id`).
pub fn id_from_name(name: &str, taken: &[String]) -> String {
    let base = crate::tui::edits::slug(name);
    if base.is_empty() || !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(id))
        .unwrap_or(base)
}

/// A whole number of seconds or minutes, or blank.
pub fn parse_optional_number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_id_from_a_name_is_its_slug_made_unique() {
        let taken = vec!["sandbox-oauth".to_string(), "sandbox-oauth-2".to_string()];
        assert_eq!(id_from_name("Partner  API!", &taken), "partner-api");
        assert_eq!(id_from_name("Sandbox OAuth", &taken), "sandbox-oauth-3");
        assert_eq!(id_from_name(" ?! ", &taken), "");
    }

    proptest! {
        #[test]
        fn an_id_from_any_name_is_valid_and_free(name in "\\PC{0,30}", n in 0usize..4) {
            let base = crate::tui::edits::slug(&name);
            let mut taken = vec![base.clone()];
            taken.extend((2..n + 2).map(|i| format!("{base}-{i}")));
            let id = id_from_name(&name, &taken);
            prop_assert!(id.is_empty() || crate::workspace::validate::is_valid_id(&id), "{id:?}");
            prop_assert!(id.is_empty() || !taken.contains(&id), "{id:?}");
            prop_assert!(!id.contains("--"), "{id:?}");
        }
    }
}
