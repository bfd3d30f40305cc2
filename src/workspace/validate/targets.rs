//! Data Target and template rules: every value written has a source and a real field to land
//! in, and every placeholder is of a known form with something to fill it.

use super::*;

impl<'w> Checker<'w> {
    pub(super) fn targets(
        &mut self,
        index: usize,
        who: Label<'_>,
        payload: &Payload,
        credential: Option<&Credential>,
        values: &[&str],
    ) {
        for target in &payload.targets {
            let value = &target.value;
            if !values.contains(&value.as_str()) {
                let hint = suggest(value, values.iter().copied());
                self.push(
                    "payloads",
                    index,
                    Anchor::FieldValue("value", value.clone()),
                    format!("{who}: data target value \"{value}\" is not a value of the response model{hint}"),
                );
            }
            match &target.target {
                Target::Variable(name) => {
                    if !is_valid_name(name) {
                        self.push(
                            "payloads",
                            index,
                            Anchor::Text(name.clone()),
                            format!("{who}: data target variable \"{name}\" is not a valid name; use letters, digits, `-` and `_`"),
                        );
                    }
                }
                Target::Credential(field) => {
                    let field_name = match field {
                        CredentialField::AccessToken => "access_token",
                        CredentialField::RefreshToken => "refresh_token",
                        CredentialField::ExpiresIn => "expires_in",
                    };
                    let anchor = Anchor::FieldValue("value", value.clone());
                    match credential {
                        None if payload.credential.is_none()
                            && payload.kind != PayloadKind::Credential =>
                        {
                            self.push(
                            "payloads",
                            index,
                            anchor,
                            format!("{who}: data target \"{value}\" writes the credential's {field_name}, but the payload has no credential"),
                            )
                        }
                        // A dangling or missing credential is reported already.
                        None => {}
                        Some(c) => match &c.auth {
                            CredentialAuth::BearerToken(bearer) => {
                                let current = match field {
                                    CredentialField::AccessToken => bearer.access_token.as_str(),
                                    CredentialField::RefreshToken => bearer.refresh_token.as_str(),
                                    CredentialField::ExpiresIn => "",
                                };
                                if current.contains("{{env.") {
                                    self.push(
                                        "payloads",
                                        index,
                                        anchor,
                                        format!("{who}: data target \"{value}\" writes {field_name} of credential \"{}\", whose value is `{current}`; that would bake a secret into the file", c.id),
                                    );
                                }
                            }
                            other => self.push(
                                "payloads",
                                index,
                                anchor,
                                format!(
                                    "{who}: data target \"{value}\" writes {field_name}, but credential \"{}\" is {} credential, not a Bearer Token",
                                    c.id,
                                    a_type(other)
                                ),
                            ),
                        },
                    }
                }
            }
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one check, each borrowed"
    )]
    pub(super) fn templates(
        &mut self,
        section: &'static str,
        index: usize,
        who: Label<'_>,
        field: &str,
        text: &str,
        credential: CredentialRef<'_>,
        inputs: &[&str],
    ) {
        let found = match template::check(text) {
            Ok(found) => found,
            Err(e) => {
                self.push(
                    section,
                    index,
                    template_anchor(text, &e),
                    format!("{who}: {field}: {}", template_error(&e)),
                );
                return;
            }
        };
        let in_payload = section == "payloads";
        for placeholder in found {
            let raw = placeholder.to_string();
            let problem = match &placeholder {
                Placeholder::Credential(name) if !in_payload => {
                    Some(format!("`{}` can only be used in a payload", raw))
                }
                Placeholder::Input(_) if !in_payload => {
                    Some(format!("`{}` can only be used in a payload", raw))
                }
                Placeholder::Credential(name) => match credential {
                    CredentialRef::Reported => None,
                    CredentialRef::None => Some(format!(
                        "`{}` is used but the payload has no credential",
                        raw
                    )),
                    CredentialRef::Found(c) => {
                        let fields = credential_fields(&c.auth);
                        template::credential_field(c, name).is_none().then(|| {
                            let hint = closest(name, fields.iter().copied())
                                .map(|s| format!(" (did you mean `{{{{credential.{s}}}}}`?)"))
                                .unwrap_or_else(|| format!("; it has {}", fields.join(", ")));
                            format!(
                                "`{}`: {} credential has no field \"{name}\"{hint}",
                                raw,
                                a_type(&c.auth)
                            )
                        })
                    }
                },
                Placeholder::Input(name) => (!inputs.contains(&name.as_str())).then(|| {
                    let hint = closest(name, inputs.iter().copied())
                        .map(|s| format!(" (did you mean `{{{{input.{s}}}}}`?)"))
                        .unwrap_or_else(|| "; declare it in the payload's inputs".to_string());
                    format!("`{}` is not a declared input{hint}", raw)
                }),
                Placeholder::Var(name) => (!self.variable_known(name)).then(|| {
                    let names = self.variable_names();
                    let hint = closest(name, names.iter().map(String::as_str))
                        .map(|s| format!(" (did you mean `{{{{var.{s}}}}}`?)"))
                        .unwrap_or_default();
                    format!(
                        "`{}`: no variable \"{name}\" is defined or written by a data target{hint}",
                        raw
                    )
                }),
                Placeholder::Env(name) => {
                    (!name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| {
                        format!(
                            "`{}`: environment variable names are letters, digits and `_`",
                            raw
                        )
                    })
                }
                Placeholder::Now => None,
            };
            if let Some(problem) = problem {
                self.push(
                    section,
                    index,
                    placeholder_anchor(text, &raw),
                    format!("{who}: {field}: {problem}"),
                );
            }
        }
    }
}
