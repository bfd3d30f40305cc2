//! The title bar (workspace, save state, running Jobs, the last note) and the footer of keys.

use crate::tui::app::App;
use crate::tui::keys;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

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
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    if let Some(note) = &app.note {
        let used: usize = 12 + app.workspace_label.chars().count() + 24;
        let room = (area.width as usize).saturating_sub(used);
        let note = super::format::fit(note, room);
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{note} "), theme.dim()))
                .alignment(Alignment::Right),
            area,
        );
    }
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
