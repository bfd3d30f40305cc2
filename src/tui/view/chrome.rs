//! The title bar (workspace, save state, running Jobs, the last note) and the footer of keys.

use crate::tui::app::App;
use crate::tui::keys;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn render_title(app: &App, frame: &mut Frame, area: Rect) {
    let theme = Theme::new(app.colour);
    let running = app.jobs.iter().filter(|j| !j.status.is_finished()).count();
    let mut left = vec![
        Span::styled(
            " Payloads ",
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        ),
        Span::raw(format!(" {}", app.workspace_label)),
    ];
    if app.pending_saves > 0 {
        left.push(Span::styled("  saving…", theme.dim()));
    }
    if running > 0 {
        left.push(Span::styled(
            format!("  {running} running"),
            theme.status(crate::jobs::JobStatus::Running),
        ));
    }
    let left = Line::from(left);
    // The note takes what the left side leaves (a copy's byte count must fit at 80 columns).
    let used = left.width() + 2;
    frame.render_widget(Paragraph::new(left), area);
    if let Some(note) = &app.note {
        let room = (area.width as usize).saturating_sub(used);
        let note = super::format::fit(note, room);
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{note} "), theme.dim()))
                .alignment(Alignment::Right),
            area,
        );
    }
}

/// Rows the broken-file banner takes: none while the file loads; at most a third of the screen.
pub fn banner_height(app: &App, area: Rect) -> u16 {
    let Some(broken) = &app.broken else {
        return 0;
    };
    let inner_width = area.width.saturating_sub(2).max(1) as usize;
    let wrapped: usize = std::iter::once(banner_intro(broken.first_line))
        .chain(broken.errors.iter().cloned())
        .map(|e| e.chars().count().max(1).div_ceil(inner_width))
        .sum();
    let max = (area.height / 3).max(4);
    (wrapped as u16 + 2).min(max)
}

fn banner_intro(first_line: Option<usize>) -> String {
    let at = first_line
        .map(|l| format!(" at line {l}"))
        .unwrap_or_default();
    format!("Showing the last good state. Fix the file, or E opens it{at}.")
}

/// The file on disk does not load: what is wrong, where, and that nothing will be saved.
pub fn render_banner(app: &App, frame: &mut Frame, area: Rect) {
    let Some(broken) = &app.broken else {
        return;
    };
    if area.height == 0 {
        return;
    }
    let theme = Theme::new(app.colour);
    let title = format!(
        " ✗ {} does not load: read-only, nothing is saved ",
        app.workspace_label
    );
    let mut lines = vec![Line::raw(banner_intro(broken.first_line))];
    lines.extend(
        broken
            .errors
            .iter()
            .map(|e| Line::styled(e.clone(), theme.error())),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(Span::styled(title, theme.error()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The keys that work here, as many as fit, with `? help` always last.
pub fn render_footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = Theme::new(app.colour);
    // In a form or the filter, `?` is a character like any other.
    let typing =
        app.filter_editing || matches!(app.top_overlay(), Some(crate::tui::app::Overlay::Form(_)));
    let help = if typing { ("", "") } else { ("?", "help") };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1 + help.0.len() + help.1.len() + 2;
    for (key, what) in keys::footer(app) {
        let cost = key.chars().count() + what.chars().count() + 3;
        if used + cost > area.width as usize {
            break;
        }
        used += cost;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    spans.push(Span::styled(help.0, theme.key()));
    spans.push(Span::raw(format!(" {}", help.1)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
