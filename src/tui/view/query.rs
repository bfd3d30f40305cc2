//! The JSONPath query line of a Job's detail: the path being typed, how many values it matches
//! and the first of them, or why the path is not valid; then the name it is kept under and
//! where it is written too (a Data Target), names first and ids after.

use super::overlays::{hint_line, window};
use crate::tui::app::App;
use crate::tui::keys::Context;
use crate::tui::query::{Matches, QueryLine, TargetOption, field_label};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::text::{Line, Span};

/// Rows of matches listed at most (the window stays clear of the screen's edges).
const ROWS: usize = 10;
/// Data Target options listed at once.
const OPTIONS: usize = 8;

pub fn render(app: &App, frame: &mut Frame, line: &QueryLine) {
    let theme = Theme::new(app.colour);
    let naming = line.naming.is_some() && line.target.is_none();
    let choosing = line.target.is_some();
    let cursor = |on: bool| if on { "▏" } else { "" };
    let path = crate::jobs::render::printable(&line.path);
    let mut lines = vec![Line::from(vec![
        Span::styled("JSONPath  ", theme.label()),
        Span::raw(format!("{path}{}", cursor(line.naming.is_none()))),
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
            // While the target is chosen, its options need the rows more.
            let rows = if choosing { 2 } else { ROWS };
            let room = rows.min(values.len());
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
                cursor(naming)
            )),
        ]));
    }
    if let Some(pick) = &line.target {
        lines.push(Line::styled("Also write it into", theme.label()));
        // A window of the options around the one picked, so many Variables still fit.
        let first = pick.selected.saturating_sub(OPTIONS - 1);
        for (i, option) in pick.options.iter().enumerate().skip(first).take(OPTIONS) {
            let on = i == pick.selected;
            let text = match option {
                TargetOption::None => "nothing (only read it)".to_string(),
                TargetOption::Variable(v) => {
                    format!("Variable {}", crate::jobs::render::printable(v))
                }
                TargetOption::NewVariable => format!(
                    "new Variable {}{}",
                    crate::jobs::render::printable(&pick.new_variable),
                    cursor(on)
                ),
                TargetOption::Credential { id, name, field } => format!(
                    "{} of {} ({})",
                    field_label(*field),
                    crate::jobs::render::printable(name),
                    crate::jobs::render::printable(id)
                ),
            };
            let mark = if on { "▶ " } else { "  " };
            let style = if on {
                theme.heading()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::styled(format!("{mark}{text}"), style));
        }
    }
    if let Some(why) = &line.refused {
        lines.push(Line::styled(format!("✗ {why}"), theme.error()));
    }
    let context = if choosing {
        Context::QueryTarget
    } else if naming {
        Context::QueryName
    } else {
        Context::Query
    };
    lines.push(hint_line(&theme, context));
    let title = format!("Query the body of {}", line.job_id);
    window(app, frame, &title, lines, 76, false, None);
}
