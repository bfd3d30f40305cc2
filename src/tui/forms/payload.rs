//! The Payload form: request, body, response model, Data Targets and inputs, and the Edit it makes.

use super::{Field, Form, FormPurpose, parse_optional_number, validate};
use crate::tui::edits::{self, Edit};
use crate::tui::lines;
use crate::workspace::{Body, ClientAuth, Method, Payload, PayloadKind, Workspace};

const NO_CREDENTIAL: &str = "(none)";
const KINDS: [&str; 3] = ["Callout", "Webhook", "Credential"];
const BODY_KINDS: [&str; 4] = ["None", "JSON", "Form", "Raw"];
const CLIENT_AUTH: [&str; 2] = ["in body", "Basic header"];

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
    build(ws, "New Payload", None, &blank)
}

pub fn edit_form(ws: &Workspace, p: &Payload) -> Form {
    build(
        ws,
        format!("Edit Payload {}", p.id),
        Some(p.id.to_string()),
        p,
    )
}

pub fn duplicate_form(ws: &Workspace, p: &Payload) -> Form {
    let mut copy = p.clone();
    copy.id = edits::unique_id(ws, &format!("{}-copy", p.id)).into();
    copy.name = format!("{} (copy)", p.name);
    build(ws, format!("Duplicate Payload {}", p.id), None, &copy)
}

fn kind_name(kind: PayloadKind) -> &'static str {
    match kind {
        PayloadKind::Callout => "Callout",
        PayloadKind::Webhook => "Webhook",
        PayloadKind::Credential => "Credential",
    }
}

fn build(ws: &Workspace, title: impl Into<String>, original: Option<String>, p: &Payload) -> Form {
    let integrations: Vec<String> = ws.integrations.iter().map(|i| i.id.to_string()).collect();
    let mut credentials = vec![NO_CREDENTIAL.to_string()];
    credentials.extend(ws.credentials.iter().map(|c| c.id.to_string()));
    let mut credential_owners = vec![String::new()];
    credential_owners.extend(ws.credentials.iter().map(|c| c.integration.to_string()));
    let id_field = Field::line("id", "Id", &p.id)
        .validated(validate::id)
        .hint("lowercase letters, digits, - and _; blank: made from the name");
    let (body_kind, body_text, content_type) = match &p.body {
        Body::None => ("None", String::new(), String::new()),
        Body::Json(t) => ("JSON", t.clone(), String::new()),
        Body::Form(f) => ("Form", lines::format_key_values(f), String::new()),
        Body::Raw { content_type, text } => ("Raw", text.clone(), content_type.clone()),
    };
    let fields = vec![
        id_field,
        Field::line("name", "Name", &p.name).validated(validate::required),
        Field::choice("integration", "Integration", integrations, &p.integration)
            .validated(validate::required)
            .hint("the Integration it belongs to; ←/→ to choose"),
        Field::choice("kind", "Kind", KINDS.iter().map(|k| k.to_string()).collect(), kind_name(p.kind))
            .hint("Callout: request + response model; Webhook: status only; Credential: a token request"),
        Field::line("description", "Description", &p.description),
        Field::choice(
            "method",
            "Method",
            Method::ALL.iter().map(|m| m.as_str().to_string()).collect(),
            p.method.as_str(),
        ),
        Field::line("endpoint", "Endpoint", &p.endpoint)
            .validated(validate::endpoint)
            .placeholder("/contacts/{{input.contact_id}}")
            .hint("relative to the base URL, or absolute; {{input.NAME}} {{var.NAME}} {{env.NAME}} {{now}}"),
        Field::choice(
            "credential",
            "Credential",
            credentials,
            p.credential.as_deref().unwrap_or(NO_CREDENTIAL),
        )
        .narrowed_by("integration", credential_owners)
        .hint("authenticates the request (for a Credential Payload: the Credential it refreshes)"),
        Field::choice(
            "client_auth",
            "Client auth",
            CLIENT_AUTH.iter().map(|k| k.to_string()).collect(),
            if p.client_auth == ClientAuth::BasicHeader { "Basic header" } else { "in body" },
        )
        .hint("where the client id and secret go in the token request")
        .shown_when("kind", &["Credential"]),
        Field::multi("headers", "Headers", &lines::format_key_values(&p.headers))
            .validated(validate::header_list)
            .hint(lines::KEY_VALUE_HINT),
        Field::multi("parameters", "Query params", &lines::format_key_values(&p.parameters))
            .validated(|t| lines::parse_key_values(t).map(|_| ()))
            .hint(lines::KEY_VALUE_HINT),
        Field::choice(
            "body_kind",
            "Body",
            BODY_KINDS.iter().map(|k| k.to_string()).collect(),
            body_kind,
        ),
        Field::line("content_type", "Content type", &content_type)
            .validated(validate::required)
            .hint("e.g. application/xml or text/plain")
            .shown_when("body_kind", &["Raw"]),
        Field::multi("body", "Body text", &body_text)
            .validated(validate::template)
            .hint("JSON: the JSON text; Form: one per line, Name: value; Raw: the text")
            .shown_when("body_kind", &["JSON", "Form", "Raw"]),
        Field::multi("response", "Response model", &lines::format_response(&p.response))
            .validated(|t| lines::parse_response(t).map(|_| ()))
            .hint(lines::RESPONSE_HINT)
            .shown_when("kind", &["Callout", "Credential"]),
        Field::multi("targets", "Data Targets", &lines::format_targets(&p.targets))
            .validated(|t| lines::parse_targets(t).map(|_| ()))
            .hint(lines::TARGETS_HINT)
            .shown_when("kind", &["Callout", "Credential"]),
        Field::multi("inputs", "Inputs", &lines::format_inputs(&p.inputs))
            .validated(|t| lines::parse_inputs(t).map(|_| ()))
            .hint(lines::INPUTS_HINT),
        Field::line(
            "timeout",
            "Timeout (s)",
            &p.timeout_secs.map(|t| t.to_string()).unwrap_or_default(),
        )
        .validated(validate::optional_number)
        .hint("seconds; blank: the Integration's"),
    ];
    let mut form = Form::new(title, FormPurpose::Payload { original }, fields);
    form.drop_id_when_editing();
    form
}

pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Payload { original } = form.purpose.clone() else {
        return None;
    };
    let name = form.value("name");
    let id = super::record_id(form, original.as_deref(), &name, ws)?;
    let body_text = form.value("body");
    let body = match form.value("body_kind").as_str() {
        "JSON" => {
            if let Err(e) = check_json(&body_text) {
                form.refuse("body", e);
                return None;
            }
            Body::Json(body_text)
        }
        "Form" => match lines::parse_key_values(&body_text) {
            Ok(fields) => Body::Form(fields),
            Err(e) => {
                form.refuse("body", e);
                return None;
            }
        },
        "Raw" => Body::Raw {
            content_type: form.value("content_type"),
            text: body_text,
        },
        _ => Body::None,
    };
    let kind = match form.value("kind").as_str() {
        "Webhook" => PayloadKind::Webhook,
        "Credential" => PayloadKind::Credential,
        _ => PayloadKind::Callout,
    };
    let credential = Some(form.value("credential")).filter(|c| c != NO_CREDENTIAL && !c.is_empty());
    if kind == PayloadKind::Credential && credential.is_none() {
        form.refuse(
            "credential",
            "a Credential Payload names the Bearer Token Credential it refreshes",
        );
        return None;
    }
    let method = Method::ALL
        .into_iter()
        .find(|m| m.as_str() == form.value("method"))
        .unwrap_or(Method::GET);
    let payload = Payload {
        id: id.into(),
        name,
        integration: form.value("integration").into(),
        kind,
        description: form.value("description"),
        method,
        endpoint: form.value("endpoint"),
        credential: credential.map(Into::into),
        client_auth: if kind == PayloadKind::Credential
            && form.value("client_auth") == "Basic header"
        {
            ClientAuth::BasicHeader
        } else {
            ClientAuth::InBody
        },
        headers: lines::parse_key_values(&form.value("headers")).ok()?,
        parameters: lines::parse_key_values(&form.value("parameters")).ok()?,
        body,
        response: if kind == PayloadKind::Webhook {
            vec![]
        } else {
            lines::parse_response(&form.value("response")).ok()?
        },
        targets: if kind == PayloadKind::Webhook {
            vec![]
        } else {
            lines::parse_targets(&form.value("targets")).ok()?
        },
        inputs: lines::parse_inputs(&form.value("inputs")).ok()?,
        timeout_secs: parse_optional_number(&form.value("timeout")),
    };
    Some(Edit::Payload { original, payload })
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
