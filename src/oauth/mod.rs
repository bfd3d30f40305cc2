//! OAuth 2 client flows that get a Bearer Token Credential its first tokens: the grant a new
//! Credential is created with, device authorization (RFC 8628), the authorization code grant with
//! PKCE (RFC 7636) and its loopback redirect listener, authorization server discovery (RFC 8414),
//! and the hints that turn a token endpoint's refusal into what to do. The requests themselves
//! go out through the flow's Runner (src/flow/login.rs), so they are Jobs like any other.

pub mod device;
pub mod discovery;
pub mod grant;
pub mod pkce;
pub mod qr;

/// Text from a server shown on a terminal: visible ASCII only, at most `max` characters, or
/// `None` (a user code or URL that is anything else is refused, never printed).
pub(crate) fn visible_ascii(text: &str, max: usize) -> Option<&str> {
    let ok = !text.is_empty()
        && text.len() <= max
        && text.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    ok.then_some(text)
}

/// An absolute `http` or `https` URL from a server, as the URL parser writes it back (which
/// percent-encodes anything unprintable), or why it is not one.
pub(crate) fn server_url(what: &str, text: &str) -> Result<reqwest::Url, String> {
    let shown: String = text
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    let url =
        reqwest::Url::parse(text).map_err(|e| format!("{what} {shown:?} is not a URL ({e})"))?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url),
        _ => Err(format!("{what} {shown:?} is not an http(s) URL")),
    }
}
