//! The Payload form: request, body, response model, Data Targets and inputs, and the Edit it makes.

use super::choices::BodyKind;
use super::{Field, FieldKey as K, Form, FormPurpose, parse_optional_number, validate};
use crate::tui::edits::{self, Edit};
use crate::tui::lines;
use crate::workspace::{Body, ClientAuth, Credential, Method, Payload, PayloadKind, Workspace};

const NO_CREDENTIAL: &str = "(none)";

/// What a new Payload's "From curl" field last read into the form.
#[derive(Debug, Clone)]
pub struct CurlState {
    /// The command as it was read; the field holding other text means it is not read yet.
    pub read: String,
    /// A Credential the command's `-u` or `Authorization` header calls for, offered among the
    /// form's Credentials and created only when chosen there at save.
    pub offered: Option<Credential>,
    /// Why the command could not be read; a save is refused while the field still holds it.
    pub refused: Option<String>,
}

pub fn new_form(ws: &Workspace, integration: &str) -> Form {
    let blank = Payload {
        id: Default::default(),
        name: String::new(),
        integration: integration.into(),
        kind: PayloadKind::Callout,
        description: String::new(),
        method: Method::GET,
        endpoint: String::new(),
        credential: None,
        client_auth: ClientAuth::InBody,
        headers: vec![],
        parameters: vec![],
        body: Body::None,
        response: vec![],
        targets: vec![],
        inputs: vec![],
        timeout_secs: None,
    };
    let mut form = build(ws, "New Payload", None, &blank);
    form.fields.insert(
        0,
        Field::multi(K::Curl, "From curl", "")
            .placeholder("curl https://api.example.com/contacts -H 'Accept: application/json'")
            .hint("optional: paste a curl command (\\ line ends are fine) to fill the form from it; Tab to skip"),
    );
    form.focus_field(0);
    form
}

/// Reads the "From curl" field into the form when it holds a command not read yet: the form is
/// filled from the Payload the command describes (for the Integration chosen in the form), the
/// command's credentials are offered as a Credential, and every flag not understood is listed
/// under the fields. Returns whether it read something (a save then waits for a look first).
pub fn read_curl(form: &mut Form, ws: &Workspace) -> bool {
    use crate::interchange::{curl_parse, curl_plan};
    let text = form.value(K::Curl);
    if text.trim().is_empty() || form.curl.as_ref().is_some_and(|c| c.read == text) {
        return false;
    }
    let integration = form.value(K::Integration);
    let planned = curl_parse::parse(&text).and_then(|request| {
        curl_plan::plan(&request, ws, &integration, None).map(|p| (request, p))
    });
    let (request, plan) = match planned {
        Ok(planned) => planned,
        Err(reason) => {
            form.curl = Some(Box::new(CurlState {
                read: text,
                offered: None,
                refused: Some(reason.clone()),
            }));
            form.refuse(K::Curl, reason);
            return true;
        }
    };
    let mut filled = build(ws, "New Payload", None, &plan.payload);
    // The form's changes are still counted from the blank form it opened as.
    for field in &mut filled.fields {
        if let Some(old) = form.field(field.key) {
            field.initial = old.initial.clone();
        }
    }
    let curl_field = form.field(K::Curl).cloned();
    filled.fields.splice(0..0, curl_field);
    let mut notes = vec![format!(
        "from curl: {} {}; check, then Ctrl-S saves",
        plan.payload.method.as_str(),
        plan.payload.endpoint
    )];
    notes.extend(request.warnings.iter().map(|w| format!("warning: {w}")));
    notes.extend(plan.notes.iter().cloned());
    if let Some(credential) = &plan.new_credential {
        notes.push(format!(
            "offered: a new {} Credential {} to hold the command's secret (never the Payload);              it is created on save while chosen under Credential",
            credential.auth.type_name(),
            edits::named(&credential.name, &credential.id)
        ));
        offer_credential(&mut filled, credential);
    } else if let Some(note) = &plan.credential_note {
        notes.push(note.clone());
    }
    filled.notes = notes;
    filled.curl = Some(Box::new(CurlState {
        read: text,
        offered: plan.new_credential.clone(),
        refused: None,
    }));
    filled.focus_key(K::Name);
    *form = filled;
    true
}

/// Adds `credential` (not in the workspace yet) to the Credential choice, chosen.
fn offer_credential(form: &mut Form, credential: &Credential) {
    let Some(field) = form.fields.iter_mut().find(|f| f.key == K::Credential) else {
        return;
    };
    let super::FieldInput::Choice { options, selected } = &mut field.input else {
        return;
    };
    options.push(credential.id.to_string());
    *selected = options.len() - 1;
    if let Some(shown) = &mut field.shown {
        shown.push(format!(
            "new: {}",
            edits::named(&credential.name, &credential.id)
        ));
    }
    if let Some((_, owners)) = &mut field.narrowed_by {
        owners.push(credential.integration.to_string());
    }
}

pub fn edit_form(ws: &Workspace, p: &Payload) -> Form {
    build(
        ws,
        format!("Edit Payload {}", edits::named(&p.name, &p.id)),
        Some(p.id.to_string()),
        p,
    )
}

pub fn duplicate_form(ws: &Workspace, p: &Payload) -> Form {
    let mut copy = p.clone();
    copy.id = edits::unique_id(ws, &format!("{}-copy", p.id)).into();
    copy.name = format!("{} (copy)", p.name);
    build(
        ws,
        format!("Duplicate Payload {}", edits::named(&p.name, &p.id)),
        None,
        &copy,
    )
}

fn build(ws: &Workspace, title: impl Into<String>, original: Option<String>, p: &Payload) -> Form {
    let integrations: Vec<(String, String)> = ws
        .integrations
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    let mut credentials = vec![(NO_CREDENTIAL.to_string(), String::new())];
    credentials.extend(
        ws.credentials
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone())),
    );
    let mut credential_owners = vec![String::new()];
    credential_owners.extend(ws.credentials.iter().map(|c| c.integration.to_string()));
    let id_field = Field::line(K::Id, "Id", &p.id)
        .validated(validate::id)
        .hint("made from the name until you type one: lowercase letters, digits, - and _");
    let (body_text, content_type) = match &p.body {
        Body::None => (String::new(), String::new()),
        Body::Json(t) => (t.clone(), String::new()),
        Body::Form(f) => (lines::format_key_values(f), String::new()),
        Body::Raw { content_type, text } => (text.clone(), content_type.clone()),
    };
    // The fields that only some kinds of Payload have.
    const MODELLED: &[PayloadKind] = &[PayloadKind::Callout, PayloadKind::Credential];
    let fields = vec![
        id_field,
        Field::line(K::Name, "Name", &p.name).validated(validate::required),
        Field::choice_of_records(K::Integration, "Integration", integrations, &p.integration)
            .validated(validate::required)
            .hint("the Integration it belongs to; ←/→ to choose"),
        Field::choose(K::Kind, "Kind", p.kind)
            .hint("Callout: request + response model; Webhook: status only; Credential: a token request"),
        Field::line(K::Description, "Description", &p.description),
        Field::choose(K::Method, "Method", p.method),
        Field::line(K::Endpoint, "Endpoint", &p.endpoint)
            .validated(validate::endpoint)
            .placeholder("/contacts/{{input.contact_id}}")
            .hint("relative to the base URL, or absolute; {{input.NAME}} {{var.NAME}} {{env.NAME}} {{now}}"),
        Field::choice_of_records(
            K::Credential,
            "Credential",
            credentials,
            p.credential.as_deref().unwrap_or(NO_CREDENTIAL),
        )
        .narrowed_by(K::Integration, credential_owners)
        .hint("authenticates the request (for a Credential Payload: the Credential it refreshes)"),
        Field::choose(K::ClientAuth, "Client auth", p.client_auth)
        .hint("where the client id and secret go in the token request")
        .shown_when(K::Kind, &[PayloadKind::Credential]),
        Field::multi(K::Headers, "Headers", &lines::format_key_values(&p.headers))
            .validated(validate::header_list)
            .hint(lines::KEY_VALUE_HINT),
        Field::multi(K::Parameters, "Query params", &lines::format_key_values(&p.parameters))
            .validated(|t| lines::parse_key_values(t).map(|_| ()))
            .hint(lines::KEY_VALUE_HINT),
        Field::choose(K::BodyKind, "Body", BodyKind::of(&p.body)),
        Field::line(K::ContentType, "Content type", &content_type)
            .validated(validate::required)
            .hint("e.g. application/xml or text/plain")
            .shown_when(K::BodyKind, &[BodyKind::Raw]),
        Field::multi(K::Body, "Body text", &body_text)
            .validated(validate::template)
            .hint("JSON: the JSON text; Form: one per line, Name: value; Raw: the text")
            .shown_when(K::BodyKind, &[BodyKind::Json, BodyKind::Form, BodyKind::Raw]),
        Field::multi(K::Response, "Response model", &lines::format_response(&p.response))
            .validated(|t| lines::parse_response(t).map(|_| ()))
            .hint(lines::RESPONSE_HINT)
            .shown_when(K::Kind, MODELLED),
        Field::multi(K::Targets, "Data Targets", &lines::format_targets(&p.targets))
            .validated(|t| lines::parse_targets(t).map(|_| ()))
            .hint(lines::TARGETS_HINT)
            .shown_when(K::Kind, MODELLED),
        Field::multi(K::Inputs, "Inputs", &lines::format_inputs(&p.inputs))
            .validated(|t| lines::parse_inputs(t).map(|_| ()))
            .hint(lines::INPUTS_HINT),
        Field::line(
            K::Timeout,
            "Timeout (s)",
            &p.timeout_secs.map(|t| t.to_string()).unwrap_or_default(),
        )
        .validated(validate::optional_number)
        .hint("seconds; blank: the Integration's"),
    ];
    let mut form = Form::new(title, FormPurpose::Payload { original }, fields);
    form.arrange_id(ws);
    form
}

pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Payload { original } = form.purpose.clone() else {
        return None;
    };
    // A pasted curl command not read yet is read first: the user sees what it fills in.
    if original.is_none() && read_curl(form, ws) {
        return None;
    }
    let unread = form.curl.as_ref().and_then(|c| {
        let still = c.read == form.value(K::Curl);
        c.refused.clone().filter(|_| still)
    });
    if let Some(reason) = unread {
        form.refuse(K::Curl, reason);
        return None;
    }
    let name = form.value(K::Name);
    let id = super::record_id(form, original.as_deref(), &name, ws)?;
    let (Some(kind), Some(method), Some(body_kind), Some(client_auth)) = (
        form.choice::<PayloadKind>(K::Kind),
        form.choice::<Method>(K::Method),
        form.choice::<BodyKind>(K::BodyKind),
        form.choice::<ClientAuth>(K::ClientAuth),
    ) else {
        form.error = Some("a choice holds a value this version does not know".into());
        return None;
    };
    let body_text = form.value(K::Body);
    let body = match body_kind {
        BodyKind::Json => {
            if let Err(e) = check_json(&body_text) {
                form.refuse(K::Body, e);
                return None;
            }
            Body::Json(body_text)
        }
        BodyKind::Form => match lines::parse_key_values(&body_text) {
            Ok(fields) => Body::Form(fields),
            Err(e) => {
                form.refuse(K::Body, e);
                return None;
            }
        },
        BodyKind::Raw => Body::Raw {
            content_type: form.value(K::ContentType),
            text: body_text,
        },
        BodyKind::None => Body::None,
    };
    let credential =
        Some(form.value(K::Credential)).filter(|c| c != NO_CREDENTIAL && !c.is_empty());
    if kind == PayloadKind::Credential && credential.is_none() {
        form.refuse(
            K::Credential,
            "a Credential Payload names the Bearer Token Credential it refreshes",
        );
        return None;
    }
    // Only a token request has a client to authenticate; only a Webhook has no response model.
    let (client_auth, modelled) = match kind {
        PayloadKind::Credential => (client_auth, true),
        PayloadKind::Callout => (ClientAuth::InBody, true),
        PayloadKind::Webhook => (ClientAuth::InBody, false),
    };
    let payload = Payload {
        id: id.into(),
        name,
        integration: form.value(K::Integration).into(),
        kind,
        description: form.value(K::Description),
        method,
        endpoint: form.value(K::Endpoint),
        credential: credential.map(Into::into),
        client_auth,
        headers: lines::parse_key_values(&form.value(K::Headers)).ok()?,
        parameters: lines::parse_key_values(&form.value(K::Parameters)).ok()?,
        body,
        response: if modelled {
            lines::parse_response(&form.value(K::Response)).ok()?
        } else {
            vec![]
        },
        targets: if modelled {
            lines::parse_targets(&form.value(K::Targets)).ok()?
        } else {
            vec![]
        },
        inputs: lines::parse_inputs(&form.value(K::Inputs)).ok()?,
        timeout_secs: parse_optional_number(&form.value(K::Timeout)),
    };
    // The Credential a curl command called for is created with the Payload when chosen.
    let offered = form
        .curl
        .as_ref()
        .and_then(|c| c.offered.clone())
        .filter(|c| payload.credential.as_ref() == Some(&c.id));
    match offered {
        Some(credential) => Some(Edit::PayloadWithCredential {
            payload,
            credential,
        }),
        None => Some(Edit::Payload { original, payload }),
    }
}

/// JSON bodies may hold placeholders, so they are checked with each `{{…}}` stood in for by a
/// value that is valid both inside and outside a string.
fn check_json(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("a JSON body needs JSON text (or choose Body: None)".into());
    }
    crate::template::check(text).map_err(|e| e.to_string())?;
    let mut stood_in = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        stood_in.push_str(&rest[..open]);
        let close = rest[open..]
            .find("}}")
            .map(|c| open + c + 2)
            .unwrap_or(rest.len());
        stood_in.push('0');
        rest = &rest[close..];
    }
    stood_in.push_str(rest);
    serde_json::from_str::<serde_json::Value>(&stood_in)
        .map(|_| ())
        .map_err(|e| format!("not valid JSON: {e}"))
}
