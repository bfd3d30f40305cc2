//! The small form that asks for a Payload's dynamic inputs before a run, defaults filled in.

use super::{Field, FieldKey, Form, FormPurpose};
use crate::flow::RunRequest;
use crate::jobs::Trigger;
use crate::workspace::Payload;

pub fn form(payload: &Payload) -> Form {
    let fields = payload
        .inputs
        .iter()
        .map(|input| {
            // Inputs are named by the workspace, not the program: read back by position.
            let field = Field::line(
                FieldKey::Input,
                &input.name,
                input.default.as_deref().unwrap_or(""),
            )
            .hint(if input.description.is_empty() {
                "Enter runs; Esc cancels"
            } else {
                &input.description
            });
            // An input with no default has no value to fall back on: a blank one would be sent
            // as an empty string, and most APIs answer that with a 400.
            match input.default {
                None => field.validated(super::validate::required),
                Some(_) => field,
            }
        })
        .collect();
    let mut form = Form::new(
        format!(
            "Run {}",
            crate::tui::edits::named(&payload.name, &payload.id)
        ),
        FormPurpose::RunInputs {
            payload_id: payload.id.to_string(),
        },
        fields,
    );
    form.enter_submits = true;
    form
}

/// The run the form asks for; None (with the reason at the field) while a required input is blank.
pub fn submit(form: &mut Form) -> Option<RunRequest> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::RunInputs { payload_id } = &form.purpose else {
        return None;
    };
    Some(RunRequest {
        payload_id: payload_id.as_str().into(),
        inputs: form
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.value()))
            .collect(),
        trigger: Trigger::Tui,
    })
}
