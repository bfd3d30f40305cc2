//! A fast reader for the common subset of the workspace's RON dialect, tried before the `ron`
//! crate on every load.
//!
//! Why: `ron` scans text a `char` at a time through function pointers; on a 1,000-Payload file
//! (157 KB) it runs about 20 M instructions, two thirds of the TUI's start. This reader does the
//! same on bytes in a fraction of that, and the first frame comes sooner.
//!
//! How it stays correct: it never reports an error of its own. Whatever it does not read exactly
//! as `ron` does (a `#![enable]` line, `Some(…)`, struct names, escapes other than the common
//! ones, numbers other than plain decimals, Unicode whitespace, any error at all) makes it
//! decline, and the caller parses the text again with `ron` (`load::ron_options`), which gives
//! the value or the error with its position. So it only has to keep one promise: whatever it
//! accepts, `ron` accepts with the same value. The tests check that promise on every shipped
//! workspace and on random edits of them.
//!
//! Each function here follows its namesake in `ron::de` and `ron::parse` (0.12): where `ron`
//! skips whitespace, consumes a comma or sets its newtype flag, this does the same.

use serde::de::{self, DeserializeSeed, Visitor};
use std::borrow::Cow;

/// Why the fast reader stopped: never shown, only a sign to parse with `ron`.
#[derive(Debug)]
pub(crate) struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outside the fast reader's subset of RON")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    // The message is dropped unformatted: `ron` gives the real one.
    fn custom<T: std::fmt::Display>(_message: T) -> Self {
        Declined
    }
}

type Result<T> = std::result::Result<T, Declined>;

/// Reads `text` as a `T` when it is within the subset, with the meaning `ron` gives it under the
/// workspace dialect (`IMPLICIT_SOME | UNWRAP_VARIANT_NEWTYPES`).
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    let mut reader = Reader {
        text,
        pos: 0,
        newtype_variant: false,
        depth: 0,
    };
    reader.skip_ws()?;
    // `#![enable(…)]` may change the dialect: left to `ron`.
    if reader.peek() == Some(b'#') {
        return Err(Declined);
    }
    let value = T::deserialize(&mut reader)?;
    reader.skip_ws()?;
    if reader.pos == text.len() {
        Ok(value)
    } else {
        Err(Declined)
    }
}

struct Reader<'de> {
    text: &'de str,
    pos: usize,
    /// `ron`'s `newtype_variant`: inside `Variant(…)`, a struct's fields come without their own
    /// parentheses (`UNWRAP_VARIANT_NEWTYPES`).
    newtype_variant: bool,
    /// How many structs and lists the cursor is inside: the workspace's own lists are at 1.
    depth: u32,
}

/// A byte that continues an identifier (`ron` asks `is_xid_continue`; beyond ASCII we decline).
fn continues_identifier(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

impl<'de> Reader<'de> {
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn consume(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.consume(byte) {
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// Spaces, tabs, line ends and comments. Other whitespace `ron` knows (form feed, U+2028…)
    /// stops here and ends in a decline wherever it stands.
    #[inline]
    fn skip_ws(&mut self) -> Result<()> {
        // Called four times a field, and most often at a token: that check is inlined.
        match self.peek() {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.skip_ws_run(),
            _ => Ok(()),
        }
    }

    #[inline(never)]
    fn skip_ws_run(&mut self) -> Result<()> {
        let bytes = self.bytes();
        loop {
            match bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => match bytes.get(self.pos + 1) {
                    Some(b'/') => {
                        // To the line end, or to the end of the text as `ron` allows.
                        self.pos = match bytes[self.pos..].iter().position(|&b| b == b'\n') {
                            Some(n) => self.pos + n,
                            None => bytes.len(),
                        };
                    }
                    Some(b'*') => self.skip_block_comment()?,
                    _ => return Err(Declined),
                },
                _ => return Ok(()),
            }
        }
    }

    /// `/* … */`, nested as `ron` nests them; the cursor is on the opening `/`.
    fn skip_block_comment(&mut self) -> Result<()> {
        let bytes = self.bytes();
        self.pos += 2;
        let mut level = 1;
        while level > 0 {
            let rest = &bytes[self.pos..];
            let next = rest
                .iter()
                .position(|&b| b == b'/' || b == b'*')
                .ok_or(Declined)?;
            self.pos += next;
            if bytes[self.pos..].starts_with(b"/*") {
                level += 1;
                self.pos += 2;
            } else if bytes[self.pos..].starts_with(b"*/") {
                level -= 1;
                self.pos += 2;
            } else {
                self.pos += 1;
            }
        }
        Ok(())
    }

    /// `ron`'s `comma`: whitespace, then a comma and whitespace if there is one.
    fn comma(&mut self) -> Result<bool> {
        self.skip_ws()?;
        if self.consume(b',') {
            self.skip_ws()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Whether the text continues with the identifier `word` and nothing more of one; declines
    /// when a non-ASCII character follows (whether it continues the identifier is `ron`'s call).
    fn check_keyword(&self, word: &str) -> Result<bool> {
        let bytes = self.bytes();
        if !bytes[self.pos..].starts_with(word.as_bytes()) {
            return Ok(false);
        }
        match bytes.get(self.pos + word.len()) {
            Some(&b) if b >= 0x80 => Err(Declined),
            Some(&b) => Ok(!continues_identifier(b)),
            None => Ok(true),
        }
    }

    fn consume_keyword(&mut self, word: &str) -> Result<bool> {
        let found = self.check_keyword(word)?;
        if found {
            self.pos += word.len();
        }
        Ok(found)
    }

    /// An ASCII identifier. Declines where `ron` would read something else or complain: a raw
    /// identifier (`r#…`), a string prefix (`r"`, `b"`, `br#`), `-`, `+` or `.` run into it, or
    /// a non-ASCII character.
    fn identifier(&mut self) -> Result<&'de str> {
        let bytes = self.bytes();
        let start = self.pos;
        match bytes.get(start) {
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
            _ => return Err(Declined),
        }
        let len = bytes[start..]
            .iter()
            .position(|&b| !continues_identifier(b))
            .unwrap_or(bytes.len() - start);
        if let Some(&next) = bytes.get(start + len)
            && (next >= 0x80 || matches!(next, b'#' | b'"' | b'\'' | b'.' | b'+' | b'-'))
        {
            return Err(Declined);
        }
        self.pos += len;
        Ok(&self.text[start..start + len])
    }

    /// A plain decimal without sign, prefix, `_`, suffix or leading zero.
    fn unsigned(&mut self) -> Result<u64> {
        let bytes = self.bytes();
        let start = self.pos;
        let len = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len() - start);
        let digits = &bytes[start..start + len];
        if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
            return Err(Declined);
        }
        if let Some(&next) = bytes.get(start + len)
            && (next >= 0x80 || continues_identifier(next) || next == b'.')
        {
            return Err(Declined);
        }
        let mut value: u64 = 0;
        for &digit in digits {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(digit - b'0')))
                .ok_or(Declined)?;
        }
        self.pos += len;
        Ok(value)
    }

    /// `"…"` with the common escapes, or a raw string `r"…"`, `r#"…"#`.
    fn string(&mut self) -> Result<Cow<'de, str>> {
        if self.consume(b'"') {
            self.escaped_string()
        } else if self.consume(b'r') {
            self.raw_string()
        } else {
            Err(Declined)
        }
    }

    fn escaped_string(&mut self) -> Result<Cow<'de, str>> {
        let bytes = self.bytes();
        let start = self.pos;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\')
            .ok_or(Declined)?
            + start;
        if bytes[end] == b'"' {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(&self.text[start..end]));
        }
        let mut owned = String::with_capacity(end - start + 16);
        let mut run = start;
        let mut at = end;
        loop {
            // `at` is on a `\` or the closing `"`; both are ASCII, so the slices are whole.
            owned.push_str(&self.text[run..at]);
            if bytes[at] == b'"' {
                self.pos = at + 1;
                return Ok(Cow::Owned(owned));
            }
            let unescaped = match bytes.get(at + 1) {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'\'') => '\'',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'0') => '\0',
                // `\x..`, `\u{..}`, a line continuation: left to `ron`.
                _ => return Err(Declined),
            };
            owned.push(unescaped);
            run = at + 2;
            at = bytes[run..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')
                .ok_or(Declined)?
                + run;
        }
    }

    /// After the `r`: as many `#` as close it, then `"…"` and the same `#`s.
    fn raw_string(&mut self) -> Result<Cow<'de, str>> {
        let bytes = self.bytes();
        let hashes = bytes[self.pos..].iter().take_while(|&&b| b == b'#').count();
        self.pos += hashes;
        self.expect(b'"')?;
        let start = self.pos;
        let mut search = start;
        loop {
            let quote = bytes[search..]
                .iter()
                .position(|&b| b == b'"')
                .ok_or(Declined)?
                + search;
            let closing = &bytes[quote + 1..];
            if closing.len() >= hashes && closing[..hashes].iter().all(|&b| b == b'#') {
                self.pos = quote + 1 + hashes;
                return Ok(Cow::Borrowed(&self.text[start..quote]));
            }
            search = quote + 1;
        }
    }

    /// `(` the fields of a struct `)`.
    fn parenthesised_fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.expect(b'(')?;
        let value = self.fields(visitor)?;
        self.skip_ws()?;
        self.expect(b')')?;
        Ok(value)
    }

    /// The fields of a struct up to (not including) its `)`.
    fn fields<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.depth += 1;
        let value = visitor.visit_map(CommaSeparated {
            reader: &mut *self,
            terminator: b')',
            had_comma: true,
            elements: None,
        })?;
        self.depth -= 1;
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.consume_keyword("true")? {
            visitor.visit_bool(true)
        } else if self.consume_keyword("false")? {
            visitor.visit_bool(false)
        } else {
            Err(Declined)
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = u8::try_from(self.unsigned()?).map_err(|_| Declined)?;
        visitor.visit_u8(value)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = u16::try_from(self.unsigned()?).map_err(|_| Declined)?;
        visitor.visit_u16(value)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = u32::try_from(self.unsigned()?).map_err(|_| Declined)?;
        visitor.visit_u32(value)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.unsigned()?;
        visitor.visit_u64(value)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.consume_keyword("None")? {
            visitor.visit_none()
        } else if self.check_keyword("Some")? {
            // `Some(…)` moves `ron`'s newtype flag: left to it.
            Err(Declined)
        } else {
            // IMPLICIT_SOME; like `ron`, the newtype flag is left as it is.
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.newtype_variant = false;
        self.expect(b'[')?;
        // The workspace's own lists (1,000 Payloads, say) are counted first, so that each is
        // allocated once rather than copied at every doubling; lists inside records are short.
        let elements = if self.depth == 1 {
            count::count_elements(&self.bytes()[self.pos..])
        } else {
            None
        };
        self.depth += 1;
        let value = visitor.visit_seq(CommaSeparated {
            reader: &mut *self,
            terminator: b']',
            had_comma: true,
            elements,
        })?;
        self.depth -= 1;
        self.skip_ws()?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if self.newtype_variant {
            // `Variant(field: …)`: the variant's parentheses are the struct's.
            self.newtype_variant = false;
            let value = self.fields(visitor)?;
            self.skip_ws()?;
            return Ok(value);
        }
        // A struct name before `(` (`Payload(…)`) is checked by `ron`.
        self.parenthesised_fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.newtype_variant = false;
        visitor.visit_enum(self)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let identifier = self.identifier()?;
        visitor.visit_borrowed_str(identifier)
    }

    // What the workspace model never asks for is left to `ron`.
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct
        tuple tuple_struct map ignored_any
    }
}

/// `ron`'s `CommaSeparated`: the elements of a list or the fields of a struct.
struct CommaSeparated<'a, 'de> {
    reader: &'a mut Reader<'de>,
    terminator: u8,
    had_comma: bool,
    /// A list's length when it was counted: serde's `size_hint`, so the `Vec` is sized once.
    elements: Option<usize>,
}

impl CommaSeparated<'_, '_> {
    fn has_element(&mut self) -> Result<bool> {
        self.reader.skip_ws()?;
        let more = self.reader.peek() != Some(self.terminator);
        match (self.had_comma, more) {
            (true, more) => Ok(more),
            (false, false) => Ok(false),
            (false, true) => Err(Declined),
        }
    }
}

impl<'de> de::SeqAccess<'de> for CommaSeparated<'_, 'de> {
    type Error = Declined;

    fn size_hint(&self) -> Option<usize> {
        self.elements
    }

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.had_comma = self.reader.comma()?;
        self.elements = self.elements.map(|n| n.saturating_sub(1));
        Ok(Some(value))
    }
}

impl<'de> de::MapAccess<'de> for CommaSeparated<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.has_element()? {
            return Ok(None);
        }
        // Field names are identifiers: the derived field visitor asks for one.
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.skip_ws()?;
        self.reader.expect(b':')?;
        self.reader.skip_ws()?;
        let value = seed.deserialize(&mut *self.reader)?;
        self.had_comma = self.reader.comma()?;
        Ok(value)
    }
}

impl<'de> de::EnumAccess<'de> for &mut Reader<'de> {
    type Error = Declined;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        self.skip_ws()?;
        let variant = seed.deserialize(&mut *self)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for &mut Reader<'de> {
    type Error = Declined;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.skip_ws()?;
        self.expect(b'(')?;
        self.skip_ws()?;
        self.newtype_variant = true;
        let value = seed.deserialize(&mut *self)?;
        self.newtype_variant = false;
        self.comma()?;
        self.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value> {
        Err(Declined)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.skip_ws()?;
        // `deserialize_enum` has cleared the newtype flag, so the parentheses are required.
        self.parenthesised_fields(visitor)
    }
}

mod count;
#[cfg(test)]
mod tests;
