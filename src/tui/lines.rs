//! The one-record-per-line syntax of the multi-line form fields (header lists, form bodies,
//! response models, Data Targets, dynamic inputs): parse with a reason per bad line, and format.

use crate::workspace::{
    CredentialField, DataTarget, DynamicInput, KeyValue, ResponseValue, Target, ValueSource,
};

/// The hint shown under each kind of multi-line field.
pub const KEY_VALUE_HINT: &str = "one per line: Name: value";
pub const RESPONSE_HINT: &str =
    "one per line: name: json $.path | name: form key | name: header Header-Name";
pub const TARGETS_HINT: &str =
    "one per line: value -> credential access_token|refresh_token|expires_in | value -> var NAME";
pub const INPUTS_HINT: &str = "one per line: name, or name: default, then optional  # description";

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// `Name: value` per line.
pub fn parse_key_values(text: &str) -> Result<Vec<KeyValue>, String> {
    content_lines(text)
        .map(|(n, line)| {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("line {n}: expected `Name: value`"))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(format!("line {n}: the name before `:` is empty"));
            }
            Ok(KeyValue::new(name, value.trim()))
        })
        .collect()
}

pub fn format_key_values(list: &[KeyValue]) -> String {
    list.iter()
        .map(|kv| format!("{}: {}", kv.name, kv.value))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `name: json $.path`, `name: form key`, `name: header Name` per line.
pub fn parse_response(text: &str) -> Result<Vec<ResponseValue>, String> {
    content_lines(text)
        .map(|(n, line)| {
            let bad = || format!("line {n}: expected `name: json $.path`, `name: form key` or `name: header Name`");
            let (name, rest) = line.split_once(':').ok_or_else(bad)?;
            let (source, arg) = rest.trim().split_once(char::is_whitespace).ok_or_else(bad)?;
            let arg = arg.trim().to_string();
            let source = match source {
                "json" => ValueSource::JsonPath(arg),
                "form" => ValueSource::FormKey(arg),
                "header" => ValueSource::Header(arg),
                other => return Err(format!("line {n}: unknown source `{other}`: use json, form or header")),
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(bad());
            }
            Ok(ResponseValue { name: name.to_string(), source })
        })
        .collect()
}

pub fn format_response(list: &[ResponseValue]) -> String {
    list.iter()
        .map(|v| match &v.source {
            ValueSource::JsonPath(p) => format!("{}: json {p}", v.name),
            ValueSource::FormKey(k) => format!("{}: form {k}", v.name),
            ValueSource::Header(h) => format!("{}: header {h}", v.name),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn field_word(field: CredentialField) -> &'static str {
    match field {
        CredentialField::AccessToken => "access_token",
        CredentialField::RefreshToken => "refresh_token",
        CredentialField::ExpiresIn => "expires_in",
    }
}

/// `value -> credential FIELD` or `value -> var NAME` per line.
pub fn parse_targets(text: &str) -> Result<Vec<DataTarget>, String> {
    content_lines(text)
        .map(|(n, line)| {
            let bad = || format!("line {n}: expected `value -> credential FIELD` or `value -> var NAME`");
            let (value, target) = line.split_once("->").ok_or_else(bad)?;
            let (scope, name) = target.trim().split_once(char::is_whitespace).ok_or_else(bad)?;
            let name = name.trim();
            let target = match scope {
                "credential" => Target::Credential(match name {
                    "access_token" => CredentialField::AccessToken,
                    "refresh_token" => CredentialField::RefreshToken,
                    "expires_in" => CredentialField::ExpiresIn,
                    other => {
                        return Err(format!(
                            "line {n}: `{other}` is not a Credential field a target can write: use access_token, refresh_token or expires_in"
                        ));
                    }
                }),
                "var" => Target::Variable(name.to_string()),
                other => return Err(format!("line {n}: unknown target `{other}`: use credential or var")),
            };
            let value = value.trim();
            if value.is_empty() {
                return Err(bad());
            }
            Ok(DataTarget { value: value.to_string(), target })
        })
        .collect()
}

pub fn format_targets(list: &[DataTarget]) -> String {
    list.iter()
        .map(|t| match &t.target {
            Target::Credential(f) => format!("{} -> credential {}", t.value, field_word(*f)),
            Target::Variable(v) => format!("{} -> var {v}", t.value),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `name`, `name: default`, each optionally followed by `  # description`.
pub fn parse_inputs(text: &str) -> Result<Vec<DynamicInput>, String> {
    content_lines(text)
        .map(|(n, line)| {
            let (spec, description) = match line.split_once(" #") {
                Some((spec, d)) => (spec.trim(), d.trim().to_string()),
                None => (line, String::new()),
            };
            let (name, default) = match spec.split_once(':') {
                Some((name, default)) => (name.trim(), Some(default.trim().to_string())),
                None => (spec.trim(), None),
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "line {n}: an input name is letters, digits, `_` or `-`"
                ));
            }
            Ok(DynamicInput {
                name: name.to_string(),
                default,
                description,
            })
        })
        .collect()
}

pub fn format_inputs(list: &[DynamicInput]) -> String {
    list.iter()
        .map(|i| {
            let mut line = i.name.clone();
            if let Some(d) = &i.default {
                line.push_str(": ");
                line.push_str(d);
            }
            if !i.description.is_empty() {
                line.push_str("  # ");
                line.push_str(&i.description);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syntax_round_trips() {
        let headers = "Accept: application/json\nX-Trace: {{now}}";
        assert_eq!(
            format_key_values(&parse_key_values(headers).unwrap()),
            headers
        );
        let response = "access_token: json $.access_token\nsession: header X-Session\nk: form key";
        assert_eq!(
            format_response(&parse_response(response).unwrap()),
            response
        );
        let targets = "access_token -> credential access_token\nid -> var contact_id";
        assert_eq!(format_targets(&parse_targets(targets).unwrap()), targets);
        let inputs = "contact_id: 42  # which contact\nnote";
        assert_eq!(format_inputs(&parse_inputs(inputs).unwrap()), inputs);
    }

    #[test]
    fn a_bad_line_is_named_with_the_reason() {
        assert_eq!(
            parse_key_values("A: 1\n\nno colon").unwrap_err(),
            "line 3: expected `Name: value`"
        );
        assert!(
            parse_response("x: xml /a")
                .unwrap_err()
                .contains("unknown source `xml`")
        );
        assert!(
            parse_targets("a -> credential password")
                .unwrap_err()
                .contains("`password`")
        );
    }
}
