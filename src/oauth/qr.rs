//! A QR code of a URL drawn with Unicode half blocks, two modules to a character cell, so a phone
//! can scan a device login's verification URL off an SSH session's terminal.

use qrcode::{Color, QrCode};

/// Light modules around the code; scanners want some, and 2 keeps it small on a terminal.
const QUIET: usize = 2;

/// The code's rows as text: `█` where both modules of a cell are light, `▀` / `▄` where only the
/// upper / lower one is, a space where both are dark. Drawn light-on-dark (set the colours when
/// showing it), a scanner reads it as the usual dark-on-light code. `None` when `text` is too
/// long for a QR code.
pub fn half_block_lines(text: &str) -> Option<Vec<String>> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let light = |x: usize, y: usize| -> bool {
        if x < QUIET || y < QUIET || x >= width + QUIET || y >= width + QUIET {
            return true;
        }
        colors[(y - QUIET) * width + (x - QUIET)] == Color::Light
    };
    let mut lines = Vec::with_capacity(size.div_ceil(2));
    for row in (0..size).step_by(2) {
        let line = (0..size)
            .map(|x| {
                let upper = light(x, row);
                let lower = row + 1 >= size || light(x, row + 1);
                match (upper, lower) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                }
            })
            .collect();
        lines.push(line);
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_makes_a_square_of_half_block_rows() {
        let lines = half_block_lines("http://127.0.0.1:8787/device?user_code=BCDF-GHJK").unwrap();
        let width = lines[0].chars().count();
        // Two modules a row: half as many rows as columns, rounded up.
        assert_eq!(lines.len(), width.div_ceil(2));
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // The quiet zone is light all round.
        assert!(lines[0].chars().all(|c| c == '█'));
        assert!(lines.iter().all(|l| l.starts_with("██")));
        // A QR code is 21 + 4 × (version - 1) modules wide, plus the quiet zone.
        assert_eq!((width - 2 * QUIET - 21) % 4, 0, "{width}");
    }
}
