//! `--input NAME=VALUE` as given on the command line: a literal value, `@path` (the value is the
//! file's content), `@-` (the value is stdin, for one input at most) or `@@…` (a literal value
//! that starts with `@`). File and stdin values are taken byte for byte, capped at
//! [`MAX_INPUT_BYTES`].

use std::io::Read;
use std::path::Path;

/// The largest value read from a file or stdin: 1 MiB, far above any field or body a Payload
/// sends, small enough that a mistaken `@/dev/zero` or a huge file fails at once.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Where a value comes from, as written after `NAME=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Literal(String),
    File(String),
    Stdin,
}

impl Source {
    fn parse(value: &str) -> Source {
        match value.strip_prefix('@') {
            None => Source::Literal(value.to_string()),
            Some("-") => Source::Stdin,
            // `@@x` is the literal `@x`.
            Some(rest) if rest.starts_with('@') => Source::Literal(rest.to_string()),
            Some(path) => Source::File(path.to_string()),
        }
    }
}

/// Splits every `NAME=VALUE` and reads the `@path`/`@-` values, stdin from `stdin`.
pub fn resolve(raw: &[String], stdin: &mut dyn Read) -> Result<Vec<(String, String)>, String> {
    let mut parsed = Vec::with_capacity(raw.len());
    for item in raw {
        match item.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                parsed.push((name.trim().to_string(), Source::parse(value)));
            }
            _ => {
                return Err(format!(
                    "--input {item:?} is not NAME=VALUE (for example --input contact_id=42, \
                     --input body=@file.json or --input body=@- for stdin)"
                ));
            }
        }
    }
    let from_stdin: Vec<&str> = parsed
        .iter()
        .filter(|(_, s)| *s == Source::Stdin)
        .map(|(n, _)| n.as_str())
        .collect();
    if from_stdin.len() > 1 {
        return Err(format!(
            "only one --input can read stdin (@-), but {} do; read the others from files with @PATH",
            from_stdin.join(", ")
        ));
    }
    parsed
        .into_iter()
        .map(|(name, source)| {
            let value = match source {
                Source::Literal(value) => value,
                Source::Stdin => read_capped(stdin, &name, "stdin")?,
                Source::File(path) => read_file(&name, Path::new(&path))?,
            };
            Ok((name, value))
        })
        .collect()
}

fn read_file(name: &str, path: &Path) -> Result<String, String> {
    let what = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| {
        format!(
            "--input {name}=@{what}: cannot read {what}: {e} (to send a value starting with @, write @@)"
        )
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!(
            "--input {name}=@{what}: {what} is a directory; give a file"
        ));
    }
    read_capped(&mut file, name, &what)
}

/// Reads at most the cap (one byte more tells a value that is too big), as UTF-8 text.
fn read_capped(reader: &mut dyn Read, name: &str, what: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("--input {name}: cannot read {what}: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "--input {name}: {what} holds more than {} KiB, the most an input may hold; \
             send a smaller value",
            MAX_INPUT_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "--input {name}: {what} is not UTF-8 text (invalid byte at offset {}); inputs are text",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_str(raw: &[&str], stdin: &str) -> Result<Vec<(String, String)>, String> {
        let raw: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
        resolve(&raw, &mut stdin.as_bytes())
    }

    #[test]
    fn literal_values_and_the_at_escape() {
        assert_eq!(
            resolve_str(&["a=1", "b=x=y", "c=", "d=@@home", "e=x@y"], "").unwrap(),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "x=y".to_string()),
                ("c".to_string(), String::new()),
                ("d".to_string(), "@home".to_string()),
                ("e".to_string(), "x@y".to_string()),
            ]
        );
        assert!(resolve_str(&["novalue"], "").is_err());
        assert!(resolve_str(&["=v"], "").is_err());
    }

    #[test]
    fn stdin_once_byte_exact() {
        assert_eq!(
            resolve_str(&["body=@-"], "line 1\r\nline 2\n\n").unwrap(),
            vec![("body".to_string(), "line 1\r\nline 2\n\n".to_string())]
        );
        let err = resolve_str(&["a=@-", "b=@-"], "x").unwrap_err();
        assert!(err.contains("only one --input can read stdin"), "{err}");
    }

    #[test]
    fn files_are_read_capped_and_must_be_text() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.txt");
        std::fs::write(&ok, "é\t{\"x\": 1}\n").unwrap();
        let big = dir.path().join("big.bin");
        std::fs::write(&big, vec![b'a'; MAX_INPUT_BYTES as usize + 1]).unwrap();
        let exact = dir.path().join("exact.bin");
        std::fs::write(&exact, vec![b'a'; MAX_INPUT_BYTES as usize]).unwrap();
        let binary = dir.path().join("bin");
        std::fs::write(&binary, [0x66, 0xff, 0x00]).unwrap();
        let arg = |name: &str, p: &Path| format!("{name}=@{}", p.display());
        let raw = vec![arg("a", &ok), arg("b", &exact)];
        let got = resolve(&raw, &mut std::io::empty()).unwrap();
        assert_eq!(got[0].1, "é\t{\"x\": 1}\n");
        assert_eq!(got[1].1.len(), MAX_INPUT_BYTES as usize);
        let err = resolve(&[arg("a", &big)], &mut std::io::empty()).unwrap_err();
        assert!(err.contains("more than 1024 KiB"), "{err}");
        let err = resolve(&[arg("a", &binary)], &mut std::io::empty()).unwrap_err();
        assert!(
            err.contains("not UTF-8 text (invalid byte at offset 1)"),
            "{err}"
        );
        let err =
            resolve(&[arg("a", &dir.path().join("none"))], &mut std::io::empty()).unwrap_err();
        assert!(err.contains("cannot read") && err.contains("@@"), "{err}");
        let err = resolve(&[arg("a", dir.path())], &mut std::io::empty()).unwrap_err();
        assert!(err.contains("is a directory"), "{err}");
    }
}
