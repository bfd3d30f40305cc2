//! Typed ids: an Integration, Credential, Payload or Job id is a string on the wire and in the
//! file, and a distinct type in the code, so one can never be passed where another is meant.

/// Declares a string id type: serde-transparent (the file and the Jobs history keep plain
/// strings), shown as itself, read as a `&str` wherever a string is enough, and compared with
/// strings directly so lookups and tests read as before.
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Default,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // Hash and Eq agree with `str`'s (one `String` field), so maps keyed by id can be
        // looked up with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                $name(id.clone())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.clone()
            }
        }

        impl<'a> From<$name> for std::borrow::Cow<'a, str> {
            fn from(id: $name) -> Self {
                std::borrow::Cow::Owned(id.0)
            }
        }

        impl<'a> From<&'a $name> for std::borrow::Cow<'a, str> {
            fn from(id: &'a $name) -> Self {
                std::borrow::Cow::Borrowed(&id.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

pub(crate) use string_id;

string_id!(
    /// The stable id of an Integration (`sandbox`).
    IntegrationId
);
string_id!(
    /// The stable id of a Credential (`sandbox-oauth`).
    CredentialId
);
string_id!(
    /// The stable id of a Payload (`list-contacts`).
    PayloadId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn ids_are_plain_strings_on_the_wire_and_compare_with_strings() {
        let id = PayloadId::from("list-contacts");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"list-contacts\"");
        let back: PayloadId = serde_json::from_str("\"list-contacts\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id, "list-contacts");
        assert_eq!(id.to_string(), "list-contacts");
        let mut map = HashMap::new();
        map.insert(id.clone(), 1);
        assert_eq!(map.get("list-contacts"), Some(&1));
    }
}
