//! Handing the workspace file to the user's editor (`$VISUAL`, `$EDITOR`, else `vi`), opened at
//! the line of a record or of an error.

use std::path::Path;
use std::process::Command;

/// The editor command line the user asked for, split shell-style on whitespace (so
/// `EDITOR="code --wait"` works), from `$VISUAL`, then `$EDITOR`, then `vi`.
pub fn editor_from_env() -> Vec<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| {
            value
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_string()])
}

/// The command that opens `path` at `line` (1-based) in `editor`, using the line syntax of the
/// editors that have one; others just open the file.
pub fn command_at_line(editor: &[String], path: &Path, line: Option<usize>) -> Command {
    let (program, args) = editor
        .split_first()
        .map(|(p, a)| (p.as_str(), a))
        .unwrap_or(("vi", &[]));
    let mut command = Command::new(program);
    command.args(args);
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    let path_text = path.display().to_string();
    match (line, name) {
        (Some(line), "code" | "codium" | "code-insiders") => {
            command.arg("--goto").arg(format!("{path_text}:{line}"));
        }
        (Some(line), "hx" | "helix" | "subl" | "zed") => {
            command.arg(format!("{path_text}:{line}"));
        }
        (Some(line), _) if takes_plus_line(name) => {
            command.arg(format!("+{line}")).arg(path);
        }
        _ => {
            command.arg(path);
        }
    }
    command
}

fn takes_plus_line(name: &str) -> bool {
    matches!(
        name,
        "vi" | "vim"
            | "nvim"
            | "gvim"
            | "view"
            | "nano"
            | "pico"
            | "emacs"
            | "emacsclient"
            | "kak"
            | "micro"
            | "joe"
            | "ne"
            | "mg"
            | "jed"
    )
}

/// The 1-based line of the record whose `id` (or, for Variables, `name`) is `id`, found in the
/// file's text: the line of its `id: "…"` (for a one-line record, the record's line). A file that
/// does not parse (mid-edit) is searched token by token instead.
pub fn record_line(text: &str, id: &str) -> Option<usize> {
    let offset = record_offset(text, id).or_else(|| key_offset(text, id))?;
    Some(text[..offset].matches('\n').count() + 1)
}

/// Where the key field of the record keyed `id` starts, by the file's structure.
fn record_offset(text: &str, id: &str) -> Option<usize> {
    use crate::ronpatch::syntax::{self, Shape, string_value};
    let tokens = syntax::tokenize(text).ok()?;
    let root = syntax::parse(text, &tokens).ok()?;
    let Shape::Struct { fields, .. } = &root.shape else {
        return None;
    };
    fields.iter().find_map(|section| {
        let key = if section.name == "variables" {
            "name"
        } else {
            "id"
        };
        let Shape::List { items, .. } = &section.value.shape else {
            return None;
        };
        items.iter().find_map(|item| match &item.shape {
            Shape::Struct { fields, .. } => fields
                .iter()
                .find(|f| f.name == key)
                .filter(|f| string_value(&text[f.value.start..f.value.end]) == id)
                .map(|f| f.start),
            _ => None,
        })
    })
}

/// Where `id: "<id>"` (else `name: "<id>"`) first appears, for text that does not parse.
fn key_offset(text: &str, id: &str) -> Option<usize> {
    use crate::ronpatch::syntax::{TokenKind, string_value, tokenize_lossy};
    let tokens = tokenize_lossy(text);
    ["id", "name"].iter().find_map(|key| {
        tokens.windows(3).find_map(|w| {
            let is_key = w[0].kind == TokenKind::Ident
                && &text[w[0].start..w[0].end] == *key
                && w[1].kind == TokenKind::Punct(b':')
                && w[2].kind == TokenKind::Str
                && string_value(&text[w[2].start..w[2].end]) == id;
            is_key.then_some(w[0].start)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &Command) -> Vec<String> {
        std::iter::once(cmd.get_program())
            .chain(cmd.get_args())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn line_syntax_per_editor() {
        let path = Path::new("/w/workspace.ron");
        let at = |editor: &[&str]| {
            let editor: Vec<String> = editor.iter().map(|s| s.to_string()).collect();
            words(&command_at_line(&editor, path, Some(12)))
        };
        assert_eq!(at(&["vim"]), ["vim", "+12", "/w/workspace.ron"]);
        assert_eq!(
            at(&["/usr/bin/nano"]),
            ["/usr/bin/nano", "+12", "/w/workspace.ron"]
        );
        assert_eq!(
            at(&["code", "--wait"]),
            ["code", "--wait", "--goto", "/w/workspace.ron:12"]
        );
        assert_eq!(at(&["hx"]), ["hx", "/w/workspace.ron:12"]);
        assert_eq!(at(&["my-editor"]), ["my-editor", "/w/workspace.ron"]);
        assert_eq!(
            words(&command_at_line(&["vi".into()], path, None)),
            ["vi", "/w/workspace.ron"]
        );
    }

    #[test]
    fn finds_the_line_of_a_record() {
        let text = "(\n  integrations: [\n    (\n      id: \"sandbox\",\n    ),\n  ],\n  variables: [ (\n name: \"session\", value: \"x\") ],\n)\n";
        assert_eq!(record_line(text, "sandbox"), Some(4));
        assert_eq!(record_line(text, "nope"), None);
        assert_eq!(
            record_line("(\n  name: \"session\",\n)", "session"),
            Some(2)
        );
    }

    #[test]
    fn finds_one_line_records_and_skips_names_that_are_not_keys() {
        let text = "(\n    integrations: [(\n        name: \"note\",\n        id: \"shop\",\n        headers: [(name: \"session\", value: \"1\")],\n    )],\n    credentials: [\n        (id: \"key\", name: \"Key\", integration: \"shop\",\n         auth: ApiKey(value: \"k\")),\n    ],\n    payloads: [\n        (id: \"note\", name: \"Note\", integration: \"shop\", kind: Webhook,\n         method: POST, endpoint: \"/n\"),\n    ],\n    variables: [\n        // The session.\n        (name: \"session\", value: \"s\"),\n    ],\n)\n";
        assert_eq!(record_line(text, "shop"), Some(4));
        assert_eq!(record_line(text, "key"), Some(8));
        // Not the Integration's name, nor a header's.
        assert_eq!(record_line(text, "note"), Some(12));
        assert_eq!(record_line(text, "session"), Some(17));
        // Mid-edit text is searched token by token.
        let broken = text.replace("kind: Webhook,", "kind: Webhook,,");
        assert_eq!(record_line(&broken, "note"), Some(12));
    }
}
