use super::{changed_lines, patch, patch_verified};

const OLD: &str = r#"// The demo workspace.
#![enable(implicit_some)]
(
    integrations: [
        (
            id:   "sandbox",   // aligned by hand
            name: "Sandbox",
        ),
    ],
    credentials: [
        // The OAuth one.
        (
            id: "oauth",
            auth: BearerToken((
                access_token: "",      // filled by refresh
                refresh_token: "",
                duration: 5,
            )),
        ),

        /* keep me */
        (
            id: "key",
            auth: ApiKey((header: "x-api-key", value: "k")),
        ),
    ],
    payloads: [],
)
"#;

fn canonical(access: &str, refresh: &str, extra_credential: bool, drop_key: bool) -> String {
    let key = if drop_key {
        String::new()
    } else {
        "        (\n            id: \"key\",\n            auth: ApiKey((\n                header: \"x-api-key\",\n                value: \"k\",\n            )),\n        ),\n".to_string()
    };
    let extra = if extra_credential {
        "        (\n            id: \"new\",\n            auth: Basic((\n                username: \"u\",\n            )),\n        ),\n"
    } else {
        ""
    };
    format!(
        "(\n    integrations: [\n        (\n            id: \"sandbox\",\n            name: \"Sandbox\",\n        ),\n    ],\n    credentials: [\n        (\n            id: \"oauth\",\n            auth: BearerToken((\n                access_token: \"{access}\",\n                refresh_token: \"{refresh}\",\n                duration: 5,\n            )),\n        ),\n{key}{extra}    ],\n    payloads: [],\n)\n"
    )
}

#[test]
fn nothing_changed_means_nothing_rewritten() {
    assert_eq!(patch(OLD, &canonical("", "", false, false)).unwrap(), OLD);
}

#[test]
fn a_token_write_back_changes_only_the_token_lines() {
    let out = patch(OLD, &canonical("at-1", "rt-1", false, false)).unwrap();
    let (removed, added) = changed_lines(OLD, &out);
    assert_eq!(
        removed,
        vec![
            "                access_token: \"\",      // filled by refresh",
            "                refresh_token: \"\","
        ]
    );
    assert_eq!(
        added,
        vec![
            "                access_token: \"at-1\",      // filled by refresh",
            "                refresh_token: \"rt-1\","
        ]
    );
}

#[test]
fn a_new_record_is_appended_in_canonical_form() {
    let out = patch(OLD, &canonical("", "", true, false)).unwrap();
    let (removed, added) = changed_lines(OLD, &out);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        vec![
            "        (",
            "            id: \"new\",",
            "            auth: Basic((",
            "                username: \"u\",",
            "            )),",
            "        ),",
        ]
    );
    assert!(out.contains("/* keep me */"));
    assert!(out.contains("// The OAuth one."));
}

#[test]
fn a_deleted_record_takes_its_lines_and_comments_with_it() {
    let out = patch(OLD, &canonical("", "", false, true)).unwrap();
    assert!(!out.contains("\"key\""), "{out}");
    assert!(!out.contains("x-api-key"), "{out}");
    assert!(
        out.contains("/* keep me */"),
        "block comment above is on its own: {out}"
    );
    let (removed, added) = changed_lines(OLD, &out);
    assert!(added.is_empty(), "{added:?}");
    assert_eq!(removed.len(), 4, "{removed:?}");
}

#[test]
fn a_changed_struct_in_an_inline_layout_is_rewritten_alone() {
    let canon = canonical("", "", false, false).replace("value: \"k\"", "value: \"k2\"");
    let out = patch(OLD, &canon).unwrap();
    assert!(
        out.contains("auth: ApiKey((header: \"x-api-key\", value: \"k2\")),"),
        "{out}"
    );
}

#[test]
fn raw_strings_and_multiline_strings_survive_reindenting() {
    let old = "(\n    items: [\n        (id: \"a\", body: r#\"{\"x\": 1}\"#),\n    ],\n)\n";
    let canon = "(\n    items: [\n        (\n            id: \"a\",\n            body: \"{\\\"x\\\": 1}\",\n        ),\n        (\n            id: \"b\",\n            body: \"line1\n  line2\",\n        ),\n    ],\n)\n";
    let out = patch(old, canon).unwrap();
    assert!(
        out.contains("r#\"{\"x\": 1}\"#"),
        "the unchanged raw string stays: {out}"
    );
    assert!(
        out.contains("\"line1\n  line2\""),
        "string content is not re-indented: {out}"
    );
}

#[test]
fn reordered_records_rewrite_the_list() {
    let old = "(\n    items: [\n        (id: \"a\"),\n        (id: \"b\"),\n    ],\n)\n";
    let canon = "(\n    items: [\n        (\n            id: \"b\",\n        ),\n        (\n            id: \"a\",\n        ),\n    ],\n)\n";
    let out = patch(old, canon).unwrap();
    let a = out.find("\"a\"").unwrap();
    let b = out.find("\"b\"").unwrap();
    assert!(b < a, "{out}");
}

#[test]
fn unreadable_text_gives_none() {
    assert!(patch("( items: [ ", "()").is_none());
    assert!(patch("()", "\"unterminated").is_none());
}

#[test]
fn changed_lines_is_a_line_diff() {
    let (removed, added) = changed_lines("a\nb\nc\nb\n", "a\nc\nb\nd\n");
    assert_eq!(removed, ["b"]);
    assert_eq!(added, ["d"]);
}

#[test]
fn a_lossy_scan_of_broken_text_still_finds_tokens() {
    use super::syntax::{TokenKind, string_value, tokenize_lossy};
    let broken = "( id: \"a\", § name: \"unterminated";
    let tokens = tokenize_lossy(broken);
    let kinds: Vec<TokenKind> = tokens.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds[..3],
        [
            TokenKind::Punct(b'('),
            TokenKind::Ident,
            TokenKind::Punct(b':')
        ]
    );
    assert!(kinds.contains(&TokenKind::Other));
    assert_eq!(kinds.last(), Some(&TokenKind::Str));
    assert!(
        tokenize_lossy("r#\"")
            .iter()
            .all(|t| string_value(&"r#\""[t.start..t.end]).is_empty())
    );
}

#[test]
fn a_short_field_joins_a_one_line_record() {
    let old = "(\n    items: [\n        (id: \"a\", x: 1),\n    ],\n)\n";
    let canon = "(\n    items: [\n        (\n            id: \"a\",\n            x: 1,\n            y: \"b\",\n        ),\n    ],\n)\n";
    let out = patch(old, canon).unwrap();
    assert!(
        out.contains("        (id: \"a\", x: 1, y: \"b\"),\n"),
        "{out}"
    );
}

#[test]
fn optional_field_edits_are_left_out_when_the_text_reads_the_same() {
    let old = "(\n    id: \"a\",\n    shown: true, // by hand\n)\n";
    // The canonical text drops `shown` (its default) and adds `extra` (also its default here).
    let canon = "(\n    id: \"a\",\n    extra: 0,\n)\n";
    let out = patch_verified(old, canon, |_| true).unwrap();
    assert_eq!(out, old);
    // When leaving an edit out changes the meaning, it is made.
    let out = patch_verified(old, canon, |text| text.contains("extra")).unwrap();
    assert_eq!(
        out,
        "(\n    id: \"a\",\n    shown: true, // by hand\n    extra: 0,\n)\n"
    );
    assert!(patch_verified(old, canon, |_| false).is_none());
}

#[test]
fn a_record_added_between_others_goes_there() {
    let old = "(\n    items: [\n        // First.\n        (id: \"a\"),\n        (id: \"c\"), // last\n    ],\n)\n";
    let canon = "(\n    items: [\n        (\n            id: \"z\",\n        ),\n        (\n            id: \"a\",\n        ),\n        (\n            id: \"b\",\n        ),\n        (\n            id: \"c\",\n        ),\n    ],\n)\n";
    let out = patch(old, canon).unwrap();
    assert_eq!(
        out,
        "(\n    items: [\n        (\n            id: \"z\",\n        ),\n        // First.\n        (id: \"a\"),\n        (\n            id: \"b\",\n        ),\n        (id: \"c\"), // last\n    ],\n)\n"
    );
}
