//! Who reads and who writes each workspace Variable: the records whose templates hold
//! `{{var.NAME}}` (Payloads, and Integrations' base URL and headers) and the Payloads whose Data
//! Targets write it. The TUI's Variables view and its delete dialog read these.

use super::model::{Body, Integration, Payload, Target, Workspace};
use crate::template::{self, Placeholder};

/// Every template text of a Payload: endpoint, header and parameter values, body.
pub fn payload_texts(payload: &Payload) -> Vec<&str> {
    let mut texts = vec![payload.endpoint.as_str()];
    texts.extend(payload.headers.iter().map(|h| h.value.as_str()));
    texts.extend(payload.parameters.iter().map(|p| p.value.as_str()));
    match &payload.body {
        Body::None => {}
        Body::Json(text) | Body::Raw { text, .. } => texts.push(text),
        Body::Form(fields) => texts.extend(fields.iter().map(|f| f.value.as_str())),
    }
    texts
}

/// Every template text of an Integration: its base URL and header values.
fn integration_texts(integration: &Integration) -> Vec<&str> {
    let mut texts = vec![integration.base_url.as_str()];
    texts.extend(integration.headers.iter().map(|h| h.value.as_str()));
    texts
}

/// Whether any of `texts` holds `{{var.name}}` (parsed, so `{{ var.name }}` counts too).
fn reads(texts: &[&str], name: &str) -> bool {
    texts.iter().any(|text| {
        template::check(text)
            .map(|ps| {
                ps.iter()
                    .any(|p| matches!(p, Placeholder::Var(n) if n == name))
            })
            .unwrap_or(false)
    })
}

/// Who reads and writes one Variable.
#[derive(Debug, Clone, Default)]
pub struct VariableUse<'w> {
    pub read_by_payloads: Vec<&'w Payload>,
    pub read_by_integrations: Vec<&'w Integration>,
    /// Each Payload writing it, with the response value its Data Target writes.
    pub written_by: Vec<(&'w Payload, &'w str)>,
}

impl VariableUse<'_> {
    pub fn is_unused(&self) -> bool {
        self.read_by_payloads.is_empty()
            && self.read_by_integrations.is_empty()
            && self.written_by.is_empty()
    }
}

impl Workspace {
    /// Who reads and writes the Variable `name` (whether or not it is defined).
    pub fn variable_use(&self, name: &str) -> VariableUse<'_> {
        VariableUse {
            read_by_payloads: self
                .payloads
                .iter()
                .filter(|p| reads(&payload_texts(p), name))
                .collect(),
            read_by_integrations: self
                .integrations
                .iter()
                .filter(|i| reads(&integration_texts(i), name))
                .collect(),
            written_by: self
                .payloads
                .iter()
                .flat_map(|p| {
                    p.targets.iter().filter_map(move |t| match &t.target {
                        Target::Variable(v) if v == name => Some((p, t.value.as_str())),
                        _ => None,
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_workspace_says_who_reads_and_writes_its_variables() {
        let ws = crate::workspace::parse(
            std::path::Path::new("workspace.ron"),
            crate::workspace::DEMO_WORKSPACE,
        )
        .unwrap();
        for v in &ws.variables {
            let used = ws.variable_use(&v.name);
            for p in &used.read_by_payloads {
                assert!(
                    payload_texts(p)
                        .iter()
                        .any(|t| t.contains(&format!("var.{}", v.name)))
                );
            }
        }
        let mut ws = ws;
        ws.payloads[0].endpoint = "/x/{{ var.spaced }}".into();
        let used = ws.variable_use("spaced");
        assert_eq!(used.read_by_payloads.len(), 1);
        assert!(ws.variable_use("spa").read_by_payloads.is_empty());
    }
}
