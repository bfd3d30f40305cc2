//! The history as pictures for a glance: a sparkline of run durations with failures marked, and
//! sizes in words.

/// Durations as bars, `▁` to `█`, the tallest the slowest; a failed run is `×`. The newest
/// `width` runs, oldest first.
pub fn sparkline(runs: &[(u64, bool)], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let runs = &runs[runs.len().saturating_sub(width)..];
    let max = runs.iter().map(|(ms, _)| *ms).max().unwrap_or(0).max(1);
    runs.iter()
        .map(|&(ms, failed)| {
            if failed {
                '×'
            } else {
                BARS[((ms * 7 + max / 2) / max).min(7) as usize]
            }
        })
        .collect()
}

/// `512 MiB`, `3.2 MiB`, `900 KiB`.
pub fn format_bytes(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 100 * 1024 * 1024 {
        format!("{:.0} MiB", bytes as f64 / MIB)
    } else if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_slowest_and_mark_failures() {
        assert_eq!(
            sparkline(&[(10, false), (100, false), (50, true)], 10),
            "▂█×"
        );
        assert_eq!(sparkline(&[], 10), "");
        assert_eq!(sparkline(&[(0, false); 30], 5).chars().count(), 5);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(format_bytes(512 * 1024 * 1024), "512 MiB");
        assert_eq!(format_bytes(3 * 1024 * 1024 + 200 * 1024), "3.2 MiB");
        assert_eq!(format_bytes(900 * 1024), "900 KiB");
    }
}
