//! Data Targets: response values written onto a Bearer Token Credential or into Variables.

use super::extract::Extracted;
use crate::jobs::TargetResult;
use crate::workspace::{CredentialAuth, CredentialField, DataTarget, Target, Variable, Workspace};
use chrono::{DateTime, Utc};

/// What applying the targets did: a result per target, and the secret values written (so the
/// caller can redact them).
#[derive(Debug, Default)]
pub struct Applied {
    pub results: Vec<TargetResult>,
    pub secrets: Vec<String>,
    pub credential_changed: bool,
    pub variables_changed: bool,
}

impl Applied {
    pub fn first_error(&self) -> Option<String> {
        self.results
            .iter()
            .find_map(|r| r.error.as_ref().map(|e| format!("{}: {e}", r.target)))
    }
}

pub fn field_name(field: CredentialField) -> &'static str {
    match field {
        CredentialField::AccessToken => "access_token",
        CredentialField::RefreshToken => "refresh_token",
        CredentialField::ExpiresIn => "expires_in",
    }
}

/// Why `token` cannot be a token (`Err` reads after "the access token …"): empty, or holding a
/// character outside the visible ASCII a header carries (CR, LF, NUL, ESC, spaces, non-ASCII).
pub fn check_token(token: &str) -> Result<(), String> {
    if token.is_empty() {
        return Err("is empty".into());
    }
    match token.chars().find(|c| !c.is_ascii_graphic()) {
        Some(c) => Err(format!(
            "holds {}, which a token cannot (only visible ASCII)",
            match c {
                '\r' => "a carriage return (CR)".to_string(),
                '\n' => "a line feed (LF)".to_string(),
                '\0' => "a NUL byte".to_string(),
                '\u{1b}' => "an escape character (ESC)".to_string(),
                ' ' => "a space".to_string(),
                c => format!("the character U+{:04X}", u32::from(c)),
            }
        )),
        None => Ok(()),
    }
}

/// The longest `expires_in` believed: beyond ten years it is a server's mistake, not a lifetime.
pub const MAX_EXPIRES_IN_SECS: f64 = 10.0 * 365.25 * 24.0 * 3600.0;

/// Seconds of an `expires_in`: a number of seconds from 0 to ten years (fractions allowed).
pub fn seconds_from_expires_in(text: &str) -> Result<f64, String> {
    let shown: String = text.chars().take(40).collect();
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expires_in {shown:?} is not a number of seconds"))?;
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(format!(
            "expires_in {shown:?} is not a number of seconds (0 or more)"
        ));
    }
    if seconds > MAX_EXPIRES_IN_SECS {
        return Err(format!(
            "expires_in {shown:?} is more than ten years; the server's answer cannot be right"
        ));
    }
    Ok(seconds)
}

/// Minutes of Access Token Duration for an `expires_in` in seconds: floor, at least 1.
pub fn minutes_from_expires_in(text: &str) -> Result<u32, String> {
    let seconds = seconds_from_expires_in(text)?;
    let minutes = (seconds / 60.0).floor();
    Ok(minutes.clamp(1.0, f64::from(u32::MAX)) as u32)
}

/// Writes each target whose value was read. A value the response did not have is noted in its
/// result and leaves its destination as it was. `credential_id` is the Credential the Payload
/// writes to (its own, or for a Credential Payload the one it refreshes).
pub fn apply(
    ws: &mut Workspace,
    targets: &[DataTarget],
    extracted: &Extracted,
    credential_id: Option<&str>,
    now: DateTime<Utc>,
) -> Applied {
    let mut applied = Applied::default();
    // An access token written without an `expires_in` in the same answer gets no server expiry.
    let mut expiry_written = false;
    for target in targets {
        let label = match &target.target {
            Target::Credential(field) => format!(
                "credential {} {}",
                credential_id.unwrap_or("(none)"),
                field_name(*field)
            ),
            Target::Variable(name) => format!("var {name}"),
        };
        let mut result = TargetResult {
            value: target.value.clone(),
            target: label,
            written: String::new(),
            error: None,
        };
        let Some(value) = extracted.get(&target.value) else {
            result.error = Some(
                extracted
                    .why_missing(&target.value)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("the response model has no value {}", target.value)),
            );
            applied.results.push(result);
            continue;
        };
        match &target.target {
            Target::Credential(field) => {
                match write_credential(ws, credential_id, *field, value, now, &mut expiry_written) {
                    Ok(written) => {
                        if *field != CredentialField::ExpiresIn {
                            applied.secrets.push(value.to_string());
                        }
                        result.written = written;
                        applied.credential_changed = true;
                    }
                    Err(e) => result.error = Some(e),
                }
            }
            Target::Variable(name) => {
                match ws.variables.iter_mut().find(|v| &v.name == name) {
                    Some(v) => {
                        if v.secret {
                            applied.secrets.push(value.to_string());
                        }
                        v.value = value.to_string();
                    }
                    None => ws.variables.push(Variable {
                        name: name.clone(),
                        value: value.to_string(),
                        secret: false,
                    }),
                }
                result.written = value.to_string();
                applied.variables_changed = true;
            }
        }
        applied.results.push(result);
    }
    applied
}

fn write_credential(
    ws: &mut Workspace,
    credential_id: Option<&str>,
    field: CredentialField,
    value: &str,
    now: DateTime<Utc>,
    expiry_written: &mut bool,
) -> Result<String, String> {
    let id = credential_id.ok_or("the Payload has no Credential to write to")?;
    let credential = ws
        .credential_mut(id)
        .ok_or_else(|| format!("no Credential {id}"))?;
    let CredentialAuth::BearerToken(bearer) = &mut credential.auth else {
        return Err(format!("Credential {id} is not a Bearer Token Credential"));
    };
    match field {
        CredentialField::AccessToken => {
            if value.trim().is_empty() {
                return Err("the access token in the response is empty".into());
            }
            check_token(value).map_err(|why| format!("the access token in the response {why}"))?;
            bearer.access_token = value.to_string();
            // Whole seconds keep the file readable; rounding down only makes the expiry earlier.
            bearer.obtained_at = Some(chrono::SubsecRound::trunc_subsecs(now, 0));
            if !*expiry_written {
                bearer.expires_at = None;
            }
            Ok(value.to_string())
        }
        CredentialField::RefreshToken => {
            if value.trim().is_empty() {
                return Err("the refresh token in the response is empty; kept the old one".into());
            }
            check_token(value).map_err(|why| {
                format!("the refresh token in the response {why}; kept the old one")
            })?;
            bearer.refresh_token = value.to_string();
            Ok(value.to_string())
        }
        CredentialField::ExpiresIn => {
            let seconds = seconds_from_expires_in(value)?;
            let minutes = minutes_from_expires_in(value)?;
            bearer.access_token_duration_minutes = minutes;
            // Whole seconds, rounded down from the truncated `now`: the expiry is never late.
            let at = chrono::SubsecRound::trunc_subsecs(now, 0)
                + chrono::Duration::seconds(seconds.floor() as i64);
            bearer.expires_at = Some(at);
            *expiry_written = true;
            Ok(format!(
                "{} s (expires {})",
                seconds.floor(),
                at.format("%Y-%m-%d %H:%M:%S UTC")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_becomes_whole_minutes_at_least_one() {
        assert_eq!(minutes_from_expires_in("3600"), Ok(60));
        assert_eq!(minutes_from_expires_in("3599"), Ok(59));
        assert_eq!(minutes_from_expires_in("30"), Ok(1));
        assert_eq!(minutes_from_expires_in("90.5"), Ok(1));
        assert!(minutes_from_expires_in("soon").is_err());
        assert!(minutes_from_expires_in("-5").is_err());
        assert!(seconds_from_expires_in("NaN").is_err());
        assert!(seconds_from_expires_in("1e12").is_err());
        assert_eq!(seconds_from_expires_in("2"), Ok(2.0));
    }
}
