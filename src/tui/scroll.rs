//! Scroll state of every scrollable view (record detail, Job detail, help) and the list offset of
//! every pane, as the last draw left them. `update` never measures the layout: the view writes the
//! rows it drew and the rows that fit, and a scroll key moves within those.

use std::cell::Cell;

/// One scroll step, whatever the view: the keymap binds keys to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
}

impl Scroll {
    /// The new position from `at`, with `page` rows a page, before clamping.
    fn from(self, at: usize, page: usize) -> usize {
        match self {
            Scroll::Down => at.saturating_add(1),
            Scroll::Up => at.saturating_sub(1),
            Scroll::PageDown => at.saturating_add(page),
            Scroll::PageUp => at.saturating_sub(page),
            Scroll::Top => 0,
            Scroll::Bottom => usize::MAX,
        }
    }
}

/// The rows a page moves when no draw has said how many fit yet.
const DEFAULT_PAGE: usize = 10;

/// The top row of a scrolled view, and what the last draw measured: how many rows the content
/// took at the drawn width and how many were visible. Cells, because the view (which only reads
/// the App) is the one that knows the layout.
#[derive(Debug, Clone, Default)]
pub struct ScrollState {
    top: Cell<usize>,
    /// `(rows, visible)` of the last draw; None before the first.
    drawn: Cell<Option<(usize, usize)>>,
}

impl ScrollState {
    /// A state scrolled to `top` (clamped at the next draw).
    pub fn at(top: usize) -> ScrollState {
        ScrollState {
            top: Cell::new(top),
            drawn: Cell::new(None),
        }
    }

    /// The first row shown.
    pub fn top(&self) -> usize {
        self.top.get()
    }

    /// The furthest `top` can go, as of the last draw.
    pub fn max(&self) -> Option<usize> {
        self.drawn
            .get()
            .map(|(rows, visible)| rows.saturating_sub(visible))
    }

    /// Rows visible at the last draw.
    pub fn visible(&self) -> Option<usize> {
        self.drawn.get().map(|(_, visible)| visible)
    }

    pub fn scroll(&mut self, step: Scroll) {
        let page = self.visible().unwrap_or(DEFAULT_PAGE).max(1);
        let next = step.from(self.top.get(), page);
        // Before the first draw nothing is known: the draw clamps.
        self.top.set(self.max().map_or(next, |max| next.min(max)));
    }

    /// Scrolls so `row` is the top row (or as near as the end allows).
    pub fn show(&mut self, row: usize) {
        self.top.set(self.max().map_or(row, |max| row.min(max)));
    }

    /// Called by the view: `rows` of content, `visible` of them fit. Returns the top row to draw
    /// from, clamped so the last page is full.
    pub fn fit(&self, rows: usize, visible: usize) -> usize {
        self.drawn.set(Some((rows, visible)));
        let top = self.top.get().min(rows.saturating_sub(visible));
        self.top.set(top);
        top
    }

    /// Whether the last row was on screen at the last draw.
    pub fn at_end(&self) -> bool {
        self.max().is_some_and(|max| self.top.get() >= max)
    }
}

/// Two states are the same scroll position; what was measured does not matter.
impl PartialEq for ScrollState {
    fn eq(&self, other: &ScrollState) -> bool {
        self.top.get() == other.top.get()
    }
}

impl Eq for ScrollState {}

/// A list pane's window as the last draw left it: kept so a list does not jump when the
/// selection moves back up, and so a page is the rows that fit.
#[derive(Debug, Clone, Default)]
pub struct ListView {
    pub offset: Cell<usize>,
    pub visible: Cell<usize>,
}

impl ListView {
    /// The rows a page moves in this list.
    pub fn page(&self) -> usize {
        match self.visible.get() {
            0 => DEFAULT_PAGE,
            n => n,
        }
    }
}

/// Moves a list selection `at` of `len` rows one step, stopping at either end.
pub fn step_in_list(at: usize, len: usize, step: Scroll, page: usize) -> usize {
    step.from(at, page).min(len.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_stays_within_what_was_drawn() {
        let mut s = ScrollState::default();
        s.scroll(Scroll::Bottom);
        // Not drawn yet: the draw clamps.
        assert_eq!(s.fit(30, 10), 20);
        assert!(s.at_end());
        s.scroll(Scroll::Down);
        assert_eq!(s.top(), 20);
        s.scroll(Scroll::PageUp);
        assert_eq!(s.top(), 10);
        s.scroll(Scroll::Top);
        assert_eq!(s.top(), 0);
        s.scroll(Scroll::Up);
        assert_eq!(s.top(), 0);
        assert_eq!(step_in_list(3, 5, Scroll::PageDown, 10), 4);
        assert_eq!(step_in_list(3, 5, Scroll::PageUp, 10), 0);
    }
}
