//! Payload rules: kinds, references to Integrations and Credentials, and what a Credential
//! Payload must point back to.

use super::*;

impl<'w> Checker<'w> {
    pub(super) fn payloads(&mut self) {
        let ws = self.ws;
        for (index, payload) in ws.payloads.iter().enumerate() {
            let who = label("payload", &payload.id, index);
            self.integration_ref("payloads", index, who, &payload.integration);
            let credential = self.payload_credential(index, who, payload);

            // Templates.
            let inputs: Vec<&str> = payload.inputs.iter().map(|i| i.name.as_str()).collect();
            let mut texts = vec![("endpoint", payload.endpoint.as_str())];
            texts.extend(
                payload
                    .headers
                    .iter()
                    .map(|h| ("headers", h.value.as_str())),
            );
            texts.extend(
                payload
                    .parameters
                    .iter()
                    .map(|p| ("parameters", p.value.as_str())),
            );
            match &payload.body {
                Body::None => {}
                Body::Json(text) => texts.push(("body", text)),
                Body::Form(fields) => {
                    texts.extend(fields.iter().map(|f| ("body", f.value.as_str())))
                }
                Body::Raw { text, .. } => texts.push(("body", text)),
            }
            // With a dangling credential, or none on a Credential payload, that is the error
            // already reported; `{{credential.*}}` adds nothing.
            let credential_ref = match credential {
                Some(c) => CredentialRef::Found(c),
                None if payload.credential.is_none() && payload.kind != PayloadKind::Credential => {
                    CredentialRef::None
                }
                None => CredentialRef::Reported,
            };
            for (field, text) in texts {
                self.templates("payloads", index, who, field, text, credential_ref, &inputs);
            }

            self.header_names("payloads", index, who, &payload.headers);
            if let Body::Json(text) = &payload.body {
                self.json_body(index, who, text);
            }

            // Inputs and the response model.
            let mut seen_inputs: Vec<&str> = Vec::new();
            for input in &payload.inputs {
                let name = input.name.as_str();
                if !is_valid_name(name) {
                    self.push(
                        "payloads",
                        index,
                        Anchor::FieldValue("name", name.to_string()),
                        format!("{who}: input \"{name}\" is not a valid name; use letters, digits, `-` and `_`"),
                    );
                } else if seen_inputs.contains(&name) {
                    self.push(
                        "payloads",
                        index,
                        Anchor::FieldValue("name", name.to_string()),
                        format!("{who}: input \"{name}\" is declared twice"),
                    );
                }
                seen_inputs.push(name);
            }
            let mut seen_values: Vec<&str> = Vec::new();
            for value in &payload.response {
                let name = value.name.as_str();
                if seen_values.contains(&name) {
                    self.push(
                        "payloads",
                        index,
                        Anchor::FieldValue("name", name.to_string()),
                        format!("{who}: response value \"{name}\" is defined twice"),
                    );
                }
                seen_values.push(name);
                if let ValueSource::JsonPath(path) = &value.source
                    && let Some(problem) = super::jsonpath_problem(path)
                {
                    self.push(
                        "payloads",
                        index,
                        Anchor::Text(path.clone()),
                        format!("{who}: response value \"{name}\": JSONPath \"{path}\": {problem}"),
                    );
                } else if let ValueSource::JsonPath(path) = &value.source
                    && let Err(e) = serde_json_path::JsonPath::parse(path)
                {
                    self.push(
                        "payloads",
                        index,
                        Anchor::Text(path.clone()),
                        format!(
                            "{who}: response value \"{name}\": invalid JSONPath \"{path}\": {e}"
                        ),
                    );
                }
            }
            if payload.kind == PayloadKind::Webhook
                && (!payload.response.is_empty() || !payload.targets.is_empty())
            {
                self.push(
                    "payloads",
                    index,
                    Anchor::Field(if payload.response.is_empty() { "targets" } else { "response" }),
                    format!("{who}: a Webhook has no response model; remove its response values and data targets, or make it a Callout"),
                );
            }
            self.targets(index, who, payload, credential, &seen_values);
            if let Some(message) = super::timeout_problem(payload.timeout_secs) {
                self.push(
                    "payloads",
                    index,
                    Anchor::Field("timeout_secs"),
                    format!("{who}: {message}"),
                );
            }
        }
    }

    /// Checks the Payload's `credential` reference; returns the Credential when it resolves.
    pub(super) fn payload_credential(
        &mut self,
        index: usize,
        who: Label<'_>,
        payload: &Payload,
    ) -> Option<&'w Credential> {
        let ws = self.ws;
        let anchor = Anchor::Field("credential");
        let Some(id) = &payload.credential else {
            if payload.kind == PayloadKind::Credential {
                self.push(
                    "payloads",
                    index,
                    Anchor::Field("kind"),
                    format!("{who}: a Credential payload must name the Bearer Token credential it refreshes (credential: \"...\")"),
                );
            }
            return None;
        };
        let Some(credential) = ws.credential(id) else {
            let hint = suggest(id, ws.credentials.iter().map(|c| c.id.as_str()));
            self.push(
                "payloads",
                index,
                anchor,
                format!("{who}: credential \"{id}\" does not exist{hint}"),
            );
            return None;
        };
        // A credential of a missing integration is reported as such; "belongs to" adds nothing.
        if credential.integration != payload.integration
            && ws.integration(&credential.integration).is_some()
        {
            self.push(
                "payloads",
                index,
                anchor.clone(),
                format!(
                    "{who}: credential \"{id}\" belongs to integration \"{}\", not \"{}\"",
                    credential.integration, payload.integration
                ),
            );
        }
        if payload.kind == PayloadKind::Credential
            && !matches!(credential.auth, CredentialAuth::BearerToken(_))
        {
            self.push(
                "payloads",
                index,
                anchor,
                format!(
                    "{who}: credential \"{id}\" is {} credential; a Credential payload refreshes a Bearer Token credential",
                    a_type(&credential.auth)
                ),
            );
        }
        Some(credential)
    }
}
