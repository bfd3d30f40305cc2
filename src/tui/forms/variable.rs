//! The Variable form: name, value and whether it is secret, and the Edit it makes.

use super::{Field, FieldKey as K, Form, FormPurpose, validate};
use crate::tui::edits::Edit;
use crate::workspace::{Variable, Workspace};

pub fn new_form() -> Form {
    let blank = Variable {
        name: String::new(),
        value: String::new(),
        secret: false,
    };
    build("New Variable".to_string(), None, &blank)
}

pub fn edit_form(v: &Variable) -> Form {
    build(format!("Edit Variable {}", v.name), Some(v.name.clone()), v)
}

fn build(title: String, original: Option<String>, v: &Variable) -> Form {
    // A secret value opens masked; Ctrl-R shows it.
    let value = if v.secret {
        Field::secret(K::Value, "Value", &v.value)
    } else {
        Field::line(K::Value, "Value", &v.value)
            .hint("read by {{var.NAME}} in templates; Data Targets overwrite it when they run")
    };
    let fields = vec![
        Field::line(K::Name, "Name", &v.name)
            .validated(validate::variable_name)
            .placeholder("last_contact_id")
            .hint("letters, digits, - and _; templates read it as {{var.NAME}}"),
        value,
        Field::choose(K::Secret, "Secret", v.secret)
            .hint("yes: masked on screen and redacted from Jobs and logs, like a token"),
    ];
    Form::new(title, FormPurpose::Variable { original }, fields)
}

/// The Edit this form describes, or the form with the refused field marked.
pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Variable { original } = form.purpose.clone() else {
        return None;
    };
    let name = form.value(K::Name);
    if original.as_deref() != Some(name.as_str()) && ws.variable(&name).is_some() {
        form.refuse(K::Name, format!("a Variable {name} already exists"));
        return None;
    }
    let variable = Variable {
        name,
        value: form.value(K::Value),
        secret: form.choice::<bool>(K::Secret) == Some(true),
    };
    Some(Edit::Variable { original, variable })
}
