//! Authorization server discovery: from an issuer URL, the token, device authorization and
//! authorization endpoints, read from RFC 8414's `/.well-known/oauth-authorization-server` or,
//! failing that, OpenID Connect's `/.well-known/openid-configuration`.

use serde::Deserialize;

/// Largest metadata document read.
const MAX_BYTES: usize = 256 * 1024;

/// The endpoints a login needs, each an absolute http(s) URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub token: Option<String>,
    pub device_authorization: Option<String>,
    pub authorization: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    issuer: Option<String>,
    token_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    authorization_endpoint: Option<String>,
}

/// The two documents to try, in order. RFC 8414 §3.1 puts the well-known part between the host
/// and the issuer's path; OpenID Connect Discovery §4 appends it to the issuer.
pub fn metadata_urls(issuer: &str) -> Result<Vec<reqwest::Url>, String> {
    let url = super::server_url("the issuer", issuer.trim())?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the issuer URL must have no query or fragment (RFC 8414 §2)".into());
    }
    let path = url.path().trim_end_matches('/');
    let mut rfc8414 = url.clone();
    rfc8414.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    let mut openid = url.clone();
    openid.set_path(&format!("{path}/.well-known/openid-configuration"));
    Ok(vec![rfc8414, openid])
}

/// Reads one metadata document's body: JSON whose `issuer` is the one asked for.
pub fn parse(issuer: &str, url: &reqwest::Url, body: &[u8]) -> Result<Endpoints, String> {
    let metadata: Metadata = serde_json::from_slice(body)
        .map_err(|e| format!("{url} is not a JSON metadata document ({e})"))?;
    let named = metadata.issuer.unwrap_or_default();
    // RFC 8414 §3.3: the issuer in the document must be the one the client asked about, or the
    // document is not to be used (a mix-up attack, or a wrong URL).
    if named.trim_end_matches('/') != issuer.trim().trim_end_matches('/') {
        let shown = super::visible_ascii(&named, 120).unwrap_or("(unreadable)");
        return Err(format!(
            "{url} describes issuer {shown:?}, not {:?}: it is not used",
            issuer.trim()
        ));
    }
    let endpoint = |what: &str, value: Option<String>| -> Result<Option<String>, String> {
        value
            .map(|v| super::server_url(what, &v).map(|u| u.to_string()))
            .transpose()
    };
    let endpoints = Endpoints {
        token: endpoint("token_endpoint", metadata.token_endpoint)?,
        device_authorization: endpoint(
            "device_authorization_endpoint",
            metadata.device_authorization_endpoint,
        )?,
        authorization: endpoint("authorization_endpoint", metadata.authorization_endpoint)?,
    };
    if endpoints.token.is_none() {
        return Err(format!("{url} names no token_endpoint"));
    }
    Ok(endpoints)
}

/// Fetches the issuer's metadata: the RFC 8414 document, else the OpenID one. Every failure is
/// named with the URL it happened at.
pub async fn discover(client: &reqwest::Client, issuer: &str) -> Result<Endpoints, String> {
    let mut failures = Vec::new();
    for url in metadata_urls(issuer)? {
        let response = match client
            .get(url.clone())
            .header("accept", "application/json")
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{url}: {}", crate::flow::http::error_chain(&e)));
                continue;
            }
        };
        let status = response.status();
        if !status.is_success() {
            failures.push(format!("{url} answered {status}"));
            continue;
        }
        let body = match read_capped(response).await {
            Ok(body) => body,
            Err(e) => {
                failures.push(format!("{url}: {e}"));
                continue;
            }
        };
        match parse(issuer, &url, &body) {
            Ok(endpoints) => return Ok(endpoints),
            Err(e) => failures.push(e),
        }
    }
    Err(format!(
        "no discovery metadata for issuer {}: {}",
        issuer.trim(),
        failures.join("; ")
    ))
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading the document failed: {e}"))?
    {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(format!("the document is larger than {MAX_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls_for_issuers_with_and_without_a_path() {
        let urls = metadata_urls("https://auth.example.com").unwrap();
        assert_eq!(
            urls[0].as_str(),
            "https://auth.example.com/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            urls[1].as_str(),
            "https://auth.example.com/.well-known/openid-configuration"
        );
        let urls = metadata_urls("https://example.com/tenant1/").unwrap();
        assert_eq!(
            urls[0].as_str(),
            "https://example.com/.well-known/oauth-authorization-server/tenant1"
        );
        assert_eq!(
            urls[1].as_str(),
            "https://example.com/tenant1/.well-known/openid-configuration"
        );
        assert!(metadata_urls("ftp://x").is_err());
        assert!(metadata_urls("https://x/?a=b").is_err());
    }

    #[test]
    fn a_document_for_another_issuer_is_refused() {
        let url = reqwest::Url::parse("https://a.example/.well-known/x").unwrap();
        let e = parse(
            "https://a.example",
            &url,
            br#"{"issuer":"https://evil.example","token_endpoint":"https://evil.example/t"}"#,
        )
        .unwrap_err();
        assert!(e.contains("not \"https://a.example\""), "{e}");
        let ok = parse(
            "https://a.example/",
            &url,
            br#"{"issuer":"https://a.example","token_endpoint":"https://a.example/t"}"#,
        )
        .unwrap();
        assert_eq!(ok.token.as_deref(), Some("https://a.example/t"));
        assert_eq!(ok.device_authorization, None);
        assert!(parse("https://a.example", &url, b"<html>").is_err());
    }
}
