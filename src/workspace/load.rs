//! Reading a workspace file: RON parsing with every error as `path:line:col: message`, a
//! suggestion where one is likely, then validation of references and rules.

use super::diagnostics::{Diagnostic, Diagnostics, closest};
use super::locate::{Locator, Pos};
use super::model::Workspace;
use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use std::path::Path;

/// The RON dialect of workspace files, for reading and writing alike. `implicit_some` lets an
/// optional field be written plainly (`timeout_secs: 30`, not `Some(30)`);
/// `unwrap_variant_newtypes` lets a Credential's type hold its fields directly
/// (`auth: BearerToken(client_id: "…")`, not `BearerToken((client_id: "…"))`). Both are on by
/// default, so a file needs no `#![enable(...)]` line.
pub fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
}

/// Reads, parses and validates the workspace file at `path`.
pub fn load(path: &Path) -> Result<Workspace, Diagnostics> {
    let text = read(path)?;
    parse(path, &text)
}

/// Reads and parses the file without checking references and rules: for readers that only need
/// what the file holds (the secrets to redact, say), even when it is not a valid workspace.
pub fn load_unvalidated(path: &Path) -> Result<Workspace, Diagnostics> {
    let text = read(path)?;
    parse_syntax(path, &text)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether the file starts with a UTF-8 byte order mark, which `read` leaves out of the text and
/// a save puts back, so that the file changes only where its content did.
pub fn starts_with_bom(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 3];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == UTF8_BOM)
}

/// The largest workspace file read: far above any real one, far below what hurts memory.
pub const MAX_WORKSPACE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a regular file of at most `max` bytes without ever blocking on it: it is opened with
/// O_NONBLOCK (a FIFO does not hang the open), then refused unless it is a regular file (a FIFO,
/// a device such as /dev/zero, a directory) or when it is larger than `max`; the read itself
/// stops at `max` bytes even if the file grows meanwhile.
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, len) = open_bounded(path, max)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "it grew past the {max} bytes read while being read"
        )));
    }
    Ok(bytes)
}

/// The checks of [`read_bounded`] without the read: `Ok` when the file would be read.
pub fn read_bounded_check(path: &Path, max: u64) -> std::io::Result<()> {
    open_bounded(path, max).map(|_| ())
}

fn open_bounded(path: &Path, max: u64) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, O_NONBLOCK);
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory, not a file",
        ));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a FIFO, a socket or a device); give the path of a file",
        ));
    }
    if meta.len() > max {
        return Err(std::io::Error::other(format!(
            "it is {} bytes, more than the {max} read",
            meta.len()
        )));
    }
    Ok((file, meta.len()))
}

/// O_NONBLOCK, without a libc dependency for one constant.
#[cfg(unix)]
const O_NONBLOCK: i32 = if cfg!(any(target_os = "linux", target_os = "android")) {
    0o4000
} else {
    0x0004
};

/// Reads the file's text; a missing or unreadable file is one file-level diagnostic.
pub fn read(path: &Path) -> Result<String, Diagnostics> {
    let bytes = read_bounded(path, MAX_WORKSPACE_BYTES).map_err(|e| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::IsADirectory => {
                "this is a directory; give the path of the workspace file (--workspace PATH)"
                    .to_string()
            }
            _ => format!("could not read: {e}"),
        };
        Diagnostics::single(Diagnostic::file(path, message))
    })?;
    // Some Windows editors start UTF-8 files with a byte order mark; it is not part of the text.
    let bytes = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let pos = Locator::new(&text).pos(text.len());
        Diagnostics::single(Diagnostic::at(
            path,
            pos.line,
            pos.col,
            "the file is not UTF-8 text",
        ))
    })
}

/// Parses and validates workspace text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Workspace, Diagnostics> {
    let workspace = parse_syntax(path, text)?;
    super::validate::validate(path, text, &workspace)?;
    Ok(workspace)
}

/// Parses workspace text without validating references and rules.
pub fn parse_syntax(path: &Path, text: &str) -> Result<Workspace, Diagnostics> {
    // An empty file (a `touch`ed one, say) is an empty workspace, ready to be filled.
    if text.trim().is_empty() {
        return Ok(Workspace::default());
    }
    from_ron(text).map_err(|e| Diagnostics::single(describe(path, text, &e)))
}

/// Workspace text read in the workspace's dialect: by the fast reader when the text is within
/// its subset (almost every file), else by `ron`, which also words every error.
pub(crate) fn from_ron(text: &str) -> Result<Workspace, SpannedError> {
    match super::fast_read::from_str::<Workspace>(text) {
        Ok(workspace) => Ok(workspace),
        Err(super::fast_read::Declined) => ron_options().from_str::<Workspace>(text),
    }
}

fn describe(path: &Path, text: &str, error: &SpannedError) -> Diagnostic {
    let locator = Locator::new(text);
    let reported = locator.offset(Pos {
        line: error.span.start.line,
        col: error.span.start.col,
    });
    let (offset, message) = match syntax_hint(text, &error.code, reported) {
        Some((offset, message)) => (offset, message),
        None => (reported, message(&error.code)),
    };
    let at = locator.pos(offset);
    // Name the record the error is in, as validation errors do, when the text gets that far.
    let record = locator.record_at(offset).map(|(section, index)| {
        let (kind, key) = match section {
            "integrations" => ("integration", "id"),
            "credentials" => ("credential", "id"),
            "payloads" => ("payload", "id"),
            _ => ("variable", "name"),
        };
        let record = match locator.record_field_text(section, index, key) {
            Some(id) => format!("{kind} \"{id}\""),
            None => format!("{kind} #{}", index + 1),
        };
        (kind, record)
    });
    let message = match locator.multiline_string_before(offset) {
        Some(start) if is_syntax(&error.code) => format!(
            "{}; the string at line {}:{} runs over several lines: is its closing `\"` missing?",
            lowercase_first(&error.code.to_string()),
            start.line,
            start.col
        ),
        _ => message,
    };
    let message = match record {
        Some((kind, record)) => {
            // The record is named already: "in payload" would repeat it.
            let suffix = format!(" in {kind}");
            let message = match message.strip_suffix(&suffix) {
                Some(m) => m.to_string(),
                None => message.replace(&format!("{suffix};"), ";"),
            };
            format!("{record}: {message}")
        }
        None => message,
    };
    Diagnostic::at(path, at.line, at.col, message)
}

/// For syntax errors whose cause is best seen in the text itself: where to point and what to
/// say. `None` leaves the parser's own position and message.
fn syntax_hint(text: &str, error: &RonError, offset: usize) -> Option<(usize, String)> {
    use crate::ronpatch::syntax::{self, TokenKind};
    let tokens = syntax::tokenize_lossy(text);
    let next_token = tokens.iter().find(|t| t.start >= offset);
    match error {
        RonError::UnclosedBlockComment => {
            let start = syntax::tokenize(text).err()?.0;
            Some((start, "this `/*` comment is never closed with `*/`".to_string()))
        }
        _ if tokens.is_empty() => Some((
            0,
            "the file holds no workspace; a workspace is one record, `(integrations: [...], credentials: \
             [...], payloads: [...], variables: [...])` (see docs/workspace-format.md)"
                .to_string(),
        )),
        RonError::Eof => {
            let mut open = Vec::new();
            for token in &tokens {
                match token.kind {
                    TokenKind::Punct(b @ (b'(' | b'[' | b'{')) => open.push((b, token.start)),
                    TokenKind::Punct(b')' | b']' | b'}') => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            let (bracket, start) = *open.last()?;
            let pos = Locator::new(text).pos(start);
            Some((
                offset,
                format!(
                    "unexpected end of file: the `{}` at line {}:{} is never closed",
                    bracket as char, pos.line, pos.col
                ),
            ))
        }
        RonError::TrailingCharacters => Some((
            next_token.map_or(offset, |t| t.start),
            "unexpected text after the end of the workspace (one `)` too many?)".to_string(),
        )),
        RonError::ExpectedNamedStructLike("Workspace") | RonError::ExpectedStructLike
            if tokens.first().is_some_and(|t| t.start >= offset) =>
        {
            Some((
                offset,
                "expected `(`: a workspace is one record, `(integrations: [...], credentials: \
                 [...], payloads: [...], variables: [...])`"
                    .to_string(),
            ))
        }
        RonError::ExpectedIdentifier => {
            let found = next_token?;
            let message = match found.kind {
                TokenKind::Punct(b',') => {
                    "expected a field name, found `,` (a stray comma, or a missing `)` before it?)"
                }
                TokenKind::Str => {
                    "expected a field name, found a string: field names are written without \
                     quotes (`name: \"…\"`)"
                }
                // `ApiKey((…))`, as plain RON writes a newtype variant.
                TokenKind::Punct(b'(') if text[..found.start].trim_end().ends_with('(') => {
                    let before = text[..found.start].trim_end().trim_end_matches('(');
                    let name_start = before
                        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .map_or(0, |i| i + 1);
                    let name = &before[name_start..];
                    return Some((
                        found.start,
                        format!(
                            "expected a field name, found a second `(`: write one pair of \
                             parentheses after the type, `{name}(field: …)`, not `{name}((…))`"
                        ),
                    ));
                }
                _ => "expected a field name",
            };
            Some((found.start, message.to_string()))
        }
        RonError::IntegerOutOfBounds => {
            let field = field_before(text, &tokens, offset)?;
            let value_start = tokens
                .iter()
                .find(|t| t.start <= offset && offset < t.end)
                .map_or(offset, |t| t.start);
            Some((
                value_start,
                format!("`{field}` must be a whole number, 0 or more"),
            ))
        }
        _ => None,
    }
}

/// The name of the field whose value is at `offset`: the identifier before the `:` before it.
fn field_before(
    text: &str,
    tokens: &[crate::ronpatch::syntax::Token],
    offset: usize,
) -> Option<String> {
    use crate::ronpatch::syntax::TokenKind;
    let index = tokens.iter().rposition(|t| t.end <= offset)?;
    let (colon, name) = (tokens.get(index)?, tokens.get(index.checked_sub(1)?)?);
    (colon.kind == TokenKind::Punct(b':') && name.kind == TokenKind::Ident)
        .then(|| text[name.start..name.end].to_string())
}

/// A user-facing message for a RON error: names the record kind as the user knows it and
/// suggests the likely fix.
fn message(error: &RonError) -> String {
    match error {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let mut m = format!("unknown field `{found}`{}", in_record(outer));
            match closest(found, expected.iter().copied()) {
                Some(suggestion) => m.push_str(&format!("; did you mean `{suggestion}`?")),
                None => m.push_str(&format!("; expected {}", one_of(expected))),
            }
            m
        }
        RonError::MissingStructField { field, outer } => {
            format!("missing field `{field}`{}", in_record(outer))
        }
        RonError::DuplicateStructField { field, outer } => {
            format!("field `{field}` is written twice{}", in_record(outer))
        }
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => {
            let what = outer
                .as_deref()
                .map_or("variant", |o| enum_name(o).unwrap_or("variant"));
            let mut m = format!("unknown {what} `{found}`");
            match closest(found, expected.iter().copied()) {
                Some(suggestion) => m.push_str(&format!("; did you mean `{suggestion}`?")),
                None => m.push_str(&format!("; expected {}", one_of(expected))),
            }
            m
        }
        RonError::InvalidValueForType { expected, found } => {
            format!("wrong type: expected {expected}, found {found}")
        }
        RonError::ExpectedString => "expected a string in double quotes".to_string(),
        RonError::Eof => {
            "unexpected end of file (a bracket or parenthesis is not closed?)".to_string()
        }
        RonError::ExpectedComma => {
            "expected a comma (is one missing at the end of the previous line?)".to_string()
        }
        RonError::ExpectedInteger => "expected a whole number (without quotes)".to_string(),
        RonError::ExpectedBoolean => "expected `true` or `false`".to_string(),
        RonError::TrailingCharacters => {
            "unexpected text after the end of the workspace".to_string()
        }
        other => lowercase_first(&other.to_string()),
    }
}

/// Whether the error is in the RON syntax itself rather than in what the fields hold.
fn is_syntax(error: &RonError) -> bool {
    !matches!(
        error,
        RonError::NoSuchStructField { .. }
            | RonError::MissingStructField { .. }
            | RonError::DuplicateStructField { .. }
            | RonError::NoSuchEnumVariant { .. }
            | RonError::InvalidValueForType { .. }
            | RonError::Message(_)
    )
}

fn in_record(outer: &Option<String>) -> String {
    match outer.as_deref().and_then(struct_name) {
        Some(name) => format!(" in {name}"),
        None => String::new(),
    }
}

/// The user-facing name of a model struct.
fn struct_name(rust_name: &str) -> Option<&'static str> {
    Some(match rust_name {
        "Workspace" => "the workspace",
        "Integration" => "integration",
        "TlsOptions" => "tls options",
        "KeyValue" => "name/value pair",
        "Credential" => "credential",
        "BearerToken" => "Bearer Token credential",
        "BasicAuth" => "Basic credential",
        "ApiKey" => "API Key credential",
        "CustomAuth" => "Custom credential",
        "CertificateAuth" => "Certificate credential",
        "Payload" => "payload",
        "ResponseValue" => "response value",
        "DataTarget" => "data target",
        "DynamicInput" => "input",
        "Variable" => "variable",
        _ => return None,
    })
}

fn enum_name(rust_name: &str) -> Option<&'static str> {
    Some(match rust_name {
        "CredentialAuth" => "credential type",
        "PayloadKind" => "payload kind",
        "Method" => "method",
        "ClientAuth" => "client_auth",
        "Body" => "body type",
        "ValueSource" => "response value source",
        "Target" => "data target",
        "CredentialField" => "credential field",
        "Placement" => "placement",
        _ => return None,
    })
}

fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing here".to_string(),
        [one] => format!("`{one}`"),
        _ => format!(
            "one of {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
