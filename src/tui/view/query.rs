//! The JSONPath query line of a Job's detail: the path being typed, how many values it matches
//! and the first of them, or why the path is not valid; then the name it is kept under.

use super::overlays::{hint_line, window};
use crate::tui::app::App;
use crate::tui::keys::Context;
use crate::tui::query::{Matches, QueryLine};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::text::{Line, Span};

/// Rows of matches listed at most (the window stays clear of the screen's edges).
const ROWS: usize = 10;

pub fn render(app: &App, frame: &mut Frame, line: &QueryLine) {
    let theme = Theme::new(app.colour);
    let naming = line.naming.is_some();
    let cursor = |on: bool| if on { "▏" } else { "" };
    let path = crate::jobs::render::printable(&line.path);
    let mut lines = vec![Line::from(vec![
        Span::styled("JSONPath  ", theme.label()),
        Span::raw(format!("{path}{}", cursor(!naming))),
    ])];
    match line.matches() {
        Matches::Empty => lines.push(Line::styled("type a path, e.g. $.items[*].id", theme.dim())),
        Matches::Invalid(why) => lines.push(Line::styled(format!("✗ {why}"), theme.error())),
        Matches::Found { count, values } => {
            lines.push(Line::styled(
                match count {
                    0 => "no match".to_string(),
                    1 => "1 match".to_string(),
                    n => format!("{n} matches"),
                },
                theme.heading(),
            ));
            let room = ROWS.min(values.len());
            for value in values.iter().take(room) {
                lines.push(Line::raw(format!("  {value}")));
            }
            if count > room {
                lines.push(Line::styled(
                    format!("  … and {} more", count - room),
                    theme.dim(),
                ));
            }
        }
    }
    lines.push(Line::raw(""));
    if let Some(name) = &line.naming {
        lines.push(Line::from(vec![
            Span::styled(format!("Add to {} as  ", line.payload), theme.label()),
            Span::raw(format!(
                "{}{}",
                crate::jobs::render::printable(name),
                cursor(true)
            )),
        ]));
    }
    if let Some(why) = &line.refused {
        lines.push(Line::styled(format!("✗ {why}"), theme.error()));
    }
    let context = if naming {
        Context::QueryName
    } else {
        Context::Query
    };
    lines.push(hint_line(&theme, context));
    let title = format!("Query the body of {}", line.job_id);
    window(app, frame, &title, lines, 76, false, None);
}
