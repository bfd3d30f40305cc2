//! Finds where a record or one of its fields is written in the RON source, so that errors found
//! after parsing (validation) still point at `line:col`. A small tokenizer, not a second parser:
//! it understands comments, strings and brackets, which is all that locating needs.

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident(String),
    Str(String),
    Open,
    Close,
    Colon,
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    /// Byte offset in the source.
    start: usize,
}

/// A 1-based line and column (in characters), as editors count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

pub struct Locator<'a> {
    source: &'a str,
    tokens: Vec<Token>,
}

/// Token indices `[start, end]` of one record's parentheses.
#[derive(Debug, Clone, Copy)]
pub struct RecordSpan {
    start: usize,
    end: usize,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a str) -> Locator<'a> {
        Locator {
            source,
            tokens: tokenize(source),
        }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let before = &self.source[..offset.min(self.source.len())];
        let line = 1 + before.matches('\n').count();
        let col = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
        Pos { line, col }
    }

    /// The byte offset of a 1-based line and column.
    pub fn offset(&self, pos: Pos) -> usize {
        let line_start = if pos.line <= 1 {
            0
        } else {
            self.source
                .match_indices('\n')
                .nth(pos.line - 2)
                .map_or(self.source.len(), |(i, _)| i + 1)
        };
        let line = &self.source[line_start..];
        line_start
            + line
                .char_indices()
                .nth(pos.col.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i)
    }

    /// The innermost record (section and index) whose parentheses hold `offset`.
    pub fn record_at(&self, offset: usize) -> Option<(&'static str, usize)> {
        for section in ["integrations", "credentials", "payloads", "variables"] {
            let mut index = 0;
            while let Some(span) = self.record(section, index) {
                let (start, end) = (self.tokens[span.start].start, self.tokens[span.end].start);
                if (start..=end).contains(&offset) {
                    return Some((section, index));
                }
                index += 1;
            }
        }
        None
    }

    /// The string value of a record's own (top-level) field, such as its `id`.
    pub fn record_field_text(&self, section: &str, index: usize, field: &str) -> Option<String> {
        let span = self.record(section, index)?;
        let mut depth = 0usize;
        for i in span.start..span.end {
            match &self.tokens[i].kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                Kind::Ident(name) if depth == 1 && name == field => {
                    if let (Some(Kind::Colon), Some(Kind::Str(value))) = (
                        self.tokens.get(i + 1).map(|t| &t.kind),
                        self.tokens.get(i + 2).map(|t| &t.kind),
                    ) {
                        return Some(value.clone());
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Where the last string literal before `offset` starts, when it spans several lines (the
    /// usual sign of a missing closing quote).
    pub fn multiline_string_before(&self, offset: usize) -> Option<Pos> {
        let token = self.tokens.iter().rev().find(|t| t.start < offset)?;
        match &token.kind {
            Kind::Str(text) if text.contains('\n') => Some(self.pos(token.start)),
            _ => None,
        }
    }

    fn token_pos(&self, index: usize) -> Pos {
        self.pos(self.tokens[index].start)
    }

    /// The `index`-th record of a top-level list such as `credentials: [ (...), (...) ]`.
    pub fn record(&self, section: &str, index: usize) -> Option<RecordSpan> {
        let open = self.section_list(section)?;
        let close = self.matching(open)?;
        let mut i = open + 1;
        let mut seen = 0;
        while i < close {
            if self.tokens[i].kind == Kind::Open {
                let end = self.matching(i)?;
                if seen == index {
                    return Some(RecordSpan { start: i, end });
                }
                seen += 1;
                i = end + 1;
            } else {
                i += 1;
            }
        }
        None
    }

    /// Where a record starts: its `id` (or `name`) field when written, else its parenthesis.
    pub fn record_pos(&self, section: &str, index: usize) -> Option<Pos> {
        let span = self.record(section, index)?;
        self.field_in(span, "id", true)
            .or_else(|| self.field_in(span, "name", true))
            .or(Some(self.token_pos(span.start)))
    }

    /// Where a field of a record is written (at any depth inside it): the position of its value.
    pub fn field(&self, section: &str, index: usize, field: &str) -> Option<Pos> {
        let span = self.record(section, index)?;
        self.field_in(span, field, false)
    }

    /// The first string literal inside a record whose content contains `needle`.
    pub fn string_containing(&self, section: &str, index: usize, needle: &str) -> Option<Pos> {
        let span = self.record(section, index)?;
        (span.start..=span.end)
            .find(|&i| matches!(&self.tokens[i].kind, Kind::Str(s) if s.contains(needle)))
            .map(|i| self.token_pos(i))
    }

    /// Where `snippet` is written inside the first string literal of a record whose content
    /// contains `needle` (a placeholder inside a body, say), backed up to the `{{` that opens it;
    /// the string's own position when the snippet is not written literally (escapes).
    pub fn within_string(
        &self,
        section: &str,
        index: usize,
        needle: &str,
        snippet: &str,
    ) -> Option<Pos> {
        let span = self.record(section, index)?;
        let token = (span.start..=span.end)
            .find(|&i| matches!(&self.tokens[i].kind, Kind::Str(s) if s.contains(needle)))?;
        let start = self.tokens[token].start;
        let end = self
            .tokens
            .get(token + 1)
            .map_or(self.source.len(), |t| t.start);
        let raw = &self.source[start..end];
        let Some(found) = raw.find(snippet).filter(|_| !snippet.is_empty()) else {
            return Some(self.token_pos(token));
        };
        let before = raw[..found].trim_end_matches(' ');
        let found = match before.strip_suffix("{{") {
            Some(opening) if !snippet.starts_with("{{") => opening.len(),
            _ => found,
        };
        Some(self.pos(start + found))
    }

    /// The string value of `field: "value"` inside a record, e.g. a Data Target's `value: "x"`.
    pub fn field_with_value(
        &self,
        section: &str,
        index: usize,
        field: &str,
        value: &str,
    ) -> Option<Pos> {
        let span = self.record(section, index)?;
        (span.start..span.end.saturating_sub(1))
            .find(|&i| {
                self.tokens[i].kind == Kind::Ident(field.to_string())
                    && self.tokens[i + 1].kind == Kind::Colon
                    && self.tokens[i + 2].kind == Kind::Str(value.to_string())
            })
            .map(|i| self.token_pos(i + 2))
    }

    fn field_in(&self, span: RecordSpan, field: &str, top_level_only: bool) -> Option<Pos> {
        let mut depth = 0usize;
        for i in span.start..span.end {
            match &self.tokens[i].kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                Kind::Ident(name)
                    if name == field
                        && self.tokens[i + 1].kind == Kind::Colon
                        && (!top_level_only || depth == 1) =>
                {
                    return Some(self.token_pos(i + 2));
                }
                _ => {}
            }
        }
        None
    }

    /// The `[` that opens a top-level section's list.
    fn section_list(&self, section: &str) -> Option<usize> {
        let mut depth = 0usize;
        for (i, token) in self.tokens.iter().enumerate() {
            match &token.kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                Kind::Ident(name)
                    if depth == 1
                        && name == section
                        && self.tokens.get(i + 1).map(|t| &t.kind) == Some(&Kind::Colon) =>
                {
                    return (i + 2 < self.tokens.len() && self.tokens[i + 2].kind == Kind::Open)
                        .then_some(i + 2);
                }
                _ => {}
            }
        }
        None
    }

    fn matching(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for i in open..self.tokens.len() {
            match self.tokens[i].kind {
                Kind::Open => depth += 1,
                Kind::Close => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// The shared RON scanner's tokens, reduced to what locating needs. Lossy, so that a file with a
/// syntax error can still be searched for the record around it.
fn tokenize(source: &str) -> Vec<Token> {
    use crate::ronpatch::syntax::{self, TokenKind};
    syntax::tokenize_lossy(source)
        .into_iter()
        .map(|token| {
            let text = &source[token.start..token.end];
            let kind = match token.kind {
                TokenKind::Ident => Kind::Ident(text.to_string()),
                TokenKind::Str if text.len() >= 2 => {
                    Kind::Str(syntax::string_value(text).into_owned())
                }
                TokenKind::Punct(b'(' | b'[' | b'{') => Kind::Open,
                TokenKind::Punct(b')' | b']' | b'}') => Kind::Close,
                TokenKind::Punct(b':') => Kind::Colon,
                _ => Kind::Other,
            };
            Token {
                kind,
                start: token.start,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"// a comment with credentials: [ (id: "nope") ]
(
    integrations: [(id: "a", name: "A")],
    credentials: [
        /* (id: "hidden") */
        (
            id: "one",
            auth: BearerToken(token_payload: "t"),
        ),
        (id: "two", name: "x \"quoted\""),
    ],
)"#;

    #[test]
    fn finds_records_fields_and_strings() {
        let l = Locator::new(SOURCE);
        assert_eq!(
            l.record_pos("credentials", 0),
            Some(Pos { line: 7, col: 17 })
        );
        assert_eq!(
            l.record_pos("credentials", 1),
            Some(Pos { line: 10, col: 14 })
        );
        assert_eq!(l.record_pos("credentials", 2), None);
        assert_eq!(
            l.field("credentials", 0, "token_payload"),
            Some(Pos { line: 8, col: 46 })
        );
        assert_eq!(
            l.string_containing("credentials", 1, "\"quoted\""),
            Some(Pos { line: 10, col: 27 })
        );
        assert_eq!(
            l.record_pos("integrations", 0),
            Some(Pos { line: 3, col: 25 })
        );
        assert_eq!(l.record_pos("payloads", 0), None);
    }
}
