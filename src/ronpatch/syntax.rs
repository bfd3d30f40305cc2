//! A span-keeping RON reader: tokens (comments and whitespace skipped but remembered by position)
//! and a small tree of values with the byte ranges they came from, so edits can touch only them.

/// A token's kind; its text is `source[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Ident,
    Str,
    Char,
    Number,
    Punct(u8),
    /// A character RON does not allow here (lossy scans only).
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub usize);

/// Splits RON text into tokens. Comments (`//…`, nested `/*…*/`) and whitespace are skipped.
pub fn tokenize(text: &str) -> Result<Vec<Token>, SyntaxError> {
    scan(text, false)
}

/// Like `tokenize`, for text that may be broken (a file mid-edit): an unknown character becomes
/// an `Other` token and an unterminated string or comment runs to the end.
pub fn tokenize_lossy(text: &str) -> Vec<Token> {
    scan(text, true).unwrap_or_default()
}

fn scan(text: &str, lossy: bool) -> Result<Vec<Token>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    // In lossy mode an unterminated literal or comment ends the text.
    let unterminated = |start: usize| {
        if lossy {
            Ok(bytes.len())
        } else {
            Err(SyntaxError(start))
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 0usize;
                loop {
                    if i + 1 >= bytes.len() {
                        i = unterminated(start)?;
                        break;
                    }
                    if bytes[i] == b'/' && bytes[i + 1] == b'*' {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                i = match skip_quoted(bytes, i, b'"') {
                    Some(end) => end,
                    None => unterminated(start)?,
                };
                tokens.push(Token {
                    kind: TokenKind::Str,
                    start,
                    end: i,
                });
            }
            b'\'' => {
                i = match skip_quoted(bytes, i, b'\'') {
                    Some(end) => end,
                    None => unterminated(start)?,
                };
                tokens.push(Token {
                    kind: TokenKind::Char,
                    start,
                    end: i,
                });
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'#')) => {
                i = match skip_raw_string(bytes, i) {
                    Some(end) => end,
                    None => unterminated(start)?,
                };
                tokens.push(Token {
                    kind: TokenKind::Str,
                    start,
                    end: i,
                });
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b':' | b',' | b'#' | b'!' => {
                i += 1;
                tokens.push(Token {
                    kind: TokenKind::Punct(b),
                    start,
                    end: i,
                });
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Ident,
                    start,
                    end: i,
                });
            }
            _ if b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_'))
                {
                    i += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Number,
                    start,
                    end: i,
                });
            }
            _ if lossy => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                tokens.push(Token {
                    kind: TokenKind::Other,
                    start,
                    end: i,
                });
            }
            _ => return Err(SyntaxError(start)),
        }
    }
    Ok(tokens)
}

fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn skip_raw_string(bytes: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"'
            && bytes[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    None
}

/// A value and where it sits in the text. `tokens` is the range of token indices it spans.
#[derive(Debug, Clone)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub tokens: (usize, usize),
    pub shape: Shape,
}

#[derive(Debug, Clone)]
pub enum Shape {
    /// `Name(field: value, …)` or `(field: value, …)`; `close` is the byte of `)`.
    Struct {
        name: Option<String>,
        fields: Vec<Field>,
        close: usize,
    },
    /// `Name(a, b)`, `(a, b)` or a unit `Name`/`()`.
    Tuple {
        name: Option<String>,
        items: Vec<Node>,
    },
    /// `[a, b]`; `close` is the byte of `]`.
    List { items: Vec<Node>, close: usize },
    /// `{k: v}`: kept whole, never merged into.
    Map,
    /// A string, number, char, bool or unit-variant identifier.
    Atom,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// Byte where the field's name starts.
    pub start: usize,
    pub value: Node,
}

struct Parser<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pos: usize,
}

/// Parses a whole RON document (leading `#![enable(…)]` attributes allowed) into its root value.
pub fn parse(text: &str, tokens: &[Token]) -> Result<Node, SyntaxError> {
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
    };
    parser.skip_attributes()?;
    let root = parser.value()?;
    if parser.pos != tokens.len() {
        return Err(SyntaxError(tokens[parser.pos].start));
    }
    Ok(root)
}

impl<'t> Parser<'t> {
    fn peek(&self, offset: usize) -> Option<Token> {
        self.tokens.get(self.pos + offset).copied()
    }

    fn is_punct(&self, offset: usize, p: u8) -> bool {
        self.peek(offset).map(|t| t.kind) == Some(TokenKind::Punct(p))
    }

    fn error(&self) -> SyntaxError {
        SyntaxError(
            self.peek(0)
                .map(|t| t.start)
                .unwrap_or_else(|| self.text.len()),
        )
    }

    fn expect(&mut self, p: u8) -> Result<Token, SyntaxError> {
        if self.is_punct(0, p) {
            self.pos += 1;
            Ok(self.tokens[self.pos - 1])
        } else {
            Err(self.error())
        }
    }

    fn skip_attributes(&mut self) -> Result<(), SyntaxError> {
        while self.is_punct(0, b'#') {
            self.pos += 1;
            if self.is_punct(0, b'!') {
                self.pos += 1;
            }
            self.expect(b'[')?;
            let mut depth = 1;
            while depth > 0 {
                let token = self.peek(0).ok_or_else(|| self.error())?;
                match token.kind {
                    TokenKind::Punct(b'[') => depth += 1,
                    TokenKind::Punct(b']') => depth -= 1,
                    _ => {}
                }
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn text_of(&self, token: Token) -> &'t str {
        &self.text[token.start..token.end]
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        let first = self.pos;
        let token = self.peek(0).ok_or_else(|| self.error())?;
        let shape = match token.kind {
            TokenKind::Ident if self.is_punct(1, b'(') => {
                let name = self.text_of(token).to_string();
                self.pos += 1;
                self.parenthesised(Some(name))?
            }
            TokenKind::Ident | TokenKind::Str | TokenKind::Char | TokenKind::Number => {
                self.pos += 1;
                Shape::Atom
            }
            TokenKind::Punct(b'(') => self.parenthesised(None)?,
            TokenKind::Punct(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                while !self.is_punct(0, b']') {
                    items.push(self.value()?);
                    if !self.is_punct(0, b']') {
                        self.expect(b',')?;
                    }
                }
                let close = self.expect(b']')?.start;
                Shape::List { items, close }
            }
            TokenKind::Punct(b'{') => {
                self.pos += 1;
                while !self.is_punct(0, b'}') {
                    self.value()?;
                    self.expect(b':')?;
                    self.value()?;
                    if !self.is_punct(0, b'}') {
                        self.expect(b',')?;
                    }
                }
                self.expect(b'}')?;
                Shape::Map
            }
            _ => return Err(self.error()),
        };
        let last = self.tokens[self.pos - 1];
        Ok(Node {
            start: token.start,
            end: last.end,
            tokens: (first, self.pos),
            shape,
        })
    }

    /// After an optional name: `( … )` holding either fields or items.
    fn parenthesised(&mut self, name: Option<String>) -> Result<Shape, SyntaxError> {
        self.expect(b'(')?;
        let is_struct =
            self.peek(0).map(|t| t.kind) == Some(TokenKind::Ident) && self.is_punct(1, b':');
        if is_struct {
            let mut fields = Vec::new();
            while !self.is_punct(0, b')') {
                let name_token = self.peek(0).ok_or_else(|| self.error())?;
                if name_token.kind != TokenKind::Ident {
                    return Err(self.error());
                }
                self.pos += 1;
                self.expect(b':')?;
                let value = self.value()?;
                fields.push(Field {
                    name: self.text_of(name_token).to_string(),
                    start: name_token.start,
                    value,
                });
                if !self.is_punct(0, b')') {
                    self.expect(b',')?;
                }
            }
            let close = self.expect(b')')?.start;
            Ok(Shape::Struct {
                name,
                fields,
                close,
            })
        } else {
            let mut items = Vec::new();
            while !self.is_punct(0, b')') {
                items.push(self.value()?);
                if !self.is_punct(0, b')') {
                    self.expect(b',')?;
                }
            }
            self.expect(b')')?;
            Ok(Shape::Tuple { name, items })
        }
    }
}

/// The content of a string token, escapes decoded, so that `r#"a"b"#` and `"a\"b"` compare equal.
pub fn string_value(token: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if let Some(raw) = token.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        // An unterminated literal (from a lossy scan) has no closing quote to cut.
        return Cow::Borrowed(
            raw.get(hashes + 1..raw.len().saturating_sub(hashes + 1))
                .unwrap_or(""),
        );
    }
    let inner = token.get(1..token.len().saturating_sub(1)).unwrap_or("");
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let code: String = chars
                    .by_ref()
                    .skip_while(|&c| c == '{')
                    .take_while(|&c| c != '}')
                    .collect();
                match u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => return Cow::Borrowed(token),
                }
            }
            Some('x') => {
                let code: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&code, 16) {
                    Ok(byte) => out.push(char::from(byte)),
                    Err(_) => return Cow::Borrowed(token),
                }
            }
            Some(other) => out.push(other),
            None => return Cow::Borrowed(token),
        }
    }
    Cow::Owned(out)
}
