//! The four list panes and the detail pane of the main screen.

use super::format::{clock, cols, fit, pad, seconds};
use super::record_detail;
use crate::jobs::pictures::format_bytes;
use crate::tui::app::{App, Pane};
use crate::tui::scroll::ScrollState;
use crate::tui::theme::{Theme, status_symbol};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

/// The frame of a pane: thick border and a `▶` before the title when focused, so focus shows
/// without colour.
pub fn pane_block(app: &App, title: String, focused: bool) -> Block<'static> {
    let theme = Theme::new(app.colour);
    let marker = if focused { "▶ " } else { "" };
    Block::default()
        .borders(Borders::ALL)
        .border_type(theme.border_type(focused))
        .border_style(theme.border(focused))
        .title(Span::styled(
            format!(" {marker}{title} "),
            theme.title(focused),
        ))
}

fn list_title(app: &App, pane: Pane, count: usize, width: u16) -> String {
    let filter = &app.filters[pane.index()];
    let mut title = format!("{} ({count})", pane.title());
    if let Some(i) = app
        .current_integration()
        .filter(|_| pane != Pane::Integrations)
    {
        let who = if i.name.trim().is_empty() {
            i.id.as_str()
        } else {
            i.name.as_str()
        };
        let narrowed = format!("{} of {who} ({count})", pane.title());
        // Room for the borders, the focus marker and a filter.
        if cols(&narrowed) + 8 <= width as usize {
            title = narrowed;
        }
    }
    if pane == Pane::Jobs
        && let Some((size, limits)) = app.jobs_data.size
    {
        // How much history there is and how much is kept, where the title has room.
        let short = format!("{title} · {}/{}", size.jobs, limits.max_jobs);
        let kept = format!(
            "{short} · {}/{}",
            format_bytes(size.bytes),
            format_bytes(limits.max_bytes)
        );
        if cols(&kept) + 8 <= width as usize {
            title = kept;
        } else if cols(&short) + 8 <= width as usize {
            title = short;
        }
    }
    if !filter.is_empty() || (app.filter_editing && app.focus == pane) {
        let cursor = if app.filter_editing && app.focus == pane {
            "▏"
        } else {
            ""
        };
        title.push_str(&format!(" /{filter}{cursor}"));
    }
    title
}

pub fn render_list_pane(app: &App, frame: &mut Frame, area: Rect, pane: Pane) {
    let theme = Theme::new(app.colour);
    let focused = app.focus == pane && app.overlays.is_empty();
    let width = area.width.saturating_sub(4) as usize;
    // Only the rows in the window are built: a pane of 1,000 Payloads costs 38 rows a frame.
    let view = &app.lists[pane.index()];
    let selected = app.selected_index(pane);
    let window = |count: usize| {
        list_window(
            count,
            selected,
            view.offset.get(),
            area.height.saturating_sub(2) as usize,
        )
    };
    let shown: std::ops::Range<usize>;
    let count: usize;
    let (items, empty): (Vec<ListItem>, &str) = match pane {
        Pane::Integrations => (
            {
                let all = app.visible_integrations();
                (count, shown) = (all.len(), window(all.len()));
                all[shown.clone()]
                    .iter()
                    .map(|i| ListItem::new(fit(&i.name, width)))
                    .collect()
            },
            "none yet: n creates one",
        ),
        Pane::Credentials => (
            {
                let all = app.visible_credentials();
                (count, shown) = (all.len(), window(all.len()));
                all[shown.clone()]
                    .iter()
                    .map(|c| {
                        let kind = short_type(&c.auth);
                        let name_width = width.saturating_sub(kind.len() + 1);
                        ListItem::new(Line::from(vec![
                            Span::raw(format!("{} ", pad(&c.name, name_width))),
                            Span::styled(kind, theme.dim()),
                        ]))
                    })
                    .collect()
            },
            if app.current_integration().is_some() {
                "none yet: n creates one"
            } else {
                "choose an Integration"
            },
        ),
        Pane::Payloads => {
            let payloads = app.visible_payloads();
            let method_width = payloads
                .iter()
                .map(|p| p.method.as_str().len())
                .max()
                .unwrap_or(3);
            (count, shown) = (payloads.len(), window(payloads.len()));
            (
                payloads[shown.clone()]
                    .iter()
                    .map(|p| {
                        let method = p.method.as_str();
                        let name_width = width.saturating_sub(method_width + 1);
                        ListItem::new(Line::from(vec![
                            Span::styled(format!("{method:<method_width$} "), theme.dim()),
                            Span::raw(fit(&p.name, name_width)),
                        ]))
                    })
                    .collect(),
                if app.current_integration().is_some() {
                    "none yet: n creates one"
                } else {
                    "choose an Integration"
                },
            )
        }
        Pane::Jobs => (
            {
                let all = app.job_rows();
                (count, shown) = (all.len(), window(all.len()));
                all[shown.clone()]
                    .iter()
                    .map(|row| {
                        let job = row.job;
                        let indent = if row.nested { " └ " } else { "" };
                        let elapsed = app.elapsed(job).map(seconds).unwrap_or_default();
                        let status = job.status.label();
                        let with_time = width >= 50;
                        let time = if with_time {
                            format!("{} ", clock(job.created_at))
                        } else {
                            String::new()
                        };
                        let fixed = indent.chars().count() + 2 + time.len() + 10 + 7;
                        let name_width = width.saturating_sub(fixed).max(6);
                        // `!`: it succeeded, but some expected response values were not found.
                        let (symbol, symbol_style) = if job.status
                            == crate::jobs::JobStatus::Succeeded
                            && job.missing_note().is_some()
                        {
                            ("!", theme.heading())
                        } else {
                            (
                                status_symbol(job.status, app.spinner),
                                theme.status(job.status),
                            )
                        };
                        ListItem::new(Line::from(vec![
                            Span::raw(indent),
                            Span::styled(format!("{symbol} "), symbol_style),
                            Span::styled(time, theme.dim()),
                            Span::raw(pad(&job.payload, name_width)),
                            Span::styled(format!(" {status:<9}"), theme.status(job.status)),
                            Span::raw(format!("{elapsed:>6}")),
                        ]))
                    })
                    .collect()
            },
            "no runs yet: r runs a Payload",
        ),
    };
    let block = pane_block(app, list_title(app, pane, count, area.width), focused);
    if items.is_empty() {
        let filter = &app.filters[pane.index()];
        let no_match;
        let empty = if filter.is_empty() {
            empty
        } else {
            no_match = format!("nothing matches /{filter}: Esc clears it");
            &no_match
        };
        // Wrapped: a narrow pane still shows the whole hint.
        let text = Paragraph::new(Line::styled(format!(" {empty}"), theme.dim()))
            .wrap(Wrap { trim: false })
            .block(block);
        frame.render_widget(text, area);
        return;
    }
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.selected(focused))
        .highlight_symbol(if focused { "▶ " } else { "› " });
    // The window stays where the last draw left it, so moving up a long list does not jump.
    let mut state = ListState::default()
        .with_offset(0)
        .with_selected(selected.map(|s| s.saturating_sub(shown.start)));
    frame.render_stateful_widget(list, area, &mut state);
    view.offset.set(shown.start);
    view.visible.set(area.height.saturating_sub(2) as usize);
}

/// The rows of a list of `count` one-line rows that a pane `height` rows high shows, the first
/// being where ratatui's `List` would start: the last draw's `offset`, moved just enough to show
/// the `selected` row.
fn list_window(
    count: usize,
    selected: Option<usize>,
    offset: usize,
    height: usize,
) -> std::ops::Range<usize> {
    let height = height.max(1);
    let mut first = offset.min(count.saturating_sub(1));
    if let Some(selected) = selected.filter(|&s| s < count) {
        if selected >= first + height {
            first = selected + 1 - height;
        } else if selected < first {
            first = selected;
        }
    }
    first..(first + height).min(count)
}

/// The Credential type in a few letters, so names keep the room in narrow panes.
fn short_type(auth: &crate::workspace::CredentialAuth) -> &'static str {
    auth.short_name()
}

pub fn render_detail_pane(app: &App, frame: &mut Frame, area: Rect) {
    let title = detail_title(app, area.width);
    if app.focus == Pane::Jobs
        && let Some(job) = app.selected_job()
    {
        // The Job's rows come from the cache: a 1 MiB body is not cut again on every frame.
        let block = pane_block(app, title, false);
        let rows = super::rows::job_rows(app, job, block.inner(area).width as usize);
        super::rows::render(frame, area, block, &rows, &ScrollState::default(), None);
        return;
    }
    let block = pane_block(app, title, false);
    // The pane does not scroll: only its first rows of lines are ever seen.
    let shown = block.inner(area).height as usize;
    let lines = record_detail::lines(app, app.focus, area.width, shown);
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(paragraph, area);
}

/// The detail's title, cut with `…` to fit a frame `width` wide (borders, spaces and the focus
/// marker take 6).
pub fn detail_title(app: &App, width: u16) -> String {
    fit(&detail_title_whole(app), (width as usize).saturating_sub(6))
}

fn detail_title_whole(app: &App) -> String {
    let id = app.selected_id(app.focus);
    // Records by their name, the id after it; a Job has only its id.
    match (app.focus.record_kind(), id) {
        (Some(kind), Some(id)) => format!(
            "{} {}",
            kind.label(),
            crate::tui::edits::named_record(&app.workspace, kind, &id)
        ),
        (None, Some(id)) => format!("Job {id}"),
        _ => "Detail".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::list_window;
    use proptest::prelude::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::{List, ListState, StatefulWidget};

    /// ratatui's `List` over all `count` rows, from `offset` with `selected`: what it draws and
    /// where it leaves the offset.
    fn whole(count: usize, selected: Option<usize>, offset: usize, area: Rect) -> (Buffer, usize) {
        let rows: Vec<String> = (0..count).map(|i| format!("row {i}")).collect();
        let mut buffer = Buffer::empty(area);
        let mut state = ListState::default()
            .with_offset(offset)
            .with_selected(selected);
        List::new(rows)
            .highlight_symbol("> ")
            .render(area, &mut buffer, &mut state);
        (buffer, state.offset())
    }

    proptest! {
        /// Drawing only the window's rows draws exactly what the whole list draws, and the
        /// window starts where ratatui would have moved the offset.
        #[test]
        fn the_window_draws_what_the_whole_list_draws(
            count in 0usize..60,
            selected in proptest::option::of(0usize..60),
            offset in 0usize..70,
            height in 1u16..20,
        ) {
            let selected = selected.filter(|&s| s < count);
            let area = Rect::new(0, 0, 12, height);
            let (expected, expected_offset) = whole(count, selected, offset, area);
            let shown = list_window(count, selected, offset, height as usize);
            let rows: Vec<String> = shown.clone().map(|i| format!("row {i}")).collect();
            let mut buffer = Buffer::empty(area);
            let mut state = ListState::default()
                .with_offset(0)
                .with_selected(selected.map(|s| s - shown.start));
            List::new(rows)
                .highlight_symbol("> ")
                .render(area, &mut buffer, &mut state);
            prop_assert_eq!(buffer, expected);
            if count > 0 {
                prop_assert_eq!(shown.start, expected_offset);
            }
        }
    }
}
