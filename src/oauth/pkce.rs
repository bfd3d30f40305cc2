//! The client half of the authorization code grant with PKCE (RFC 7636, S256 only): the verifier
//! and `state`, the authorization URL, and the one-shot redirect listener on 127.0.0.1 (RFC 8252
//! §7.3) that checks `state` before it hands back the code.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The path the listener answers on; anything else (a browser's favicon request) gets a 404.
pub const CALLBACK_PATH: &str = "/callback";

/// Largest request head the listener reads: a redirect carries a code and a state, no more.
const MAX_HEAD: usize = 16 * 1024;

/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// 32 bytes from the operating system's random source, base64url: a verifier of 43 characters
/// (RFC 7636 §4.1) or an unguessable `state`.
pub fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers from the system: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// `BASE64URL(SHA256(verifier))` (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The browser's address for the authorization request.
pub fn authorization_url(
    endpoint: &reqwest::Url,
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
    challenge: &str,
) -> reqwest::Url {
    let mut url = endpoint.clone();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        if !scope.trim().is_empty() {
            query.append_pair("scope", scope.trim());
        }
    }
    url
}

/// The loopback listener the browser is redirected to.
pub struct RedirectListener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl RedirectListener {
    /// Binds 127.0.0.1 on a port the system picks.
    pub async fn bind() -> Result<RedirectListener, String> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1 for the login redirect: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on 127.0.0.1 for the login redirect: {e}"))?;
        Ok(RedirectListener { listener, addr })
    }

    /// `http://127.0.0.1:PORT/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://{}{CALLBACK_PATH}", self.addr)
    }

    /// Waits for the redirect to the callback and returns its code once `state` matches. A
    /// redirect with an `error`, or with another `state` (a forged or stale one), ends the login
    /// with the reason; the browser is told what happened either way.
    pub async fn wait_for_code(
        self,
        expected_state: &str,
        cancel: &CancellationToken,
    ) -> Result<String, String> {
        loop {
            let (mut stream, _) = tokio::select! {
                _ = cancel.cancelled() => return Err("cancelled".into()),
                accepted = self.listener.accept() => accepted
                    .map_err(|e| format!("the login redirect listener failed: {e}"))?,
            };
            let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
                Ok(Some(head)) => head,
                _ => continue,
            };
            let Some(query) = callback_query(&head) else {
                let _ = respond(&mut stream, "404 Not Found", "Not the login callback.").await;
                continue;
            };
            let outcome = judge(&query, expected_state);
            let page = match &outcome {
                Ok(_) => {
                    "Payloads got the code: you can close this tab and go back to the terminal."
                }
                Err(_) => "The login failed: see the terminal for why. You can close this tab.",
            };
            let _ = respond(&mut stream, "200 OK", page).await;
            return outcome;
        }
    }
}

/// The code of a redirect's query, or why there is none.
pub fn judge(query: &HashMap<String, String>, expected_state: &str) -> Result<String, String> {
    let state_ok = query.get("state").is_some_and(|s| {
        crate::sandbox::token::constant_time_eq(s.as_bytes(), expected_state.as_bytes())
    });
    if let Some(error) = query.get("error") {
        let error = super::visible_ascii(error, 80).unwrap_or("an unreadable error");
        let description = query
            .get("error_description")
            .and_then(|d| super::visible_ascii(d, 200))
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        let denied = if error == "access_denied" {
            ": the login was denied in the browser"
        } else {
            ""
        };
        return Err(format!(
            "the authorization server answered {error}{description}{denied}; nothing was exchanged"
        ));
    }
    if !state_ok {
        return Err(
            "the redirect's state does not match the one this login sent (a forged or stale redirect); nothing was exchanged, run the login again"
                .into(),
        );
    }
    query
        .get("code")
        .filter(|c| !c.is_empty())
        .cloned()
        .ok_or_else(|| "the redirect carries no code; nothing was exchanged".into())
}

async fn read_head(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(head).ok()
}

/// The query of a `GET /callback?…` request line.
fn callback_query(head: &str) -> Option<HashMap<String, String>> {
    let line = head.lines().next()?;
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if method != "GET" || path != CALLBACK_PATH {
        return None;
    }
    Some(
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
    )
}

async fn respond(
    stream: &mut tokio::net::TcpStream,
    status: &str,
    text: &str,
) -> std::io::Result<()> {
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n\r\n{text}",
        text.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// Opens `url` in the desktop's browser when there is an opener (`xdg-open`, or `open` on macOS)
/// and a display; false when there is none (over SSH, say): the URL is printed either way.
/// Never called by tests.
pub fn open_in_browser(url: &str) -> bool {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return false;
        }
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_rfc_7636_example() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let v = random_token().unwrap();
        assert_eq!(v.len(), 43);
        assert_ne!(v, random_token().unwrap());
    }

    #[test]
    fn state_is_checked_and_errors_are_named() {
        assert_eq!(
            judge(&query(&[("code", "c"), ("state", "s")]), "s"),
            Ok("c".into())
        );
        let e = judge(&query(&[("code", "c"), ("state", "x")]), "s").unwrap_err();
        assert!(e.contains("state does not match"), "{e}");
        let e = judge(&query(&[("code", "c")]), "s").unwrap_err();
        assert!(e.contains("state does not match"), "{e}");
        let e = judge(&query(&[("error", "access_denied"), ("state", "s")]), "s").unwrap_err();
        assert!(e.contains("denied"), "{e}");
        let e = judge(&query(&[("error", "bad\u{1b}[2J")]), "s").unwrap_err();
        assert!(!e.contains('\u{1b}'), "{e}");
    }

    #[test]
    fn only_get_callback_is_the_callback() {
        assert!(callback_query("GET /callback?code=a&state=b HTTP/1.1\r\n\r\n").is_some());
        assert!(callback_query("GET /favicon.ico HTTP/1.1\r\n\r\n").is_none());
        assert!(callback_query("POST /callback?code=a HTTP/1.1\r\n\r\n").is_none());
    }
}
