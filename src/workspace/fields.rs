//! The field table of every Credential type: each text field's name (in the file and in
//! `{{credential.NAME}}`), its label (in the TUI form and detail view) and whether it is a secret
//! (masked on screen, redacted in every Job). Written once here; validation, templates, the TUI
//! and redaction all read it, so a field added to a type is seen by all of them. A Bearer Token
//! Credential's `login` has a table of its own (its fields are not `{{credential.NAME}}`s).
//! `CredentialType` lists the types themselves, for the form's choice and a blank of each.

use super::model::{
    ApiKey, BasicAuth, BearerToken, CertificateAuth, CredentialAuth, CustomAuth, Login,
    LoginEndpoint, Placement,
};

/// One text field of a Credential type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name in the RON file, and in `{{credential.NAME}}`.
    pub name: &'static str,
    /// How the TUI names it.
    pub label: &'static str,
    /// A secret is masked on screen and redacted, whatever its length, from every Job.
    pub secret: bool,
}

/// The text fields of one Credential type, in the order they are shown.
pub(crate) trait CredentialFields {
    const FIELDS: &'static [FieldSpec];
    /// The values of [`Self::FIELDS`], in the same order.
    fn values(&self) -> Vec<&String>;
    fn values_mut(&mut self) -> Vec<&mut String>;
}

/// Writes the table of one type: `field: "Label", secret;` per text field. `values` and
/// `values_mut` are generated from the same list, so they cannot disagree with it.
macro_rules! field_table {
    ($ty:ty { $($field:ident: $label:literal, $secret:literal;)* }) => {
        impl CredentialFields for $ty {
            const FIELDS: &'static [FieldSpec] = &[
                $(FieldSpec { name: stringify!($field), label: $label, secret: $secret },)*
            ];
            fn values(&self) -> Vec<&String> {
                vec![$(&self.$field),*]
            }
            fn values_mut(&mut self) -> Vec<&mut String> {
                vec![$(&mut self.$field),*]
            }
        }
    };
}

field_table!(BearerToken {
    client_id: "Client Id", false;
    client_secret: "Client Secret", true;
    access_token: "Access Token", true;
    refresh_token: "Refresh Token", true;
});
field_table!(BasicAuth {
    username: "Username", false;
    password: "Password", true;
});
field_table!(ApiKey {
    header: "Header", false;
    value: "Value", true;
});
field_table!(CustomAuth {
    name: "Header/param", false;
    value: "Value", true;
});
field_table!(CertificateAuth {
    cert_path: "Certificate", false;
    key_path: "Key", false;
});

// The `login` of a Bearer Token Credential: where its first tokens are asked for.
field_table!(LoginEndpoint {
    issuer: "Issuer", false;
    endpoint: "Login endpoint", false;
    scope: "Scope", false;
});

impl Login {
    /// Each text field of the login with its value as written in the file.
    pub fn fields(&self) -> Vec<(&'static FieldSpec, &str)> {
        let endpoint = self.endpoint();
        LoginEndpoint::FIELDS
            .iter()
            .zip(endpoint.values())
            .map(|(spec, value)| (spec, value.as_str()))
            .collect()
    }

    /// What the login's kind is called in the form and the detail view.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Login::DeviceCode(_) => "device code (RFC 8628)",
            Login::AuthorizationCode(_) => "browser login (authorization code, PKCE)",
        }
    }
}

/// Every Credential type, one per `CredentialAuth` variant, in the order the form offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialType {
    BearerToken,
    Basic,
    ApiKey,
    Custom,
    Certificate,
}

impl CredentialType {
    pub const ALL: &'static [CredentialType] = &[
        CredentialType::BearerToken,
        CredentialType::Basic,
        CredentialType::ApiKey,
        CredentialType::Custom,
        CredentialType::Certificate,
    ];

    pub fn of(auth: &CredentialAuth) -> CredentialType {
        match auth {
            CredentialAuth::BearerToken(_) => CredentialType::BearerToken,
            CredentialAuth::Basic(_) => CredentialType::Basic,
            CredentialAuth::ApiKey(_) => CredentialType::ApiKey,
            CredentialAuth::Custom(_) => CredentialType::Custom,
            CredentialAuth::Certificate(_) => CredentialType::Certificate,
        }
    }

    /// A Credential of this type with its fields blank (an API key's header defaulted): what
    /// the form starts from, and fills from the type's field table.
    pub fn blank(self) -> CredentialAuth {
        match self {
            CredentialType::BearerToken => CredentialAuth::BearerToken(BearerToken::empty("")),
            CredentialType::Basic => CredentialAuth::Basic(BasicAuth {
                username: String::new(),
                password: String::new(),
            }),
            CredentialType::ApiKey => CredentialAuth::ApiKey(ApiKey {
                header: super::model::default_api_key_header(),
                value: String::new(),
            }),
            CredentialType::Custom => CredentialAuth::Custom(CustomAuth {
                placement: Placement::Header,
                name: String::new(),
                value: String::new(),
            }),
            CredentialType::Certificate => CredentialAuth::Certificate(CertificateAuth {
                cert_path: String::new(),
                key_path: String::new(),
            }),
        }
    }

    /// The type's name as the user reads it ("Bearer Token").
    pub fn label(self) -> &'static str {
        self.blank().type_name()
    }
}

/// Every field of every type, for `{{credential.NAME}}` checks that know no type yet.
pub const ALL_FIELDS: &[&[FieldSpec]] = &[
    BearerToken::FIELDS,
    BasicAuth::FIELDS,
    ApiKey::FIELDS,
    CustomAuth::FIELDS,
    CertificateAuth::FIELDS,
];

impl CredentialAuth {
    /// The table of this Credential's type.
    pub fn field_specs(&self) -> &'static [FieldSpec] {
        match self {
            CredentialAuth::BearerToken(_) => BearerToken::FIELDS,
            CredentialAuth::Basic(_) => BasicAuth::FIELDS,
            CredentialAuth::ApiKey(_) => ApiKey::FIELDS,
            CredentialAuth::Custom(_) => CustomAuth::FIELDS,
            CredentialAuth::Certificate(_) => CertificateAuth::FIELDS,
        }
    }

    /// Each text field with its value as written in the file.
    pub fn fields(&self) -> Vec<(&'static FieldSpec, &str)> {
        let values = match self {
            CredentialAuth::BearerToken(a) => a.values(),
            CredentialAuth::Basic(a) => a.values(),
            CredentialAuth::ApiKey(a) => a.values(),
            CredentialAuth::Custom(a) => a.values(),
            CredentialAuth::Certificate(a) => a.values(),
        };
        self.field_specs()
            .iter()
            .zip(values)
            .map(|(spec, value)| (spec, value.as_str()))
            .collect()
    }

    /// Each text field with its value, to be rewritten (env references resolved, say).
    pub fn fields_mut(&mut self) -> Vec<(&'static FieldSpec, &mut String)> {
        let specs = self.field_specs();
        let values = match self {
            CredentialAuth::BearerToken(a) => a.values_mut(),
            CredentialAuth::Basic(a) => a.values_mut(),
            CredentialAuth::ApiKey(a) => a.values_mut(),
            CredentialAuth::Custom(a) => a.values_mut(),
            CredentialAuth::Certificate(a) => a.values_mut(),
        };
        specs.iter().zip(values).collect()
    }

    /// The value of the field named `name`, if this type has one.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields()
            .into_iter()
            .find(|(spec, _)| spec.name == name)
            .map(|(_, value)| value)
    }

    /// The values of the secret fields, as written (references included).
    pub fn secret_values(&self) -> Vec<&str> {
        self.fields()
            .into_iter()
            .filter(|(spec, _)| spec.secret)
            .map(|(_, value)| value)
            .collect()
    }
}

/// Whether any Credential type has a field named `name`.
pub fn is_credential_field(name: &str) -> bool {
    ALL_FIELDS
        .iter()
        .flat_map(|t| t.iter())
        .any(|f| f.name == name)
}

/// Every field name any Credential type has, each once, in table order.
pub fn all_field_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for spec in ALL_FIELDS.iter().flat_map(|t| t.iter()) {
        if !names.contains(&spec.name) {
            names.push(spec.name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_as_many_values_as_fields() {
        let bearer = BearerToken {
            client_id: "id".into(),
            client_secret: "s".into(),
            access_token: "a".into(),
            refresh_token: "r".into(),
            access_token_duration_minutes: 60,
            obtained_at: None,
            expires_at: None,
            token_payload: "p".into(),
            login: None,
            fallback_to_client_credentials: false,
        };
        let auth = CredentialAuth::BearerToken(bearer);
        assert_eq!(auth.field("client_secret"), Some("s"));
        assert_eq!(auth.secret_values(), ["s", "a", "r"]);
        assert_eq!(auth.field("password"), None);
        assert!(is_credential_field("key_path"));
        assert_eq!(all_field_names().len(), 11);
    }

    #[test]
    fn a_login_reads_its_fields_from_its_table() {
        let login = Login::DeviceCode(LoginEndpoint {
            endpoint: "/device".into(),
            scope: "read".into(),
            issuer: "https://id.example".into(),
        });
        let fields: Vec<(&str, &str)> = login
            .fields()
            .into_iter()
            .map(|(spec, value)| (spec.name, value))
            .collect();
        assert_eq!(
            fields,
            [
                ("issuer", "https://id.example"),
                ("endpoint", "/device"),
                ("scope", "read")
            ]
        );
        // Not `{{credential.NAME}}`s: templates cannot read them.
        assert!(!is_credential_field("issuer"));
    }
}
