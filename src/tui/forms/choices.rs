//! The typed choices of the forms: each a closed set with a label per value, so a submitted form
//! reads back a value of the enum (never a string compared to a literal), and adding a
//! Credential type, Payload kind or method makes the compiler list every `match` to extend.

pub use crate::workspace::CredentialType;
use crate::workspace::{Body, ClientAuth, Method, PayloadKind, Placement};

/// A closed set of values a choice field offers, each with the label it shows.
pub trait Choice: Copy + PartialEq + 'static {
    /// Every value, in the order the field offers them.
    fn all() -> &'static [Self];
    fn label(self) -> &'static str;

    /// The value whose label this is; None for anything else.
    fn from_label(label: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.label() == label)
    }

    fn labels() -> Vec<String> {
        Self::all().iter().map(|v| v.label().to_string()).collect()
    }
}

impl Choice for CredentialType {
    fn all() -> &'static [Self] {
        CredentialType::ALL
    }
    fn label(self) -> &'static str {
        CredentialType::label(self)
    }
}

impl Choice for PayloadKind {
    fn all() -> &'static [Self] {
        &PayloadKind::ALL
    }
    fn label(self) -> &'static str {
        match self {
            PayloadKind::Callout => "Callout",
            PayloadKind::Webhook => "Webhook",
            PayloadKind::Credential => "Credential",
        }
    }
}

impl Choice for Method {
    fn all() -> &'static [Self] {
        &Method::ALL
    }
    fn label(self) -> &'static str {
        self.as_str()
    }
}

impl Choice for ClientAuth {
    fn all() -> &'static [Self] {
        &[ClientAuth::InBody, ClientAuth::BasicHeader]
    }
    fn label(self) -> &'static str {
        match self {
            ClientAuth::InBody => "in body",
            ClientAuth::BasicHeader => "Basic header",
        }
    }
}

impl Choice for Placement {
    fn all() -> &'static [Self] {
        &[Placement::Header, Placement::Query]
    }
    fn label(self) -> &'static str {
        match self {
            Placement::Header => "Header",
            Placement::Query => "Query",
        }
    }
}

/// The kinds of request body, one per `Body` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    None,
    Json,
    Form,
    Raw,
}

impl BodyKind {
    pub fn of(body: &Body) -> BodyKind {
        match body {
            Body::None => BodyKind::None,
            Body::Json(_) => BodyKind::Json,
            Body::Form(_) => BodyKind::Form,
            Body::Raw { .. } => BodyKind::Raw,
        }
    }
}

impl Choice for BodyKind {
    fn all() -> &'static [Self] {
        &[
            BodyKind::None,
            BodyKind::Json,
            BodyKind::Form,
            BodyKind::Raw,
        ]
    }
    fn label(self) -> &'static str {
        match self {
            BodyKind::None => "None",
            BodyKind::Json => "JSON",
            BodyKind::Form => "Form",
            BodyKind::Raw => "Raw",
        }
    }
}

/// How a new Token Payload obtains tokens (the oauth module's grants).
impl Choice for crate::oauth::grant::Grant {
    fn all() -> &'static [Self] {
        &crate::oauth::grant::Grant::ALL
    }
    fn label(self) -> &'static str {
        self.short_label()
    }
}

/// A yes/no choice.
impl Choice for bool {
    fn all() -> &'static [Self] {
        &[false, true]
    }
    fn label(self) -> &'static str {
        if self { "yes" } else { "no" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Choice + std::fmt::Debug>() {
        for &value in T::all() {
            assert_eq!(T::from_label(value.label()), Some(value));
        }
        assert_eq!(T::from_label("no such label"), None);
    }

    #[test]
    fn every_label_reads_back_as_its_value() {
        round_trips::<CredentialType>();
        round_trips::<PayloadKind>();
        round_trips::<Method>();
        round_trips::<ClientAuth>();
        round_trips::<Placement>();
        round_trips::<BodyKind>();
        round_trips::<bool>();
    }
}
