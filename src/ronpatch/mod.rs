//! Lossless saves: rewrite only the text of what changed in a RON document, so comments, blank
//! lines, ordering and formatting everywhere else survive byte-for-byte.
//!
//! `patch(old, canonical_new)` walks the old text's tree beside the tree of the new document's
//! canonical text. Records in lists are matched by their `id` (or `name`); a changed value is
//! replaced in place, a new field or record is inserted before its container closes, a removed one
//! takes its own lines (and the comment lines just above it) with it. The caller checks that the
//! result loads to what it meant to save and falls back to the canonical text otherwise.

pub mod syntax;

use syntax::{Field, Node, Shape, Token, TokenKind};

/// Returns `old` edited so that it reads as `canonical_new` does, or `None` when either text is not
/// RON this module can read.
pub fn patch(old: &str, canonical_new: &str) -> Option<String> {
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
    };
    let mut edits = Vec::new();
    doc.merge(&old_root, &new_root, &mut edits);
    edits.sort_by(|a, b| b.start.cmp(&a.start).then(b.end.cmp(&a.end)));
    let mut out = old.to_string();
    for edit in edits {
        out.replace_range(edit.start..edit.end, &edit.text);
    }
    Some(out)
}

#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
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
            }
        }
        out.push_str(&self.text[cursor..end]);
        out
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

    fn replace(&self, old: &Node, new: &Node, edits: &mut Vec<Edit>) {
        let indent = self.old.indent_at(old.start);
        edits.push(Edit {
            start: old.start,
            end: old.end,
            text: self.new.reindented(new.start, new.end, indent),
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
                self.delete_entry(entry, edits);
            }
        }
        if !added.is_empty() && !self.insert_entries(&old_entries, close, &added, edits) {
            // No layout to follow (an inline or empty struct): rewrite this struct alone.
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
        // Kept records must keep their order and new ones come last, or there is no honest
        // minimal edit: rewrite the list.
        let kept: Vec<&String> = new_keys.iter().filter(|k| old_keys.contains(k)).collect();
        let old_kept: Vec<&String> = old_keys.iter().filter(|k| new_keys.contains(k)).collect();
        let first_added = new_keys.iter().position(|k| !old_keys.contains(k));
        let added_in_middle =
            first_added.is_some_and(|i| new_keys[i..].iter().any(|k| old_keys.contains(k)));
        if kept != old_kept || added_in_middle {
            return self.replace_whole(old, new, edits);
        }
        let old_entries: Vec<Entry> = old_items
            .iter()
            .map(|n| Entry {
                start: n.start,
                value: n,
            })
            .collect();
        for (item, key) in old_items.iter().zip(&old_keys) {
            match new_keys.iter().position(|k| k == key) {
                Some(i) => self.merge(item, &new_items[i], edits),
                None => self.delete_entry(
                    &Entry {
                        start: item.start,
                        value: item,
                    },
                    edits,
                ),
            }
        }
        let added: Vec<Entry> = new_items
            .iter()
            .zip(&new_keys)
            .filter(|(_, k)| !old_keys.contains(k))
            .map(|(n, _)| Entry {
                start: n.start,
                value: n,
            })
            .collect();
        let all_deleted = old_keys.iter().all(|k| !new_keys.contains(k));
        if !added.is_empty()
            && (all_deleted || !self.insert_entries(&old_entries, close, &added, edits))
        {
            self.replace_whole(old, new, edits);
        }
    }

    /// Replaces `old` whole, dropping the finer edits already made inside it.
    fn replace_whole(&self, old: &Node, new: &Node, edits: &mut Vec<Edit>) {
        edits.retain(|e| e.end <= old.start || e.start >= old.end);
        self.replace(old, new, edits);
    }

    /// Inserts entries before the container's closing bracket, one a line, indented like the
    /// existing entries. False when the container has no line-per-entry layout to follow.
    fn insert_entries(
        &self,
        existing: &[Entry],
        close: usize,
        added: &[Entry],
        edits: &mut Vec<Edit>,
    ) -> bool {
        let Some(last) = existing.last() else {
            return false;
        };
        if !self.old.starts_line(existing[0].start) || !self.old.starts_line(close) {
            return false;
        }
        let indent = self.old.indent_at(existing[0].start);
        if self.old.comma_after(last.value).is_none() {
            edits.push(Edit {
                start: last.value.end,
                end: last.value.end,
                text: ",".to_string(),
            });
        }
        let mut text = String::new();
        for entry in added {
            text.push_str(indent);
            text.push_str(&self.new.reindented(entry.start, entry.value.end, indent));
            text.push_str(",\n");
        }
        let at = self.old.line_start(close);
        edits.push(Edit {
            start: at,
            end: at,
            text,
        });
        true
    }

    /// Removes an entry: its own lines (with the comment lines just above it) when it has them,
    /// else just the entry and its comma.
    fn delete_entry(&self, entry: &Entry, edits: &mut Vec<Edit>) {
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
            start = doc.line_start(entry.start);
            end = line_end;
            // Comment lines directly above belong to the entry.
            while start > 0 {
                let previous = doc.line_start(start - 1);
                if doc.text[previous..start].trim_start().starts_with("//") {
                    start = previous;
                } else {
                    break;
                }
            }
        } else {
            let spaces = doc.text[end..].len() - doc.text[end..].trim_start_matches(' ').len();
            end += spaces;
        }
        edits.push(Edit {
            start,
            end,
            text: String::new(),
        });
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

/// What an edit changed, line by line: the lines removed from `old` and added in `new`, by a
/// longest-common-subsequence diff. For reports and tests of lossless saves.
pub fn changed_lines(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(b[j].to_string());
            j += 1;
        } else {
            removed.push(a[i].to_string());
            i += 1;
        }
    }
    (removed, added)
}

#[cfg(test)]
mod tests;
