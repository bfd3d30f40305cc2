//! Counting the records of a list before reading them, so that its `Vec` is allocated once:
//! the fast reader's `size_hint` for the workspace's own lists.

/// How many records the list starting at `text` (just after its `[`) holds, found with
/// `memchr` from parenthesis to parenthesis and over strings (escaped and raw) and comments
/// between records. Only a hint for serde's `size_hint`, so the rare text that fools it (a
/// parenthesis or quote in a comment inside a record) costs a wrong capacity, never a wrong
/// value; `None` where an element is not a `(…)` record or the text ends first, wherever it
/// ends (the text is whatever the user saved, cut anywhere).
pub(super) fn count_elements(text: &[u8]) -> Option<usize> {
    let mut records = 0;
    let mut at = 0;
    loop {
        match *text.get(at)? {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => at += 1,
            b'/' => at = after_comment(text, at)?,
            b']' => return Some(records),
            b'(' => {
                records += 1;
                at = after_group(text, at)?;
            }
            _ => return None,
        }
    }
}

/// Just past the `)` that closes the `(` at `open`.
fn after_group(text: &[u8], open: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut at = open;
    loop {
        at += memchr::memchr3(b'(', b')', b'"', text.get(at..)?)?;
        match text[at] {
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return Some(at + 1);
                }
            }
            _ => {
                at = after_string(text, at)?;
                continue;
            }
        }
        at += 1;
    }
}

/// Just past the string whose `"` is at `quote`: a raw one when `r` and `#`s come before it.
fn after_string(text: &[u8], quote: usize) -> Option<usize> {
    let hashes = text[..quote]
        .iter()
        .rev()
        .take_while(|&&b| b == b'#')
        .count();
    let mut from = quote + 1;
    if quote > hashes && text[quote - hashes - 1] == b'r' {
        let fence = &text[quote - hashes..quote];
        loop {
            let close = memchr::memchr(b'"', text.get(from..)?)? + from;
            if text.get(close + 1..)?.starts_with(fence) {
                return Some(close + 1 + hashes);
            }
            from = close + 1;
        }
    }
    loop {
        let next = memchr::memchr2(b'"', b'\\', text.get(from..)?)? + from;
        if text[next] == b'"' {
            return Some(next + 1);
        }
        // Past the escaped byte, which may be past the end when the text stops at a `\`.
        from = next + 2;
    }
}

/// Just past the comment starting at `at` (`//` to its line end, or `/* … */` nested).
fn after_comment(text: &[u8], at: usize) -> Option<usize> {
    match text.get(at + 1)? {
        b'/' => Some(memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |n| at + n)),
        b'*' => {
            let mut nested = 1;
            let mut at = at + 2;
            while nested > 0 {
                at += memchr::memchr2(b'/', b'*', text.get(at..)?)?;
                if text[at..].starts_with(b"/*") {
                    nested += 1;
                    at += 2;
                } else if text[at..].starts_with(b"*/") {
                    nested -= 1;
                    at += 2;
                } else {
                    at += 1;
                }
            }
            Some(at)
        }
        _ => None,
    }
}
