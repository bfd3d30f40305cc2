//! The small form that asks for a Payload's dynamic inputs before a run, defaults filled in.

use super::{Field, Form, FormPurpose};
use crate::flow::RunRequest;
use crate::jobs::Trigger;
use crate::workspace::Payload;

pub fn form(payload: &Payload) -> Form {
    let fields = payload
        .inputs
        .iter()
        .map(|input| {
            // Field keys are static; inputs are looked up by position instead.
            Field::line("input", &input.name, input.default.as_deref().unwrap_or("")).hint(
                if input.description.is_empty() {
                    "Enter runs; Esc cancels"
                } else {
                    &input.description
                },
            )
        })
        .collect();
    let mut form = Form::new(
        format!("Run {}", payload.id),
        FormPurpose::RunInputs {
            payload_id: payload.id.clone(),
        },
        fields,
    );
    form.enter_submits = true;
    form
}

pub fn submit(form: &Form) -> Option<RunRequest> {
    let FormPurpose::RunInputs { payload_id } = &form.purpose else {
        return None;
    };
    Some(RunRequest {
        payload_id: payload_id.clone(),
        inputs: form
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.value()))
            .collect(),
        trigger: Trigger::Tui,
    })
}
