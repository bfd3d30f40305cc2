//! Field checks that need nothing but the value: each returns the reason a value is refused.

pub fn id(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(()); // a blank id is made from the name
    }
    if crate::workspace::validate::is_valid_id(value) {
        Ok(())
    } else {
        Err("an id is lowercase letters, digits, `-` and `_`".into())
    }
}

pub fn required(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err("required".into())
    } else {
        Ok(())
    }
}

pub fn base_url(value: &str) -> Result<(), String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        _ if value.contains("{{") => Ok(()),
        Some(host) if !host.is_empty() && !host.starts_with('/') && !host.contains(' ') => Ok(()),
        _ => Err("the base URL must start with http:// or https:// and name a host".into()),
    }
}

pub fn optional_number(value: &str) -> Result<(), String> {
    if value.trim().is_empty() || value.trim().parse::<u64>().is_ok() {
        Ok(())
    } else {
        Err("a whole number, or blank".into())
    }
}

pub fn number(value: &str) -> Result<(), String> {
    match value.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(()),
        _ => Err("a whole number above 0".into()),
    }
}

pub fn endpoint(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("required: a path such as /contacts, or a full URL".into());
    }
    crate::template::check(value)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

pub fn template(value: &str) -> Result<(), String> {
    crate::template::check(value)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// An HTTP header name is a token: letters, digits and ``!#$%&'*+-.^_`|~``, nothing else.
pub fn header_name(value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("required: a header name such as x-api-key".into());
    }
    match value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
    {
        None => Ok(()),
        Some(' ') => Err("a header name has no spaces".into()),
        Some(c) => Err(format!("a header name cannot hold `{c}`")),
    }
}

/// `Name: value` per line, each name a valid header name.
pub fn header_list(text: &str) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let pairs = crate::tui::lines::parse_key_values(line)
            .map_err(|e| e.replacen("line 1", &format!("line {}", n + 1), 1))?;
        for pair in pairs {
            header_name(&pair.name).map_err(|e| format!("line {}: {e}", n + 1))?;
        }
    }
    template(text)
}

/// A Variable's name: letters, digits, `-` and `_` (what `{{var.NAME}}` can read).
pub fn variable_name(value: &str) -> Result<(), String> {
    if crate::workspace::validate::is_valid_name(value) {
        Ok(())
    } else {
        Err("a Variable's name is letters, digits, `-` and `_`".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_why() {
        assert!(base_url("ftp://x").unwrap_err().contains("http://"));
        assert!(base_url("http://").is_err());
        assert!(base_url("https://api.example.com/v1").is_ok());
        assert!(id("has space").is_err());
        assert!(id("Upper").is_err());
        assert!(id("sandbox-oauth_2").is_ok());
        assert!(number("0").is_err());
        assert!(optional_number("").is_ok());
        assert!(endpoint("/c/{{input.id").is_err());
        assert!(header_name("x-api-key").is_ok());
        assert!(header_name("bad header").unwrap_err().contains("spaces"));
        assert!(header_name("x-key:").unwrap_err().contains("`:`"));
        assert!(header_list("Accept: a\n\nx-trace: {{input.t}}").is_ok());
        assert!(
            header_list("Accept: a\nbad name: b")
                .unwrap_err()
                .starts_with("line 2:")
        );
        assert!(header_list("nocolon").unwrap_err().starts_with("line 1:"));
    }
}
