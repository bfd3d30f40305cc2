//! Inserting new fields and records into old text, in the layout the old text already has.

use super::syntax::Node;
use super::{Docs, Edit, Entry, Need, any_of};

impl Docs<'_> {
    /// The entries as lines in the canonical layout, indented by `indent`, each its own edit at `at`.
    pub(super) fn insert_lines(
        &self,
        at: usize,
        indent: &str,
        added: &[Entry],
        needs: &[Need],
        edits: &mut Vec<Edit>,
    ) {
        for (entry, need) in added.iter().zip(needs) {
            let mut text = indent.to_string();
            text.push_str(&self.new.reindented(entry.start, entry.value.end, indent));
            text.push_str(",\n");
            edits.push(Edit {
                start: at,
                end: at,
                text,
                need: need.clone(),
            });
        }
    }

    /// Inserts entries before the container's closing bracket, one a line, indented like the
    /// existing entries. False when the container has no line-per-entry layout to follow.
    pub(super) fn insert_entries(
        &self,
        existing: &[Entry],
        close: usize,
        added: &[Entry],
        needs: &[Need],
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
                need: any_of(needs),
            });
        }
        self.insert_lines(self.old.line_start(close), indent, added, needs, edits);
        true
    }

    /// Inserts short fields on the line of the last field: `(a: 1, b: 2)` → `(a: 1, b: 2, c: 3)`.
    pub(super) fn insert_inline(
        &self,
        existing: &[Entry],
        added: &[Entry],
        needs: &[Need],
        edits: &mut Vec<Edit>,
    ) -> bool {
        let Some(last) = existing.last() else {
            return false;
        };
        let texts: Vec<&str> = added
            .iter()
            .map(|e| &self.new.text[e.start..e.value.end])
            .collect();
        if texts.iter().any(|t| t.contains('\n')) {
            return false;
        }
        for (text, need) in texts.iter().zip(needs) {
            edits.push(Edit {
                start: last.value.end,
                end: last.value.end,
                text: format!(", {text}"),
                need: need.clone(),
            });
        }
        true
    }

    /// Inserts records on their own lines right after `item`, which must end its line.
    pub(super) fn insert_after(&self, item: &Node, added: &[Entry], edits: &mut Vec<Edit>) -> bool {
        let doc = &self.old;
        let Some(comma) = doc.comma_after(item) else {
            return false;
        };
        let line_end = doc.text[comma.end..]
            .find('\n')
            .map_or(doc.text.len(), |i| comma.end + i + 1);
        let rest = doc.text[comma.end..line_end].trim();
        if !doc.starts_line(item.start) || !(rest.is_empty() || rest.starts_with("//")) {
            return false;
        }
        if line_end == doc.text.len() && !doc.text.ends_with('\n') {
            return false;
        }
        let always = vec![Need::Always; added.len()];
        self.insert_lines(line_end, doc.indent_at(item.start), added, &always, edits);
        true
    }

    /// Inserts records on their own lines before `item` and the comment lines just above it.
    pub(super) fn insert_before(
        &self,
        item: &Node,
        added: &[Entry],
        edits: &mut Vec<Edit>,
    ) -> bool {
        let doc = &self.old;
        if !doc.starts_line(item.start) {
            return false;
        }
        let always = vec![Need::Always; added.len()];
        let at = doc.comment_lines_above(doc.line_start(item.start));
        self.insert_lines(at, doc.indent_at(item.start), added, &always, edits);
        true
    }
}
