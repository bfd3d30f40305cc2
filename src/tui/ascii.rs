//! Plain terminals: `TERM=dumb`, `vt100`, `linux`, a locale that is not UTF-8, or
//! `PAYLOADS_ASCII=1` get ASCII only. The views draw as usual; the finished frame is then turned
//! into ASCII in one pass, so no border, symbol or record name can slip a byte through that the
//! terminal cannot show. (The theme uses the 16 basic colours only, so no 256-colour code is
//! ever sent.)

use ratatui::buffer::Buffer;

/// Whether the environment asks for ASCII (read once at start-up).
pub fn wanted() -> bool {
    wanted_from(|name| std::env::var(name).ok())
}

/// `wanted` over any environment, for tests.
pub fn wanted_from(env: impl Fn(&str) -> Option<String>) -> bool {
    match env("PAYLOADS_ASCII").as_deref() {
        Some("1") => return true,
        Some("0") => return false,
        _ => {}
    }
    let plain_terminal = env("TERM").is_some_and(|term| {
        matches!(
            term.as_str(),
            "dumb" | "vt52" | "vt100" | "vt102" | "vt220" | "linux" | "ansi"
        )
    });
    // The locale that decides the character set: the first of these that is set. None set is
    // taken as UTF-8, as terminals today are (a bare `env -i` shell has none).
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| env(name).filter(|v| !v.is_empty()));
    let not_utf8 = locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        !(l.contains("utf-8") || l.contains("utf8"))
    });
    plain_terminal || not_utf8
}

/// Every cell of the frame in ASCII: box drawing as `-`, `|` and `+`, symbols as their nearest
/// ASCII letter, anything else as `?`.
pub fn downgrade(buffer: &mut Buffer) {
    for cell in buffer.content.iter_mut() {
        let symbol = cell.symbol();
        if symbol.is_ascii() {
            continue;
        }
        let mut chars = symbol.chars();
        let plain = match (chars.next(), chars.next()) {
            (Some(c), None) => to_ascii(c),
            _ => '?',
        };
        cell.set_char(plain);
    }
}

fn to_ascii(c: char) -> char {
    match c {
        '─' | '━' | '═' | '╌' | '╍' | '┄' | '┅' | '╴' | '╶' | '╸' | '╺' => {
            '-'
        }
        '│' | '┃' | '║' | '╎' | '╏' | '┆' | '┇' | '╵' | '╷' | '╹' | '╻' | '▏' => {
            '|'
        }
        '\u{2500}'..='\u{257f}' => '+',
        '▶' | '›' | '→' | '»' => '>',
        '←' | '‹' | '«' => '<',
        '↑' => '^',
        '↓' => 'v',
        '✓' | '✔' => '+',
        '✗' | '✘' => 'x',
        '⊘' => '-',
        '…' | '·' => '.',
        '•' | '●' => '*',
        // The running spinner.
        '\u{2800}'..='\u{28ff}' => '*',
        '‘' | '’' => '\'',
        '“' | '”' => '"',
        '\u{a0}' => ' ',
        _ => '?',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn plain_terminals_and_other_locales_get_ascii() {
        assert!(wanted_from(env(&[("TERM", "dumb")])));
        assert!(wanted_from(env(&[
            ("TERM", "vt100"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(wanted_from(env(&[("TERM", "linux")])));
        assert!(wanted_from(env(&[("TERM", "xterm"), ("LANG", "C")])));
        assert!(wanted_from(env(&[
            ("LANG", "en_US.UTF-8"),
            ("LC_ALL", "POSIX")
        ])));
        assert!(wanted_from(env(&[("LC_CTYPE", "de_DE.ISO-8859-1")])));
        assert!(wanted_from(env(&[
            ("TERM", "xterm"),
            ("PAYLOADS_ASCII", "1")
        ])));
        assert!(!wanted_from(env(&[
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8")
        ])));
        assert!(!wanted_from(env(&[("TERM", "tmux-256color")])));
        assert!(!wanted_from(env(&[
            ("TERM", "dumb"),
            ("PAYLOADS_ASCII", "0")
        ])));
    }

    #[test]
    fn every_cell_ends_up_ascii() {
        let mut buffer = Buffer::empty(ratatui::layout::Rect::new(0, 0, 12, 1));
        buffer.set_string(0, 0, "┏━▶✓ 日本…•⠋", ratatui::style::Style::default());
        downgrade(&mut buffer);
        let text: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert!(text.is_ascii(), "{text}");
        assert!(text.starts_with("+->+ ?"), "{text}");
    }
}
