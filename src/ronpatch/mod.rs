//! Lossless saves: rewrite only the text of what changed in a RON document, so comments, blank
//! lines, ordering and formatting everywhere else survive byte-for-byte.
//!
//! `patch(old, canonical_new)` walks the old text's tree beside the tree of the new document's
//! canonical text. Records in lists are matched by their `id` (or `name`); a changed value is
//! replaced in place, a new field or record is inserted before its container closes, a removed one
//! takes its own lines (and the comment lines just above it) with it. The caller checks that the
//! result loads to what it meant to save and falls back to the canonical text otherwise.

mod diff;
mod insert;
pub mod syntax;

pub use diff::changed_lines;

use std::cell::Cell;
use std::collections::BTreeSet;
use syntax::{Field, Node, Shape, Token, TokenKind};

/// Returns `old` edited so that it reads as `canonical_new` does, or `None` when either text is not
/// RON this module can read.
pub fn patch(old: &str, canonical_new: &str) -> Option<String> {
    Some(Plan::new(old, canonical_new)?.apply(&BTreeSet::new()))
}

/// Like `patch`, but leaves out the edits that add or remove a field of an existing record where
/// `reads_the_same` says the text means the same without them: a field the user left out because
/// it has its default value stays out, one written out with its default value stays in. `None`
/// when no candidate reads the same (the caller then writes the canonical text).
pub fn patch_verified(
    old: &str,
    canonical_new: &str,
    reads_the_same: impl Fn(&str) -> bool,
) -> Option<String> {
    let plan = Plan::new(old, canonical_new)?;
    let options: BTreeSet<usize> = plan.options();
    let without_all = plan.apply(&options);
    if reads_the_same(&without_all) {
        return Some(without_all);
    }
    // Each optional edit stands alone (one field of one record), so each can be tried alone.
    let skippable: BTreeSet<usize> = options
        .iter()
        .copied()
        .filter(|option| reads_the_same(&plan.apply(&BTreeSet::from([*option]))))
        .collect();
    [skippable, BTreeSet::new()]
        .iter()
        .map(|skip| plan.apply(skip))
        .find(|text| reads_the_same(text))
}

/// The edits that turn the old text into the new one, some of them optional.
struct Plan<'a> {
    old: &'a str,
    edits: Vec<Edit>,
}

impl<'a> Plan<'a> {
    fn new(old: &'a str, canonical_new: &str) -> Option<Plan<'a>> {
        let old_tokens = syntax::tokenize(old).ok()?;
        let new_tokens = syntax::tokenize(canonical_new).ok()?;
        let old_root = syntax::parse(old, &old_tokens).ok()?;
        let new_root = syntax::parse(canonical_new, &new_tokens).ok()?;
        let doc = Docs {
            old: Doc {
                text: old,
                tokens: &old_tokens,
            },
            new: Doc {
                text: canonical_new,
                tokens: &new_tokens,
            },
            options: Cell::new(0),
        };
        let mut edits = Vec::new();
        doc.merge(&old_root, &new_root, &mut edits);
        Some(Plan { old, edits })
    }

    fn options(&self) -> BTreeSet<usize> {
        self.edits
            .iter()
            .filter_map(|e| match e.need {
                Need::Optional(option) => Some(option),
                _ => None,
            })
            .collect()
    }

    /// The old text with every edit applied except the optional ones in `skip`.
    fn apply(&self, skip: &BTreeSet<usize>) -> String {
        let mut edits: Vec<(usize, &Edit)> = self
            .edits
            .iter()
            .enumerate()
            .filter(|(_, e)| match &e.need {
                Need::Always => true,
                Need::Optional(option) => !skip.contains(option),
                Need::AnyOf(options) => options.iter().any(|o| !skip.contains(o)),
            })
            .collect();
        // Back to front, so earlier positions stay valid; inserts at one spot keep their order.
        edits.sort_by(|(i, a), (j, b)| (b.start, b.end, j).cmp(&(a.start, a.end, i)));
        let mut out = self.old.to_string();
        for (_, edit) in edits {
            out.replace_range(edit.start..edit.end, &edit.text);
        }
        out
    }
}

#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
    need: Need,
}

/// Whether an edit must be made. Optional edits add or remove one field of an existing record.
#[derive(Debug, Clone)]
enum Need {
    Always,
    Optional(usize),
    /// Made when any of these optional edits is (the comma before inserted fields).
    AnyOf(Vec<usize>),
}

#[derive(Clone, Copy)]
struct Doc<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl<'a> Doc<'a> {
    /// The node's tokens, ignoring layout, comments and trailing commas: equal keys, equal values.
    fn key(&self, node: &Node) -> Vec<std::borrow::Cow<'a, str>> {
        let range = &self.tokens[node.tokens.0..node.tokens.1];
        let mut out = Vec::with_capacity(range.len());
        for (i, token) in range.iter().enumerate() {
            let before_close = range.get(i + 1).is_some_and(|next| {
                matches!(
                    next.kind,
                    TokenKind::Punct(b')') | TokenKind::Punct(b']') | TokenKind::Punct(b'}')
                )
            });
            if token.kind == TokenKind::Punct(b',') && before_close {
                continue;
            }
            let text = &self.text[token.start..token.end];
            out.push(match token.kind {
                TokenKind::Str => syntax::string_value(text),
                _ => std::borrow::Cow::Borrowed(text),
            });
        }
        out
    }

    fn line_start(&self, pos: usize) -> usize {
        self.text[..pos].rfind('\n').map_or(0, |i| i + 1)
    }

    fn indent_at(&self, pos: usize) -> &'a str {
        let start = self.line_start(pos);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// True when only whitespace stands between the start of its line and `pos`.
    fn starts_line(&self, pos: usize) -> bool {
        self.text[self.line_start(pos)..pos].trim().is_empty()
    }

    fn in_string(&self, pos: usize) -> bool {
        self.tokens
            .iter()
            .any(|t| t.kind == TokenKind::Str && t.start < pos && pos < t.end)
    }

    /// `text[start..end]` with every line after the first moved from this line's indentation to
    /// `indent`; lines inside string literals are content and stay as they are.
    fn reindented(&self, start: usize, end: usize, indent: &str) -> String {
        let base = self.indent_at(start);
        let mut out = String::new();
        let mut cursor = start;
        while let Some(offset) = self.text[cursor..end].find('\n') {
            let newline = cursor + offset;
            out.push_str(&self.text[cursor..=newline]);
            cursor = newline + 1;
            if !self.in_string(newline) && self.text[cursor..end].starts_with(base) {
                out.push_str(indent);
                cursor += base.len();
                // In a file indented with tabs, the canonical text's four spaces are a tab.
                if !indent.is_empty() && indent.bytes().all(|b| b == b'\t') {
                    while self.text[cursor..end].starts_with("    ") {
                        out.push('\t');
                        cursor += 4;
                    }
                }
            }
        }
        out.push_str(&self.text[cursor..end]);
        out
    }

    /// The start of the run of `//` comment lines that ends just before `line_start`.
    fn comment_lines_above(&self, line_start: usize) -> usize {
        let mut start = line_start;
        while start > 0 {
            let previous = self.line_start(start - 1);
            if self.text[previous..start].trim_start().starts_with("//") {
                start = previous;
            } else {
                break;
            }
        }
        start
    }

    /// The token right after the node, when it is a comma.
    fn comma_after(&self, node: &Node) -> Option<Token> {
        self.tokens
            .get(node.tokens.1)
            .copied()
            .filter(|t| t.kind == TokenKind::Punct(b','))
    }
}

struct Docs<'a> {
    old: Doc<'a>,
    new: Doc<'a>,
    /// The number of optional edits handed out so far.
    options: Cell<usize>,
}

/// An entry of a container: a struct field (`name: value`) or a list item.
struct Entry<'n> {
    start: usize,
    value: &'n Node,
}

impl Docs<'_> {
    fn merge(&self, old: &Node, new: &Node, edits: &mut Vec<Edit>) {
        if self.old.key(old) == self.new.key(new) {
            return;
        }
        if let Some(inner) = some_inner(old)
            && some_inner(new).is_none()
        {
            // `Some(30)` by hand, `30` in the canonical text: the same value, keep the wrapper.
            return self.merge(inner, new, edits);
        }
        match (&old.shape, &new.shape) {
            (
                Shape::Struct {
                    name: a,
                    fields: old_fields,
                    close,
                },
                Shape::Struct {
                    name: b,
                    fields: new_fields,
                    ..
                },
            ) if a == b => self.merge_struct(old, old_fields, *close, new, new_fields, edits),
            (
                Shape::Tuple {
                    name: a, items: x, ..
                },
                Shape::Tuple {
                    name: b, items: y, ..
                },
            ) if a == b && x.len() == y.len() => {
                for (o, n) in x.iter().zip(y) {
                    self.merge(o, n, edits);
                }
            }
            (
                Shape::List {
                    items: old_items,
                    close,
                },
                Shape::List {
                    items: new_items, ..
                },
            ) => self.merge_list(old, old_items, *close, new, new_items, edits),
            _ => self.replace(old, new, edits),
        }
    }

    fn next_option(&self) -> usize {
        let option = self.options.get();
        self.options.set(option + 1);
        option
    }

    fn replace(&self, old: &Node, new: &Node, edits: &mut Vec<Edit>) {
        let indent = self.old.indent_at(old.start);
        edits.push(Edit {
            start: old.start,
            end: old.end,
            text: self.new.reindented(new.start, new.end, indent),
            need: Need::Always,
        });
    }

    fn merge_struct(
        &self,
        old: &Node,
        old_fields: &[Field],
        close: usize,
        new: &Node,
        new_fields: &[Field],
        edits: &mut Vec<Edit>,
    ) {
        let mut added = Vec::new();
        for field in new_fields {
            match old_fields.iter().find(|f| f.name == field.name) {
                Some(existing) => self.merge(&existing.value, &field.value, edits),
                None => added.push(Entry {
                    start: field.start,
                    value: &field.value,
                }),
            }
        }
        let old_entries: Vec<Entry> = old_fields
            .iter()
            .map(|f| Entry {
                start: f.start,
                value: &f.value,
            })
            .collect();
        for (field, entry) in old_fields.iter().zip(&old_entries) {
            if !new_fields.iter().any(|f| f.name == field.name) {
                // Optional: a field written out with its default value may be kept.
                let need = Need::Optional(self.next_option());
                self.delete_entry(entry, need, edits);
            }
        }
        if added.is_empty() {
            return;
        }
        // Optional: a field left out because it has its default value may stay out.
        let needs: Vec<Need> = added
            .iter()
            .map(|_| Need::Optional(self.next_option()))
            .collect();
        let inserted = self.insert_entries(&old_entries, close, &added, &needs, edits)
            || self.insert_inline(&old_entries, &added, &needs, edits);
        if !inserted {
            // No layout to follow (an empty struct, or a long value): rewrite this struct alone.
            self.replace_whole(old, new, edits);
        }
    }

    fn merge_list(
        &self,
        old: &Node,
        old_items: &[Node],
        close: usize,
        new: &Node,
        new_items: &[Node],
        edits: &mut Vec<Edit>,
    ) {
        let old_keys = record_keys(&self.old, old_items);
        let new_keys = record_keys(&self.new, new_items);
        let (Some(old_keys), Some(new_keys)) = (old_keys, new_keys) else {
            return self.replace_whole(old, new, edits);
        };
        // Kept records must keep their order, or there is no honest minimal edit: rewrite the list.
        let kept: Vec<&String> = new_keys.iter().filter(|k| old_keys.contains(k)).collect();
        let old_kept: Vec<&String> = old_keys.iter().filter(|k| new_keys.contains(k)).collect();
        let all_deleted = kept.is_empty();
        let any_added = new_keys.iter().any(|k| !old_keys.contains(k));
        if kept != old_kept || (all_deleted && any_added) {
            return self.replace_whole(old, new, edits);
        }
        for (item, key) in old_items.iter().zip(&old_keys) {
            match new_keys.iter().position(|k| k == key) {
                Some(i) => self.merge(item, &new_items[i], edits),
                None => self.delete_entry(
                    &Entry {
                        start: item.start,
                        value: item,
                    },
                    Need::Always,
                    edits,
                ),
            }
        }
        let old_entries: Vec<Entry> = old_items
            .iter()
            .map(|n| Entry {
                start: n.start,
                value: n,
            })
            .collect();
        // New records go where they are in the new list: after the kept record before them.
        let mut i = 0;
        while i < new_items.len() {
            if old_keys.contains(&new_keys[i]) {
                i += 1;
                continue;
            }
            let first = i;
            while i < new_items.len() && !old_keys.contains(&new_keys[i]) {
                i += 1;
            }
            let run: Vec<Entry> = new_items[first..i]
                .iter()
                .map(|n| Entry {
                    start: n.start,
                    value: n,
                })
                .collect();
            let after = new_keys[..first]
                .iter()
                .rev()
                .find_map(|k| old_keys.iter().position(|o| o == k));
            let always = vec![Need::Always; run.len()];
            let inserted = match after {
                Some(k) if k + 1 == old_items.len() => {
                    self.insert_entries(&old_entries, close, &run, &always, edits)
                }
                Some(k) => self.insert_after(&old_items[k], &run, edits),
                None => self.insert_before(&old_items[0], &run, edits),
            };
            if !inserted {
                return self.replace_whole(old, new, edits);
            }
        }
    }

    /// Replaces `old` whole, dropping the finer edits already made inside it.
    fn replace_whole(&self, old: &Node, new: &Node, edits: &mut Vec<Edit>) {
        edits.retain(|e| e.end <= old.start || e.start >= old.end);
        self.replace(old, new, edits);
    }

    /// Removes an entry: its own lines (with the comment lines just above it) when it has them,
    /// else just the entry and its comma.
    fn delete_entry(&self, entry: &Entry, need: Need, edits: &mut Vec<Edit>) {
        let doc = &self.old;
        let mut end = doc
            .comma_after(entry.value)
            .map_or(entry.value.end, |t| t.end);
        let rest_of_line = &doc.text[end..];
        let line_end = rest_of_line
            .find('\n')
            .map_or(doc.text.len(), |i| end + i + 1);
        let trailing = doc.text[end..line_end].trim();
        let own_lines =
            doc.starts_line(entry.start) && (trailing.is_empty() || trailing.starts_with("//"));
        let mut start = entry.start;
        if own_lines {
            start = doc.comment_lines_above(doc.line_start(entry.start));
            end = line_end;
        } else if trailing.is_empty() {
            // Last on its line: take the spaces before it, so the line keeps no trailing blank.
            start = doc.text[..start].trim_end_matches([' ', '\t']).len();
        } else {
            let spaces = doc.text[end..].len() - doc.text[end..].trim_start_matches(' ').len();
            end += spaces;
        }
        edits.push(Edit {
            start,
            end,
            text: String::new(),
            need,
        });
    }
}

fn any_of(needs: &[Need]) -> Need {
    let options: Vec<usize> = needs
        .iter()
        .filter_map(|n| match n {
            Need::Optional(option) => Some(*option),
            _ => None,
        })
        .collect();
    if options.len() == needs.len() && !options.is_empty() {
        Need::AnyOf(options)
    } else {
        Need::Always
    }
}

/// The value inside `Some(…)`, when `node` is one.
fn some_inner(node: &Node) -> Option<&Node> {
    match &node.shape {
        Shape::Tuple {
            name: Some(name),
            items,
        } if name == "Some" && items.len() == 1 => Some(&items[0]),
        _ => None,
    }
}

/// Each item's `id` (or, failing that, `name`) string, when every item has one and they are unique.
fn record_keys(doc: &Doc, items: &[Node]) -> Option<Vec<String>> {
    let key_of = |node: &Node, field_name: &str| match &node.shape {
        Shape::Struct { fields, .. } => fields
            .iter()
            .find(|f| f.name == field_name)
            .filter(|f| matches!(f.value.shape, Shape::Atom))
            .map(|f| doc.text[f.value.start..f.value.end].to_string()),
        _ => None,
    };
    for field_name in ["id", "name"] {
        let keys: Option<Vec<String>> = items.iter().map(|n| key_of(n, field_name)).collect();
        if let Some(keys) = keys {
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() == keys.len() {
                return Some(keys);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
