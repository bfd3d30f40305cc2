//! A stand-in scanner for `{{...}}` template placeholders, used by validation until
//! `crate::template::check` lands; it accepts exactly the known forms.

use super::diagnostics::closest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    Credential(String),
    Input(String),
    Var(String),
    Env(String),
    Now,
}

/// A placeholder as written (`raw`) and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub raw: String,
    pub placeholder: Placeholder,
}

/// A placeholder that is not of a known form: the text to point at and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPlaceholder {
    pub raw: String,
    pub message: String,
}

const FORMS: &str = "{{credential.FIELD}}, {{input.NAME}}, {{var.NAME}}, {{env.NAME}} or {{now}}";

pub fn scan(text: &str) -> Result<Vec<Found>, BadPlaceholder> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            let raw: String = rest[open..].chars().take(24).collect();
            return Err(BadPlaceholder {
                message: format!("`{raw}` is not closed; a placeholder ends with `}}}}`"),
                raw,
            });
        };
        let raw = format!("{{{{{}}}}}", &after[..close]);
        found.push(Found {
            placeholder: parse(after[..close].trim(), &raw)?,
            raw,
        });
        rest = &after[close + 2..];
    }
    Ok(found)
}

fn parse(inner: &str, raw: &str) -> Result<Placeholder, BadPlaceholder> {
    let bad = |message: String| BadPlaceholder {
        raw: raw.to_string(),
        message,
    };
    if inner == "now" {
        return Ok(Placeholder::Now);
    }
    let Some((kind, name)) = inner.split_once('.') else {
        let hint = match closest(inner, ["now"]) {
            Some(s) => format!("did you mean `{{{{{s}}}}}`?"),
            None => format!("use {FORMS}"),
        };
        return Err(bad(format!("unknown placeholder `{raw}`; {hint}")));
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(bad(format!(
            "placeholder `{raw}` needs a name of letters, digits, `-` or `_` after `{kind}.`"
        )));
    }
    match kind {
        "credential" => Ok(Placeholder::Credential(name.to_string())),
        "input" => Ok(Placeholder::Input(name.to_string())),
        "var" => Ok(Placeholder::Var(name.to_string())),
        "env" => Ok(Placeholder::Env(name.to_string())),
        other => {
            let hint = match closest(other, ["credential", "input", "var", "env"]) {
                Some(s) => format!("did you mean `{{{{{s}.{name}}}}}`?"),
                None => format!("use {FORMS}"),
            };
            Err(bad(format!("unknown placeholder `{raw}`; {hint}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_known_forms_and_rejects_others() {
        let found = scan("a {{input.id}} b {{ now }} {{env.HOME}}").unwrap();
        assert_eq!(found[0].placeholder, Placeholder::Input("id".into()));
        assert_eq!(found[1].raw, "{{ now }}");
        assert_eq!(found[2].placeholder, Placeholder::Env("HOME".into()));
        let bad = scan("x {{inputs.id}}").unwrap_err();
        assert_eq!(
            bad.message,
            "unknown placeholder `{{inputs.id}}`; did you mean `{{input.id}}`?"
        );
        assert!(
            scan("{{input.id")
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(
            scan("{{var.}}")
                .unwrap_err()
                .message
                .contains("needs a name")
        );
    }
}
