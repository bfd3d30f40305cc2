//! The Integration form: build it from a record (or blank), and turn it back into an Edit.

use super::{Field, FieldKey as K, Form, FormPurpose, parse_optional_number, validate};
use crate::tui::edits::{self, Edit};
use crate::tui::lines;
use crate::workspace::{Integration, TlsOptions, Workspace};

pub fn new_form(ws: &Workspace) -> Form {
    let blank = Integration {
        id: Default::default(),
        name: String::new(),
        base_url: String::new(),
        description: String::new(),
        timeout_secs: None,
        headers: Vec::new(),
        tls: TlsOptions::default(),
    };
    build(ws, "New Integration", None, &blank)
}

pub fn edit_form(ws: &Workspace, integration: &Integration) -> Form {
    build(
        ws,
        format!(
            "Edit Integration {}",
            edits::named(&integration.name, &integration.id)
        ),
        Some(integration.id.to_string()),
        integration,
    )
}

pub fn duplicate_form(ws: &Workspace, integration: &Integration) -> Form {
    let mut copy = integration.clone();
    copy.id = edits::unique_id(ws, &format!("{}-copy", integration.id)).into();
    copy.name = format!("{} (copy)", integration.name);
    build(
        ws,
        format!(
            "Duplicate Integration {}",
            edits::named(&integration.name, &integration.id)
        ),
        None,
        &copy,
    )
}

fn build(
    ws: &Workspace,
    title: impl Into<String>,
    original: Option<String>,
    i: &Integration,
) -> Form {
    let id_field = Field::line(K::Id, "Id", &i.id)
        .validated(validate::id)
        .hint("made from the name until you type one: lowercase letters, digits, - and _");
    let fields = vec![
        id_field,
        Field::line(K::Name, "Name", &i.name).validated(validate::required),
        Field::line(K::BaseUrl, "Base URL", &i.base_url)
            .validated(validate::base_url)
            .placeholder("https://api.example.com/v1")
            .hint("http:// or https:// and the host, e.g. https://api.example.com/v1"),
        Field::line(K::Description, "Description", &i.description),
        Field::line(
            K::Timeout,
            "Timeout (s)",
            &i.timeout_secs.map(|t| t.to_string()).unwrap_or_default(),
        )
        .validated(validate::optional_number)
        .hint("default timeout of its Payloads in seconds; blank: 30"),
        Field::multi(K::Headers, "Headers", &lines::format_key_values(&i.headers))
            .validated(validate::header_list)
            .hint(&format!(
                "sent with every request; {}",
                lines::KEY_VALUE_HINT
            )),
        Field::choose(K::Insecure, "Accept bad certs", i.tls.accept_invalid_certs)
            .hint("yes turns TLS certificate checks off: test servers only"),
        Field::line(
            K::CaCert,
            "Extra CA (PEM)",
            i.tls.ca_cert.as_deref().unwrap_or(""),
        )
        .hint("path of an extra CA certificate to trust; blank: none"),
    ];
    let mut form = Form::new(title, FormPurpose::Integration { original }, fields);
    form.arrange_id(ws);
    form
}

/// The Edit this form describes, or the form with the refused field marked.
pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Integration { original } = form.purpose.clone() else {
        return None;
    };
    let name = form.value(K::Name);
    let id = super::record_id(form, original.as_deref(), &name, ws)?;
    let ca_cert = form.value(K::CaCert);
    let integration = Integration {
        id: id.into(),
        name,
        base_url: form.value(K::BaseUrl),
        description: form.value(K::Description),
        timeout_secs: parse_optional_number(&form.value(K::Timeout)),
        headers: lines::parse_key_values(&form.value(K::Headers)).ok()?,
        tls: TlsOptions {
            accept_invalid_certs: form.choice::<bool>(K::Insecure) == Some(true),
            ca_cert: (!ca_cert.is_empty()).then_some(ca_cert),
        },
    };
    Some(Edit::Integration {
        original,
        integration,
    })
}
