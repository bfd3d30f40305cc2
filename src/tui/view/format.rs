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

/// Cuts `text` to `width` characters, marking the cut with `…`.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

/// Breaks text into rows of at most `width` characters, at spaces where it can (a word longer
/// than a row is cut, after a `/` where it can). Used where a value must wrap under its own column.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for paragraph in text.split('\n') {
        let mut row = String::new();
        let mut row_len = 0;
        for word in paragraph.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let gap = usize::from(row_len > 0);
            if row_len + gap + word.len() <= width {
                if gap == 1 {
                    row.push(' ');
                }
                row.extend(word.iter());
                row_len += gap + word.len();
                continue;
            }
            if row_len > 0 {
                rows.push(std::mem::take(&mut row));
            }
            while word.len() > width {
                // A URL or path reads best cut just after a `/`, `?` or `&`.
                let cut = word[..width]
                    .iter()
                    .rposition(|c| matches!(c, '/' | '?' | '&'))
                    .filter(|&at| at > 0)
                    .map_or(width, |at| at + 1);
                rows.push(word.drain(..cut).collect());
            }
            row = word.iter().collect();
            row_len = word.len();
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
}
