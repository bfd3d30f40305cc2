//! Copying to the clipboard of the terminal the user sits at, which over SSH is the only one
//! that matters: an OSC 52 sequence (`ESC ] 52 ; c ; <base64> BEL`) the terminal (or tmux with
//! `set-clipboard on`) turns into a clipboard write. What a key copies (`Clip`), the sequence,
//! and the cap on its size. The event loop writes the sequence between frames through the
//! console, the same stdout ratatui draws on, so it can never land inside a frame.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The most bytes one copy carries. tmux (3.x) drops an escape sequence longer than its 1 MiB
/// input buffer without a word, and so do several terminals at their own limits; base64 makes
/// 3 bytes 4, so 786,000 bytes encode to 1,048,000 and the whole sequence stays under 1 MiB.
/// Past it nothing is copied and the status line says why: a clipboard holding a silently cut
/// body would be worse than none.
pub const MAX_COPY_BYTES: usize = 786_000;

/// The help's note on copying, for terminals that ignore OSC 52.
pub const HELP_NOTE: &[&str] = &[
    "A copy goes to the terminal's clipboard as OSC 52 (over SSH too); the",
    "status line says what was copied and how many bytes (786,000 at most).",
    "A terminal that ignores OSC 52 copies nothing. In tmux: set -g",
    "set-clipboard on; in xterm: allowWindowOps. Else `payloads jobs show ID`",
    "and `payloads export curl PAYLOAD` print the same text to copy from.",
];

/// What a copy key took, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipKind {
    ResponseBody,
    RequestCurl,
    PayloadCurl,
    Url,
    ResponseValue,
    AccessToken,
}

impl ClipKind {
    pub fn label(self) -> &'static str {
        match self {
            ClipKind::ResponseBody => "the response body",
            ClipKind::RequestCurl => "the request as curl",
            ClipKind::PayloadCurl => "the Payload as curl",
            ClipKind::Url => "the URL",
            ClipKind::ResponseValue => "the response value",
            ClipKind::AccessToken => "the access token",
        }
    }
}

/// Text on its way to the clipboard.
#[derive(Clone, PartialEq, Eq)]
pub struct Clip {
    pub kind: ClipKind,
    /// A name to add to the label: the value's name, the Payload's id.
    pub name: Option<String>,
    pub text: String,
}

impl std::fmt::Debug for Clip {
    // The text may be a token: never printed by a Debug (a log line, a failed assertion).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clip")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("bytes", &self.text.len())
            .finish()
    }
}

impl Clip {
    pub fn new(kind: ClipKind, text: impl Into<String>) -> Clip {
        Clip {
            kind,
            name: None,
            text: text.into(),
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Clip {
        self.name = Some(name.into());
        self
    }

    /// `the response value total` / `the Payload as curl (list-contacts)`.
    pub fn describe(&self) -> String {
        match (&self.name, self.kind) {
            (Some(name), ClipKind::ResponseValue) => format!("the response value {name}"),
            (Some(name), _) => format!("{} ({name})", self.kind.label()),
            (None, _) => self.kind.label().to_string(),
        }
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard, or why it cannot go.
#[derive(Clone, PartialEq, Eq)]
pub struct Osc52(Vec<u8>);

impl std::fmt::Debug for Osc52 {
    // The base64 inside may be a token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Osc52({} bytes)", self.0.len())
    }
}

impl Osc52 {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Why a copy was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyRefused {
    Empty,
    TooLarge { bytes: usize },
}

/// `ESC ] 52 ; c ; <base64 of text> BEL`: `c` is the clipboard selection; BEL ends it (every
/// terminal that reads OSC 52 takes BEL, some older ones not ST). No tmux passthrough wrapping:
/// tmux 3.x with `set-clipboard on` reads the sequence itself and sets its buffer and the outer
/// terminal's clipboard; wrapped, it would only pass it on with `allow-passthrough`.
pub fn osc52(text: &str) -> Result<Osc52, CopyRefused> {
    if text.is_empty() {
        return Err(CopyRefused::Empty);
    }
    if text.len() > MAX_COPY_BYTES {
        return Err(CopyRefused::TooLarge { bytes: text.len() });
    }
    let mut out = Vec::with_capacity(8 + text.len().div_ceil(3) * 4);
    out.extend_from_slice(b"\x1b]52;c;");
    out.extend_from_slice(BASE64.encode(text).as_bytes());
    out.push(0x07);
    Ok(Osc52(out))
}

/// `1,048,576`: byte counts as people read them.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The status line after a copy key: what went to the clipboard and how big it was, or why not.
pub fn status(clip: &Clip, outcome: &Result<Osc52, CopyRefused>) -> String {
    let what = clip.describe();
    match outcome {
        Ok(_) => format!("copied {what} ({} bytes)", grouped(clip.text.len())),
        Err(CopyRefused::Empty) => format!("nothing copied: {what} is empty"),
        Err(CopyRefused::TooLarge { bytes }) => format!(
            "not copied: {what} is {} bytes, over the {} a terminal takes in one copy",
            grouped(*bytes),
            grouped(MAX_COPY_BYTES)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_osc_52_with_base64_and_bel() {
        let seq = osc52("hello").unwrap();
        assert_eq!(seq.as_bytes(), b"\x1b]52;c;aGVsbG8=\x07");
        // Any byte, control characters and UTF-8 included, travels as base64 only.
        let seq = osc52("a\x1b]0;x\x07é").unwrap();
        let inner = &seq.as_bytes()[7..seq.as_bytes().len() - 1];
        assert!(
            inner
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b))
        );
        assert_eq!(BASE64.decode(inner).unwrap(), "a\x1b]0;x\x07é".as_bytes());
    }

    #[test]
    fn the_cap_keeps_the_sequence_under_a_mebibyte_and_past_it_nothing_goes() {
        let at_cap = "x".repeat(MAX_COPY_BYTES);
        let seq = osc52(&at_cap).unwrap();
        assert!(
            seq.as_bytes().len() < 1024 * 1024,
            "{}",
            seq.as_bytes().len()
        );
        let over = "x".repeat(MAX_COPY_BYTES + 1);
        assert_eq!(
            osc52(&over),
            Err(CopyRefused::TooLarge {
                bytes: MAX_COPY_BYTES + 1
            })
        );
        assert_eq!(osc52(""), Err(CopyRefused::Empty));
    }

    #[test]
    fn the_status_line_says_what_and_how_many_bytes() {
        let clip = Clip::new(ClipKind::ResponseBody, "x".repeat(1234));
        assert_eq!(
            status(&clip, &osc52(&clip.text)),
            "copied the response body (1,234 bytes)"
        );
        let clip = Clip::new(ClipKind::ResponseValue, "42").named("total");
        assert_eq!(
            status(&clip, &osc52(&clip.text)),
            "copied the response value total (2 bytes)"
        );
        let big = Clip::new(ClipKind::ResponseBody, "x".repeat(1_000_000));
        assert_eq!(
            status(&big, &osc52(&big.text)),
            "not copied: the response body is 1,000,000 bytes, over the 786,000 a terminal takes in one copy"
        );
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_048_576), "1,048,576");
    }

    #[test]
    fn a_clip_never_debug_prints_its_text() {
        let clip = Clip::new(ClipKind::AccessToken, "s3cret-token");
        assert!(!format!("{clip:?}").contains("s3cret"));
        assert!(!format!("{:?}", osc52(&clip.text).unwrap()).contains("czNjcmV0"));
    }
}
