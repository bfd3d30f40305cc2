//! Forms: a list of labelled fields (text, multi-line, secret, choice), moving between them, and
//! per-field validation. What a form creates lives in one file per record type.

pub mod credential;
pub mod integration;
pub mod payload;
pub mod run_inputs;
pub mod validate;

use super::widgets::{InputKind, TextInput};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What submitting a form does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormPurpose {
    Integration { original: Option<String> },
    Credential { original: Option<String> },
    Payload { original: Option<String> },
    RunInputs { payload_id: String },
}

// A form holds a handful of fields: boxing the text inputs would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum FieldInput {
    Text(TextInput),
    Choice {
        options: Vec<String>,
        selected: usize,
    },
}

pub type Validator = fn(&str) -> Result<(), String>;

#[derive(Debug, Clone)]
pub struct Field {
    /// Stable name the record builders look fields up by.
    pub key: &'static str,
    pub label: String,
    pub input: FieldInput,
    pub hint: String,
    pub error: Option<String>,
    pub validate: Option<Validator>,
    /// Shown only while the choice field named here has one of these values.
    pub shown_when: Option<(&'static str, &'static [&'static str])>,
    /// For a choice: the choice field whose value narrows the options, and per option the value
    /// it belongs to ("" = always offered), e.g. the Credentials of the chosen Integration.
    pub narrowed_by: Option<(&'static str, Vec<String>)>,
    /// The value the form opened with, to tell what the user changed.
    pub initial: String,
}

impl Field {
    pub fn text(key: &'static str, label: &str, kind: InputKind, value: &str) -> Field {
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
        }
    }

    pub fn line(key: &'static str, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::SingleLine, value)
    }

    pub fn secret(key: &'static str, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::Secret, value).hint(
            "secret: masked; Ctrl-R reveals or hides it; {{env.NAME}} keeps it out of the file",
        )
    }

    pub fn multi(key: &'static str, label: &str, value: &str) -> Field {
        Field::text(key, label, InputKind::MultiLine, value)
    }

    pub fn choice(key: &'static str, label: &str, options: Vec<String>, current: &str) -> Field {
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
        }
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

    pub fn shown_when(mut self, key: &'static str, values: &'static [&'static str]) -> Field {
        self.shown_when = Some((key, values));
        self
    }

    /// Offers only the options whose owner (parallel to the options) is the value of the choice
    /// field `key`, or blank.
    pub fn narrowed_by(mut self, key: &'static str, owners: Vec<String>) -> Field {
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
    /// Esc was pressed with unsaved changes: a second Esc discards them.
    discard_asked: bool,
}

/// What the first Esc on a changed form says.
pub const DISCARD_QUESTION: &str = "unsaved changes: Esc again discards them, Ctrl-S saves";

impl Form {
    pub fn new(title: impl Into<String>, purpose: FormPurpose, fields: Vec<Field>) -> Form {
        let mut form = Form {
            title: title.into(),
            purpose,
            fields,
            focus: 0,
            enter_submits: false,
            error: None,
            discard_asked: false,
        };
        form.focus_field(0);
        form
    }

    /// An edited record keeps its id (other records refer to it), so its form has no id field.
    pub fn drop_id_when_editing(&mut self) {
        let editing = matches!(
            &self.purpose,
            FormPurpose::Integration { original: Some(_) }
                | FormPurpose::Credential { original: Some(_) }
                | FormPurpose::Payload { original: Some(_) }
        );
        if editing {
            self.fields.retain(|f| f.key != "id");
            self.focus_field(0);
        }
    }

    pub fn field(&self, key: &str) -> &Field {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("form has no field {key}"))
    }

    pub fn field_mut(&mut self, key: &str) -> &mut Field {
        self.fields
            .iter_mut()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("form has no field {key}"))
    }

    pub fn value(&self, key: &str) -> String {
        self.field(key).value()
    }

    pub fn has_field(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.key == key)
    }

    pub fn is_visible(&self, index: usize) -> bool {
        match self.fields[index].shown_when {
            None => true,
            // Hidden with the field it depends on, so a choice under a hidden one stays hidden.
            Some((key, values)) => {
                values.contains(&self.value(key).as_str())
                    && self
                        .fields
                        .iter()
                        .position(|f| f.key == key)
                        .is_none_or(|i| i != index && self.is_visible(i))
            }
        }
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
                let by = self.value(key);
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
    pub fn focus_key(&mut self, key: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus_field(i);
        }
    }

    /// Sets the reason a field's value is refused and moves the cursor there.
    pub fn refuse(&mut self, key: &str, reason: impl Into<String>) {
        self.field_mut(key).error = Some(reason.into());
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
        match &mut field.input {
            FieldInput::Text(input) => {
                input.paste(text);
                field.error = None;
                true
            }
            FieldInput::Choice { .. } => false,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Esc {
            // Typed input is never lost to one stray Esc: the first one asks.
            if self.discard_asked || !self.is_changed() {
                return FormOutcome::Cancel;
            }
            self.discard_asked = true;
            self.error = Some(DISCARD_QUESTION.to_string());
            return FormOutcome::Continue;
        }
        if self.discard_asked {
            self.discard_asked = false;
            if self.error.as_deref() == Some(DISCARD_QUESTION) {
                self.error = None;
            }
        }
        match key.code {
            KeyCode::Char('s') if ctrl => return FormOutcome::Submit,
            KeyCode::Char('r') if ctrl => {
                if let FieldInput::Text(t) = &mut self.fields[self.focus].input {
                    t.toggle_reveal();
                }
                return FormOutcome::Continue;
            }
            KeyCode::Tab => {
                self.move_focus(true);
                return FormOutcome::Continue;
            }
            KeyCode::BackTab => {
                self.move_focus(false);
                return FormOutcome::Continue;
            }
            _ => {}
        }
        let field = &mut self.fields[self.focus];
        match &mut field.input {
            FieldInput::Text(input) => {
                if input.handle_key(key) {
                    field.error = None;
                    return FormOutcome::Continue;
                }
                match key.code {
                    KeyCode::Enter if self.enter_submits => FormOutcome::Submit,
                    KeyCode::Enter | KeyCode::Down => {
                        self.move_focus(true);
                        FormOutcome::Continue
                    }
                    KeyCode::Up => {
                        self.move_focus(false);
                        FormOutcome::Continue
                    }
                    _ => FormOutcome::Continue,
                }
            }
            FieldInput::Choice { .. } => {
                let step: Option<bool> = match key.code {
                    KeyCode::Left | KeyCode::Char('h') => Some(false),
                    KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => Some(true),
                    _ => None,
                };
                match (step, key.code) {
                    (Some(forward), _) => {
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
                    (None, KeyCode::Enter) if self.enter_submits => return FormOutcome::Submit,
                    (None, KeyCode::Enter | KeyCode::Down | KeyCode::Char('j')) => {
                        self.move_focus(true)
                    }
                    (None, KeyCode::Up | KeyCode::Char('k')) => self.move_focus(false),
                    _ => {}
                }
                FormOutcome::Continue
            }
        }
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
    let id = form.value("id");
    if id.is_empty() {
        return Some(edits::unique_id(ws, &edits::slug(name)));
    }
    if ws.id_in_use(&id) {
        form.refuse("id", format!("the id {id} is taken"));
        return None;
    }
    Some(id)
}

/// The options of a yes/no choice.
pub fn yes_no() -> Vec<String> {
    vec!["no".to_string(), "yes".to_string()]
}

/// A whole number of seconds or minutes, or blank.
pub fn parse_optional_number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}
