//! Parsing a large workspace on two threads. Parsing RON is most of the time to the TUI's first
//! frame and of `payloads check` on a big file, and almost all of it is the Payloads list, whose
//! records parse independently of each other and of the rest. So the second half of that list is
//! cut out of the text along record boundaries (found by the span-keeping tokenizer of
//! `ronpatch`) and parsed on a second thread while this one parses the rest.
//!
//! Only a shortcut: the result is the one parsing the whole text gives (a property test checks
//! it). Whatever does not fit the expected shape (a file too small to be worth a thread, a
//! second `payloads` field, anything that does not tokenize) and every parse error goes back to
//! the plain parse of the whole text, so error messages and their positions never change.

use super::load::ron_options;
use super::model::{Payload, Workspace};
use crate::ronpatch::syntax::{Token, TokenKind, tokenize};
use std::ops::Range;

/// Below this many Payloads a second thread costs more than it saves.
const MIN_PAYLOADS: usize = 128;

/// The workspace in `text`, when it splits and both halves parse; `None` means "parse the whole
/// text" (it may well be valid: just not worth splitting, or not in a shape this knows).
pub(super) fn parse_in_two(text: &str) -> Option<Workspace> {
    let split = Split::find(text)?;
    let (rest, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| {
            ron_options()
                .from_str::<Vec<Payload>>(&split.tail_text)
                .ok()
        });
        let rest = ron_options().from_str::<Workspace>(&split.rest_text).ok();
        (rest, tail.join().ok().flatten())
    });
    let mut workspace = rest?;
    workspace.payloads.extend(tail?);
    Some(workspace)
}

/// The text cut in two: the whole document without the second half of its Payloads, and that
/// half as a list of its own (after the document's leading attributes, such as
/// `#![enable(implicit_some)]`, so it parses with the same extensions).
#[derive(Debug, PartialEq, Eq)]
struct Split {
    rest_text: String,
    tail_text: String,
}

impl Split {
    fn find(text: &str) -> Option<Split> {
        let tokens = tokenize(text).ok()?;
        let (value_start, records) = payload_records(text, &tokens)?;
        if records.len() < MIN_PAYLOADS {
            return None;
        }
        let half = records.len() / 2;
        let last = records.last()?;
        let tail = records[half].start..last.end;
        let prefix = &text[..value_start];
        // The rest ends its list with the record before the cut; what followed the last record
        // (a trailing comma, comments, the `]`) follows it instead.
        let rest_text = format!("{}{}", &text[..records[half - 1].end], &text[last.end..]);
        let tail_text = format!("{prefix}[{}]", &text[tail]);
        Some(Split {
            rest_text,
            tail_text,
        })
    }
}

/// Where the document's value starts, and the byte range of each record of its top-level
/// `payloads` list; `None` when there is no such list or more than one `payloads` field.
fn payload_records(text: &str, tokens: &[Token]) -> Option<(usize, Vec<Range<usize>>)> {
    let is = |i: usize, byte: u8| tokens.get(i).map(|t| t.kind) == Some(TokenKind::Punct(byte));
    // Inner attributes come first: `#![…]`, any number of them.
    let mut i = 0;
    while is(i, b'#') {
        let mut depth = 0usize;
        loop {
            match tokens.get(i)?.kind {
                TokenKind::Punct(b'[') => depth += 1,
                TokenKind::Punct(b']') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    let value_start = tokens.get(i)?.start;
    let mut depth = 0usize;
    let mut found: Option<Vec<Range<usize>>> = None;
    let mut list: Option<usize> = None;
    let mut record: Option<Range<usize>> = None;
    while let Some(token) = tokens.get(i) {
        if depth == 1
            && token.kind == TokenKind::Ident
            && is(i + 1, b':')
            && is(i + 2, b'[')
            && text.get(token.start..token.end) == Some("payloads")
        {
            if found.is_some() || list.is_some() {
                return None;
            }
            list = Some(depth + 1);
            found = Some(Vec::new());
            depth += 1;
            i += 3;
            continue;
        }
        match token.kind {
            TokenKind::Punct(b'(' | b'[' | b'{') => depth += 1,
            TokenKind::Punct(b')' | b']' | b'}') => {
                if list == Some(depth) {
                    // The list closes: the record in progress is its last.
                    found.as_mut()?.extend(record.take());
                    list = None;
                }
                depth = depth.checked_sub(1)?;
            }
            _ => {}
        }
        if list.is_some() {
            match token.kind {
                TokenKind::Punct(b',') if list == Some(depth) => {
                    found.as_mut()?.extend(record.take());
                }
                _ if list == Some(depth) || list.is_some_and(|l| depth > l) => {
                    let span = record.get_or_insert(token.start..token.end);
                    span.end = token.end;
                }
                _ => {}
            }
        }
        i += 1;
    }
    Some((value_start, found?))
}

#[cfg(test)]
mod tests {
    use super::{MIN_PAYLOADS, Split, parse_in_two};
    use crate::workspace::load::ron_options;
    use crate::workspace::model::Workspace;
    use proptest::prelude::*;

    /// A workspace text of `names.len()` Payloads (names and endpoints full of RON punctuation),
    /// with comments between records when `comments`, an attribute line first when `attribute`,
    /// and Variables after the list.
    fn text(names: &[String], comments: bool, attribute: bool, trailing_comma: bool) -> String {
        let mut out = String::new();
        if attribute {
            out.push_str("#![enable(implicit_some)]\n// a comment before the value\n");
        }
        out.push_str(
            "(\n  integrations: [(id: \"api\", name: \"API\", base_url: \"http://x\")],\n",
        );
        out.push_str("  payloads: [\n");
        for (i, name) in names.iter().enumerate() {
            if comments && i % 3 == 0 {
                out.push_str(
                    "    // ] ) , a comment /* with */ punctuation\n    /* block ( [ */\n",
                );
            }
            out.push_str(&format!(
                "    (id: \"p{i}\", name: {name:?}, integration: \"api\", kind: Callout, \
                 method: GET, endpoint: {:?}, headers: [(name: \"x\", value: {name:?})])",
                format!("/things/{name}")
            ));
            if i + 1 < names.len() || trailing_comma {
                out.push(',');
            }
            out.push('\n');
        }
        out.push_str("  ],\n  variables: [(name: \"v\", value: \"]),[\")],\n)\n");
        out
    }

    fn whole(text: &str) -> Option<Workspace> {
        ron_options().from_str::<Workspace>(text).ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Parsed in two or whole, the same workspace; and a big enough file does split.
        #[test]
        fn two_halves_make_the_whole(
            names in prop::collection::vec("[a-z \\[\\](){},:/*\"\\\\#!é]{0,12}", 0..400),
            comments: bool,
            attribute: bool,
            trailing_comma: bool,
        ) {
            let text = text(&names, comments, attribute, trailing_comma);
            let expected = whole(&text);
            prop_assert!(expected.is_some(), "the generated text parses");
            let split = parse_in_two(&text);
            if names.len() >= MIN_PAYLOADS {
                prop_assert!(split.is_some(), "{} Payloads are split", names.len());
            }
            if let Some(split) = split {
                prop_assert_eq!(Some(split), expected);
            }
        }

        /// A file that does not parse whole is never parsed in two (so its error is the whole
        /// parse's): a record broken anywhere after the cut still fails.
        #[test]
        fn a_broken_half_falls_back(at in 0usize..200, comments: bool) {
            let names: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
            let good = text(&names, comments, false, true);
            let broken = good.replacen(&format!("\"p{at}\""), &format!("\"p{at}\" oops"), 1);
            prop_assert!(whole(&broken).is_none());
            prop_assert!(parse_in_two(&broken).is_none());
        }
    }

    #[test]
    fn a_second_payloads_field_is_not_split() {
        let names: Vec<String> = (0..200).map(|i| format!("n{i}")).collect();
        let once = text(&names, false, false, false);
        let twice = once.replacen("  payloads: [", "  payloads: [],\n  payloads: [", 1);
        assert!(Split::find(&once).is_some());
        assert!(Split::find(&twice).is_none());
        assert!(parse_in_two(&twice).is_none());
    }
}
