//! Small text helpers shared by the views: masking secrets, times, durations, sizes.

use chrono::{DateTime, Utc};

/// A secret as shown: never its value nor its length. `{{env.NAME}}` references are not secret.
pub fn mask(value: &str) -> String {
    if value.is_empty() {
        "(blank)".to_string()
    } else if crate::template::is_reference(value) {
        value.to_string()
    } else {
        "••••••••".to_string()
    }
}

/// `12m`, `45s`, `3h 05m`, `2d`.
pub fn span(seconds: i64) -> String {
    let s = seconds.abs();
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m", s / 60)
    } else if s < 48 * 3600 {
        format!("{}h {:02}m", s / 3600, (s % 3600) / 60)
    } else {
        format!("{}d", s / 86400)
    }
}

/// "expires in 12m" / "expired 3m ago".
pub fn expiry_phrase(now: DateTime<Utc>, expiry: DateTime<Utc>) -> String {
    let seconds = (expiry - now).num_seconds();
    if seconds > 0 {
        format!("expires in {}", span(seconds))
    } else {
        format!("expired {} ago", span(seconds))
    }
}

pub fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

pub fn date_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

pub fn seconds(s: f64) -> String {
    if s < 1.0 {
        format!("{}ms", (s * 1000.0).round() as u64)
    } else if s < 10.0 {
        format!("{s:.1}s")
    } else {
        span(s as i64)
    }
}

pub fn bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

/// Terminal columns `text` takes: CJK and emoji take two, combining marks none.
pub fn cols(text: &str) -> usize {
    ratatui::text::Span::raw(text).width()
}

fn char_cols(c: char) -> usize {
    cols(c.encode_utf8(&mut [0; 4]))
}

/// Cuts `text` to `width` columns, marking the cut with `…`.
pub fn fit(text: &str, width: usize) -> String {
    if cols(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_cols(c);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` cut or padded with spaces to exactly `width` columns, so the columns after it line up
/// whatever script it is in.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let short = width.saturating_sub(cols(&out));
    out.extend(std::iter::repeat_n(' ', short));
    out
}

/// Breaks text into rows of at most `width` columns, at spaces where it can (a word longer
/// than a row is cut, after a `/` where it can). Used where a value must wrap under its own column.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut rows = Vec::new();
    for paragraph in text.split('\n') {
        let mut row = String::new();
        let mut row_len = 0;
        for word in paragraph.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let word_len = |w: &[char]| w.iter().map(|&c| char_cols(c)).sum::<usize>();
            let gap = usize::from(row_len > 0);
            if row_len + gap + word_len(&word) <= width {
                if gap == 1 {
                    row.push(' ');
                }
                row.extend(word.iter());
                row_len += gap + word_len(&word);
                continue;
            }
            if row_len > 0 {
                rows.push(std::mem::take(&mut row));
            }
            while word_len(&word) > width {
                // As many characters as fill the row (a wide one never straddles its end).
                let mut fits = 0;
                let mut used = 0;
                while fits < word.len() && used + char_cols(word[fits]) <= width {
                    used += char_cols(word[fits]);
                    fits += 1;
                }
                // A URL or path reads best cut just after a `/`, `?` or `&`.
                let cut = word[..fits]
                    .iter()
                    .rposition(|c| matches!(c, '/' | '?' | '&'))
                    .filter(|&at| at > 0)
                    .map_or(fits.max(1), |at| at + 1);
                rows.push(word.drain(..cut).collect());
            }
            row_len = word_len(&word);
            row = word.iter().collect();
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn expiry_reads_both_ways() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        assert_eq!(
            expiry_phrase(now, now + chrono::Duration::minutes(12)),
            "expires in 12m"
        );
        assert_eq!(
            expiry_phrase(now, now - chrono::Duration::minutes(3)),
            "expired 3m ago"
        );
        assert_eq!(mask("s3cret"), "••••••••");
        assert_eq!(mask("{{env.X}}"), "{{env.X}}");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(
            wrap("The local API started by it.", 12),
            ["The local", "API started", "by it."]
        );
        assert_eq!(
            wrap("http://127.0.0.1:8787/api/contacts", 27),
            ["http://127.0.0.1:8787/api/", "contacts"]
        );
        assert_eq!(
            wrap("abcdefghijklmnopqrstuvwxyz", 10),
            ["abcdefghij", "klmnopqrst", "uvwxyz"]
        );
        assert_eq!(wrap("short", 40), ["short"]);
        assert_eq!(wrap("", 40), [""]);
        assert_eq!(wrap("a\nb", 40), ["a", "b"]);
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        assert_eq!(cols("日本"), 4);
        assert_eq!(cols("e\u{301}"), 1);
        assert_eq!(fit("日本語テスト", 7), "日本語…");
        assert_eq!(pad("日本", 6), "日本  ");
        assert_eq!(pad("🚀🚀🚀🚀", 6), "🚀🚀… ");
        assert_eq!(
            wrap("日本語の統合テスト", 8),
            ["日本語の", "統合テス", "ト"]
        );
        assert_eq!(wrap("名前 とても長い", 8), ["名前", "とても長", "い"]);
    }
}
