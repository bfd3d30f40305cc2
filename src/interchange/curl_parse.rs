//! Reading a curl command line: the request it describes (method, URL, headers, body, user) and
//! the options it holds that a Payload cannot express, named so they are never dropped unsaid.
//! Shell quoting is split by the `shell-words` crate, as a POSIX shell would.

/// What a curl command asks for, before it becomes a Payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurlRequest {
    /// `-X`, else HEAD for `-I`, else POST with data, else GET.
    pub method: Option<String>,
    pub url: String,
    /// In order, as written (`-H`, `-A`, `-e`, `-b`).
    pub headers: Vec<(String, String)>,
    /// `-d`/`--data*` pieces, joined with `&` as curl joins them.
    pub data: Vec<String>,
    /// `--data-urlencode name=value` fields, decoded.
    pub urlencoded: Vec<(String, String)>,
    /// `--json` was used (the body is JSON).
    pub json: bool,
    /// `-F name=value` fields.
    pub form: Vec<(String, String)>,
    /// `-u user:password`.
    pub user: Option<(String, String)>,
    /// `-G`: the data goes in the query.
    pub get: bool,
    pub head: bool,
    /// `-m SECONDS`.
    pub max_time: Option<u64>,
    /// Options read but not carried over, each with why (for the warning).
    pub warnings: Vec<String>,
}

/// Options that change nothing in the request sent (output, progress, redirects …), with how
/// many values each takes.
const NO_EFFECT: &[(&str, usize)] = &[
    ("-s", 0),
    ("--silent", 0),
    ("-S", 0),
    ("--show-error", 0),
    ("-v", 0),
    ("--verbose", 0),
    ("-i", 0),
    ("--include", 0),
    ("-L", 0),
    ("--location", 0),
    ("--compressed", 0),
    ("-f", 0),
    ("--fail", 0),
    ("--fail-with-body", 0),
    ("-o", 1),
    ("--output", 1),
    ("-w", 1),
    ("--write-out", 1),
    ("--connect-timeout", 1),
    ("--retry", 1),
    ("-#", 0),
    ("--progress-bar", 0),
    ("--no-progress-meter", 0),
];

/// Splits and reads a curl command (line continuations and `#` comments allowed).
pub fn parse(command: &str) -> Result<CurlRequest, String> {
    let words = shell_words::split(command).map_err(|e| {
        format!("the curl command cannot be split into words: {e} (a quote not closed?)")
    })?;
    let mut words: std::collections::VecDeque<String> = words.into();
    match words.pop_front() {
        Some(first) if first == "curl" || first.ends_with("/curl") => {}
        Some(first) => {
            return Err(format!(
                "this is not a curl command: it starts with {first:?}, not `curl`"
            ));
        }
        None => return Err("the curl command is empty".to_string()),
    }
    let mut req = CurlRequest::default();
    let mut unknown = Vec::new();
    while let Some(word) = words.pop_front() {
        // `-sSL`: short options without values, written together.
        if word.len() > 2
            && word.starts_with('-')
            && !word.starts_with("--")
            && word[1..].chars().all(|c| "sSvifLGIk#".contains(c))
        {
            for c in word[1..].chars().rev() {
                words.push_front(format!("-{c}"));
            }
            continue;
        }
        // `--name=value` is `--name value`.
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if word.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        // `-XPOST`, `-HX: y`: a short option with its value attached.
        let (flag, inline) = match (flag.as_str(), &inline) {
            (f, None)
                if f.len() > 2
                    && f.starts_with('-')
                    && !f.starts_with("--")
                    && "XHdumAebFo".contains(&f[1..2]) =>
            {
                (f[..2].to_string(), Some(f[2..].to_string()))
            }
            _ => (flag, inline),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| words.pop_front())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-X" | "--request" => req.method = Some(value(&flag)?.to_ascii_uppercase()),
            "--url" => req.url = value(&flag)?,
            "-H" | "--header" => {
                let header = value(&flag)?;
                match header.split_once(':') {
                    Some((name, v)) if !name.trim().is_empty() => req
                        .headers
                        .push((name.trim().to_string(), v.trim().to_string())),
                    _ => req
                        .warnings
                        .push(format!("-H {header:?} is not `Name: value`; left out")),
                }
            }
            "-A" | "--user-agent" => req.headers.push(("User-Agent".into(), value(&flag)?)),
            "-e" | "--referer" => req.headers.push(("Referer".into(), value(&flag)?)),
            "-b" | "--cookie" => {
                let cookie = value(&flag)?;
                if cookie.contains('=') {
                    req.headers.push(("Cookie".into(), cookie));
                } else {
                    req.warnings.push(format!(
                        "{flag} {cookie} reads cookies from a file; left out (add a Cookie header)"
                    ));
                }
            }
            "-d" | "--data" | "--data-ascii" | "--data-binary" => {
                let data = value(&flag)?;
                if data.starts_with('@') {
                    req.warnings.push(format!(
                        "{flag} {data} sends a file's content, which is not read; paste the content instead"
                    ));
                } else {
                    req.data.push(data);
                }
            }
            "--data-raw" => {
                let data = value(&flag)?;
                req.data.push(data);
            }
            "--data-urlencode" => {
                let data = value(&flag)?;
                match data.split_once('=') {
                    Some((name, v)) if !name.is_empty() && !name.contains('@') => {
                        req.urlencoded.push((name.to_string(), v.to_string()))
                    }
                    Some(("", v)) => req.data.push(encode(v)),
                    _ if data.contains('@') => req.warnings.push(format!(
                        "{flag} {data} sends a file's content, which is not read; paste the content instead"
                    )),
                    _ => req.data.push(encode(&data)),
                }
            }
            "--json" => {
                req.json = true;
                let data = value(&flag)?;
                if data.starts_with('@') {
                    req.warnings.push(format!(
                        "--json {data} sends a file's content, which is not read; paste the content instead"
                    ));
                } else {
                    req.data.push(data);
                }
            }
            "-F" | "--form" | "--form-string" => {
                let field = value(&flag)?;
                match field.split_once('=') {
                    Some((name, v))
                        if flag != "--form-string"
                            && (v.starts_with('@') || v.starts_with('<')) =>
                    {
                        req.warnings.push(format!(
                            "{flag} {name}={v} uploads a file, which is not read; field {name} left out"
                        ));
                    }
                    Some((name, v)) => req.form.push((name.to_string(), v.to_string())),
                    None => req
                        .warnings
                        .push(format!("{flag} {field:?} is not name=value; left out")),
                }
            }
            "-u" | "--user" => {
                let user = value(&flag)?;
                let (name, password) = user.split_once(':').unwrap_or((&user, ""));
                req.user = Some((name.to_string(), password.to_string()));
            }
            "-G" | "--get" => req.get = true,
            "-I" | "--head" => req.head = true,
            "-m" | "--max-time" => {
                let secs = value(&flag)?;
                match secs.parse::<f64>() {
                    Ok(s) if s > 0.0 && s.is_finite() => req.max_time = Some(s.ceil() as u64),
                    _ => req.warnings.push(format!(
                        "{flag} {secs} is not a number of seconds; left out"
                    )),
                }
            }
            "-k" | "--insecure" => req.warnings.push(
                "-k/--insecure is not carried over: certificate checks are the Integration's \
                 (tls: (accept_invalid_certs: true) in the workspace file)"
                    .to_string(),
            ),
            f if f.starts_with('-') && f.len() > 1 => {
                match NO_EFFECT.iter().find(|(name, _)| *name == f) {
                    Some((_, takes)) => {
                        if *takes > 0 && inline.is_none() {
                            words.pop_front();
                        }
                    }
                    None => unknown.push(f.to_string()),
                }
            }
            _ => {
                if req.url.is_empty() {
                    req.url = word;
                } else {
                    req.warnings.push(format!(
                        "a second URL {word:?} is left out (one Payload, one URL)"
                    ));
                }
            }
        }
    }
    if !unknown.is_empty() {
        req.warnings.push(format!(
            "curl options not understood, left out: {}",
            unknown.join(", ")
        ));
    }
    if req.url.is_empty() {
        return Err("the curl command has no URL".to_string());
    }
    if !req.url.contains("://") {
        // curl assumes http:// for a bare host.
        req.url = format!("http://{}", req.url);
    }
    Ok(req)
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_flag() {
        let req = parse(
            "curl -X put 'https://h/api/x?a=1' -H 'Accept: application/json' \\\n  \
             -HX-Two:2 --data-raw '{\"a\": 1}' -u ada:'pa ss' -m 2.5 -sSL -o out.json --bogus -Z",
        )
        .unwrap();
        assert_eq!(req.method.as_deref(), Some("PUT"));
        assert_eq!(req.url, "https://h/api/x?a=1");
        assert_eq!(
            req.headers,
            [
                ("Accept".to_string(), "application/json".to_string()),
                ("X-Two".to_string(), "2".to_string())
            ]
        );
        assert_eq!(req.data, ["{\"a\": 1}"]);
        assert_eq!(req.user, Some(("ada".into(), "pa ss".into())));
        assert_eq!(req.max_time, Some(3));
        assert_eq!(
            req.warnings,
            ["curl options not understood, left out: --bogus, -Z"]
        );
    }

    #[test]
    fn data_forms_and_files() {
        let req = parse(
            "curl h/x --data-urlencode 'q=a b&c' --data-urlencode =raw --data-urlencode n@f \
             -d @body.json -F a=1 -F f=@x.png --json '[1]' -G",
        )
        .unwrap();
        assert_eq!(req.url, "http://h/x");
        assert_eq!(req.urlencoded, [("q".to_string(), "a b&c".to_string())]);
        assert_eq!(req.data, ["raw", "[1]"]);
        assert_eq!(req.form, [("a".to_string(), "1".to_string())]);
        assert!(req.json && req.get);
        assert_eq!(req.warnings.len(), 3, "{:?}", req.warnings);
    }

    #[test]
    fn refuses_what_is_not_curl() {
        assert!(
            parse("wget http://x")
                .unwrap_err()
                .contains("not a curl command")
        );
        assert!(parse("curl -s").unwrap_err().contains("no URL"));
        assert!(parse("curl 'http://x").unwrap_err().contains("quote"));
        assert!(parse("").is_err());
    }
}
