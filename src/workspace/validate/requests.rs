//! Request rules a server would otherwise be the first to catch: header names that HTTP does not
//! allow, and JSON bodies that are not JSON.

use super::*;

impl<'w> Checker<'w> {
    /// Every header name in `headers` must be an HTTP token (no spaces, colons or quotes).
    pub(super) fn header_names(
        &mut self,
        section: &'static str,
        index: usize,
        who: Label<'_>,
        headers: &[KeyValue],
    ) {
        for header in headers {
            if !is_header_name(&header.name) {
                self.push(
                    section,
                    index,
                    Anchor::FieldValue("name", header.name.clone()),
                    format!("{who}: {}", bad_header_name(&header.name)),
                );
            }
        }
    }

    /// The header an API Key or Custom credential sends must be a valid header name.
    pub(super) fn credential_header(
        &mut self,
        index: usize,
        who: Label<'_>,
        auth: &CredentialAuth,
    ) {
        let (field, name) = match auth {
            CredentialAuth::ApiKey(key) => ("header", &key.header),
            CredentialAuth::Custom(custom) if custom.placement == Placement::Header => {
                ("name", &custom.name)
            }
            _ => return,
        };
        if !name.contains("{{") && !is_header_name(name) {
            self.push(
                "credentials",
                index,
                Anchor::FieldValue(field, name.clone()),
                format!("{who}: {}", bad_header_name(name)),
            );
        }
    }

    /// A JSON body must be JSON once its placeholders are filled in. Each placeholder stands in
    /// as `0`, which is valid both inside a string and as a bare value.
    pub(super) fn json_body(&mut self, index: usize, who: Label<'_>, text: &str) {
        let Some(filled) = fill_placeholders(text) else {
            return; // a template error, reported already
        };
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&filled) {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what);
            let line = if text.contains('\n') {
                format!(" (line {} of the body)", e.line())
            } else {
                String::new()
            };
            self.push(
                "payloads",
                index,
                Anchor::Text(text.to_string()),
                format!("{who}: body: not valid JSON{line}: {what}"),
            );
        }
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn bad_header_name(name: &str) -> String {
    format!(
        "header name \"{name}\" is not valid: use letters, digits and `-` (no spaces or `:`), \
         e.g. \"{}\"",
        name.trim()
            .trim_end_matches(':')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
    )
}

fn fill_placeholders(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let close = rest[open..].find("}}")?;
        out.push('0');
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    Some(out)
}
