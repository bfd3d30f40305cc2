//! Long views (record detail, Job detail) as rows: lines cut to the width once, so the number of
//! rows is known exactly (the scroll state's end is the real end) and a frame draws only the
//! rows on screen, however long a body is.

use crate::jobs::{Job, JobId};
use crate::tui::app::App;
use crate::tui::scroll::ScrollState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::sync::Arc;

/// Lines cut into rows of at most `width` columns: after the last space that fits, else within
/// the word (a token or a one-line body has no space to break at).
pub fn wrap(lines: &[Line<'static>], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            rows.push(line.clone());
        } else {
            wrap_line(line, width, &mut rows);
        }
    }
    rows
}

fn wrap_line(line: &Line<'static>, width: usize, rows: &mut Vec<Line<'static>>) {
    // Each character with its width and style; a long line is cut once, so this is paid once.
    let cells: Vec<(char, usize, Style)> = line
        .spans
        .iter()
        .flat_map(|span| {
            let style = line.style.patch(span.style);
            span.content.chars().map(move |c| (c, char_width(c), style))
        })
        .collect();
    let mut start = 0;
    while start < cells.len() {
        let mut used = 0;
        let mut end = start;
        let mut after_space = None;
        while end < cells.len() && used + cells[end].1 <= width {
            used += cells[end].1;
            if cells[end].0 == ' ' {
                after_space = Some(end + 1);
            }
            end += 1;
        }
        if end < cells.len()
            && cells[end].0 != ' '
            && let Some(at) = after_space.filter(|&at| at > start)
        {
            end = at;
        }
        // A character wider than the row still moves on.
        let end = end.max(start + 1);
        rows.push(row(&cells[start..end]));
        start = end;
    }
}

/// Consecutive characters of one style become one span.
fn row(cells: &[(char, usize, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = cells.first().map(|c| c.2).unwrap_or_default();
    for &(c, _, s) in cells {
        if s != style {
            spans.push(Span::styled(std::mem::take(&mut text), style));
            style = s;
        }
        text.push(c);
    }
    spans.push(Span::styled(text, style));
    Line::from(spans)
}

fn char_width(c: char) -> usize {
    let mut buffer = [0; 4];
    let text: &str = c.encode_utf8(&mut buffer);
    Span::raw(text).width()
}

/// A finished Job's detail, cut to a width: kept between frames, so a key press or a tick with a
/// 1 MiB body open costs the rows on screen, not the body.
#[derive(Debug, Clone)]
pub struct CachedRows {
    key: RowsKey,
    pub rows: Arc<Vec<Line<'static>>>,
}

/// What the rows of a Job detail depend on besides the Job's id, which only changes while it runs
/// (and the linked Job's status, which the detail names).
#[derive(Debug, Clone, PartialEq, Eq)]
struct RowsKey {
    job_id: JobId,
    width: usize,
    linked_status: Option<&'static str>,
    colour: bool,
}

/// The rows of a Job's detail at `width`, from the cache when the Job has finished.
pub fn job_rows(app: &App, job: &Job, width: usize) -> Arc<Vec<Line<'static>>> {
    if !job.status.is_finished() {
        // A running Job's lines change with every tick (spinner, elapsed time) and are short.
        return Arc::new(wrap(&super::job_detail::lines(job, app), width));
    }
    let key = RowsKey {
        job_id: job.id.clone(),
        width,
        linked_status: job
            .linked_job
            .as_deref()
            .and_then(|l| app.job(l))
            .map(|l| l.status.label()),
        colour: app.colour,
    };
    let mut cache = app.detail_rows.borrow_mut();
    if let Some(cached) = cache.iter().find(|c| c.key == key) {
        return Arc::clone(&cached.rows);
    }
    let rows = Arc::new(wrap(&super::job_detail::lines(job, app), width));
    // Two widths are kept: the detail pane's and the full screen's, so Enter and Esc on a Job
    // with a big body both find theirs.
    if cache.len() >= CACHED {
        cache.remove(0);
    }
    cache.push(CachedRows {
        key,
        rows: Arc::clone(&rows),
    });
    rows
}

/// How many cut Job details the App keeps.
const CACHED: usize = 2;

/// The rows the last draw of a Job detail cached, if they are of this Job.
pub fn cached_job_rows(app: &App, job_id: &JobId) -> Option<Arc<Vec<Line<'static>>>> {
    let width = app.size.0.saturating_sub(2) as usize;
    let cache = app.detail_rows.borrow();
    // The full screen's rows when kept (the Job detail's width), else any of this Job.
    cache
        .iter()
        .rev()
        .filter(|c| &c.key.job_id == job_id)
        .max_by_key(|c| c.key.width == width)
        .map(|c| Arc::clone(&c.rows))
}

/// Draws the rows that fit inside `block` at `area`, from the scroll state's top, and records
/// in the state how many rows there are and how many fit.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    rows: &[Line<'static>],
    scroll: &ScrollState,
    mark: Option<(&str, Style)>,
) {
    let inner = block.inner(area);
    let visible = inner.height as usize;
    let top = scroll.fit(rows.len(), visible);
    let shown: Vec<Line<'static>> = rows
        .iter()
        .skip(top)
        .take(visible)
        .map(|row| match mark {
            Some((query, style)) => crate::tui::find::highlight(row, query, style),
            None => row.clone(),
        })
        .collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(rows: &[Line<'static>]) -> Vec<String> {
        rows.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn lines_break_after_a_space_or_within_a_long_word() {
        let rows = wrap(&[Line::raw("one two three"), Line::raw("abcdefghij")], 8);
        assert_eq!(texts(&rows), ["one two ", "three", "abcdefgh", "ij"]);
        // Wide characters never straddle a row.
        let rows = wrap(&[Line::raw("日本語日本語")], 5);
        assert!(rows.iter().all(|r| r.width() <= 5), "{:?}", texts(&rows));
        assert_eq!(texts(&rows).concat(), "日本語日本語");
    }
}
