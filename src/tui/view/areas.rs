//! The areas of the main screen, by arithmetic. ratatui's `Layout` finds them with a constraint
//! solver: on a first frame (its cache is empty) the four splits of the main screen ran 1.1 M of
//! the 5 M instructions of the whole start on a small workspace. These give the same `Rect`s as
//! the `Layout`s they replace, which the tests check for every size the screen can have.

use ratatui::layout::Rect;

/// A horizontal band of `area`: `height` rows from row `y` (clamped to the area).
fn band(area: Rect, y: u16, height: u16) -> Rect {
    let y = y.min(area.height);
    Rect::new(area.x, area.y + y, area.width, height.min(area.height - y))
}

/// A vertical strip of `area`: columns `from..to` (both within the width).
fn strip(area: Rect, from: u16, to: u16) -> Rect {
    Rect::new(area.x + from, area.y, to - from, area.height)
}

/// Where a percentage of `width` ends, rounded as the solver rounds.
fn at_percent(width: u16, percent: u16) -> u16 {
    ((f64::from(width) * f64::from(percent) / 100.0).round() as u16).min(width)
}

/// Title row, banner (`banner` rows), body, footer row:
/// `[Length(1), Length(banner), Min(0), Length(1)]`.
pub(crate) fn screen(area: Rect, banner: u16) -> [Rect; 4] {
    let title = band(area, 0, 1);
    let banner_rows = banner.min(area.height.saturating_sub(2));
    let banner = band(area, 1, banner_rows);
    let body_rows = area.height.saturating_sub(2 + banner_rows);
    let body = band(area, 1 + banner_rows, body_rows);
    let footer = band(area, 1 + banner_rows + body_rows, 1);
    [title, banner, body, footer]
}

/// The top (`top` rows) and bottom of the body: `[Length(top), Min(0)]`.
pub(crate) fn top_and_bottom(body: Rect, top: u16) -> [Rect; 2] {
    let top = top.min(body.height);
    [band(body, 0, top), band(body, top, body.height - top)]
}

/// Integrations, Credentials, Payloads: `[Percentage(28), Percentage(36), Percentage(36)]`.
pub(crate) fn three_lists(top: Rect) -> [Rect; 3] {
    let first = at_percent(top.width, 28);
    let second = at_percent(top.width, 64).max(first);
    [
        strip(top, 0, first),
        strip(top, first, second),
        strip(top, second, top.width),
    ]
}

/// Jobs and the detail: `[Percentage(46), Percentage(54)]`.
pub(crate) fn jobs_and_detail(bottom: Rect) -> [Rect; 2] {
    let split = at_percent(bottom.width, 46);
    [strip(bottom, 0, split), strip(bottom, split, bottom.width)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::{Constraint, Layout};

    // Every height and width up to these (the solver is slow in a debug build: about 2 ms a
    // layout); the rounding of percentages repeats every 25 or 50 columns.

    #[test]
    fn the_screen_bands_are_the_layouts() {
        for height in 24..=120 {
            let area = Rect::new(0, 0, 100, height);
            for banner in [0, 1, 4, 9, height / 3] {
                let solved: [Rect; 4] = Layout::vertical([
                    Constraint::Length(1),
                    Constraint::Length(banner),
                    Constraint::Min(0),
                    Constraint::Length(1),
                ])
                .areas(area);
                assert_eq!(
                    screen(area, banner),
                    solved,
                    "height {height}, banner {banner}"
                );
            }
        }
    }

    #[test]
    fn the_body_halves_are_the_layouts() {
        for height in 0..=120 {
            let body = Rect::new(0, 3, 100, height);
            for top in [0, 9, height * 2 / 5, (height * 2 / 5).max(9), height + 5] {
                let solved: [Rect; 2] =
                    Layout::vertical([Constraint::Length(top), Constraint::Min(0)]).areas(body);
                assert_eq!(
                    top_and_bottom(body, top),
                    solved,
                    "height {height}, top {top}"
                );
            }
        }
    }

    #[test]
    fn the_pane_columns_are_the_layouts() {
        for width in 0..=300 {
            let area = Rect::new(0, 2, width, 10);
            let solved: [Rect; 3] = Layout::horizontal([
                Constraint::Percentage(28),
                Constraint::Percentage(36),
                Constraint::Percentage(36),
            ])
            .areas(area);
            assert_eq!(three_lists(area), solved, "width {width}");
            let solved: [Rect; 2] =
                Layout::horizontal([Constraint::Percentage(46), Constraint::Percentage(54)])
                    .areas(area);
            assert_eq!(jobs_and_detail(area), solved, "width {width}");
        }
    }
}
