//! A form drawn over the screen: label column, inputs, the refusal under a field, the hint of the
//! focused field, scrolled so the focused field is always in view.

use super::overlays::centered;
use crate::tui::app::App;
use crate::tui::forms::{FieldInput, Form};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// The marker, the longest label ("Accept bad certs") and a space before the input.
const LABEL_WIDTH: u16 = 18;

fn field_height(form: &Form, index: usize) -> u16 {
    let field = &form.fields[index];
    let input = match &field.input {
        FieldInput::Text(t) if t.is_multiline() => {
            if index == form.focus {
                6
            } else {
                (t.line_count() as u16).clamp(1, 3)
            }
        }
        _ => 1,
    };
    input + u16::from(field.error.is_some())
}

pub fn render(app: &App, frame: &mut Frame, form: &Form) {
    let theme = Theme::new(app.colour);
    let area = frame.area();
    let small = form.fields.len() <= 4;
    let height = if small {
        (form.fields.len() as u16 * 2 + 6).min(area.height - 2)
    } else {
        area.height.saturating_sub(2)
    };
    let width = if area.width < 100 {
        area.width
    } else {
        area.width.saturating_sub(4).min(110)
    };
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(theme.border_type(true))
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {} ", form.title), theme.title(true)));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    // Bottom: notes, a blank line, the hint of the focused field, and any form-level error.
    let note_rows =
        |n: &String| (super::format::cols(n) + 2).div_ceil((inner.width as usize).max(1));
    let notes_height =
        (form.notes.iter().map(note_rows).sum::<usize>() as u16).min(inner.height / 3);
    let footer_height = 3 + u16::from(form.error.is_some()) + notes_height;
    let fields_area = Rect {
        height: inner.height.saturating_sub(footer_height),
        ..inner
    };
    let visible = form.visible_indices();
    let heights: Vec<u16> = visible.iter().map(|&i| field_height(form, i)).collect();
    let focus_at = visible.iter().position(|&i| i == form.focus).unwrap_or(0);
    let focus_top: u16 = heights[..focus_at].iter().sum();
    let focus_bottom = focus_top + heights.get(focus_at).copied().unwrap_or(1);
    let scroll = focus_bottom.saturating_sub(fields_area.height);

    let mut y: u16 = 0;
    for (n, &index) in visible.iter().enumerate() {
        let h = heights[n];
        let top = y;
        y += h;
        if top < scroll || top + h - scroll > fields_area.height {
            continue;
        }
        let row = Rect {
            x: fields_area.x,
            y: fields_area.y + top - scroll,
            width: fields_area.width,
            height: h,
        };
        render_field(app, frame, form, index, row);
    }
    if visible.len() > 1 && (scroll > 0 || y > fields_area.height + scroll) {
        let more = format!(" field {}/{} ", focus_at + 1, visible.len());
        let x = rect.x + rect.width.saturating_sub(more.len() as u16 + 2);
        frame.render_widget(
            Paragraph::new(Span::styled(more, theme.dim())),
            Rect {
                x,
                y: rect.y + rect.height - 1,
                width: 14,
                height: 1,
            },
        );
    }

    let hint_area = Rect {
        y: inner.y + inner.height.saturating_sub(footer_height) + 1,
        height: footer_height - 1,
        ..inner
    };
    // Notes that do not fit say how many are left out rather than vanish.
    let mut lines: Vec<Line> = Vec::new();
    let mut used = 0;
    for (i, note) in form.notes.iter().enumerate() {
        let rows = note_rows(note);
        let left = form.notes.len() - i;
        if used + rows > notes_height as usize || (left > 1 && used + rows == notes_height as usize)
        {
            lines.push(Line::styled(
                format!("• … and {left} more (make the window taller to see them)"),
                theme.label(),
            ));
            break;
        }
        used += rows;
        lines.push(Line::styled(format!("• {note}"), theme.label()));
    }
    lines.push(Line::styled(form.focused().hint.clone(), theme.dim()));
    if let Some(error) = &form.error {
        lines.push(Line::styled(format!("✗ {error}"), theme.error()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), hint_area);
}

fn render_field(app: &App, frame: &mut Frame, form: &Form, index: usize, row: Rect) {
    let theme = Theme::new(app.colour);
    let field = &form.fields[index];
    let focused = index == form.focus;
    let marker = if focused { "▶" } else { " " };
    let label_style = if focused {
        theme.title(true)
    } else {
        theme.label()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(marker, theme.key()),
            Span::styled(
                format!("{:<w$}", field.label, w = LABEL_WIDTH as usize - 1),
                label_style,
            ),
        ])),
        Rect {
            height: 1,
            width: LABEL_WIDTH,
            ..row
        },
    );
    let input_height = row.height - u16::from(field.error.is_some());
    let input_area = Rect {
        x: row.x + LABEL_WIDTH,
        width: row.width.saturating_sub(LABEL_WIDTH),
        height: input_height,
        y: row.y,
    };
    match &field.input {
        FieldInput::Text(t) => {
            if t.is_multiline() && input_height > 1 {
                // A bar in front of multi-line text shows where the area starts and ends.
                let bar = Rect {
                    width: 1,
                    ..input_area
                };
                let text = Rect {
                    x: input_area.x + 2,
                    width: input_area.width.saturating_sub(2),
                    ..input_area
                };
                let bars: Vec<Line> = (0..input_height)
                    .map(|_| Line::styled("│", theme.dim()))
                    .collect();
                frame.render_widget(Paragraph::new(bars), bar);
                t.render(frame, text);
            } else {
                t.render(frame, input_area);
            }
        }
        FieldInput::Choice { selected, .. } => {
            let offered = form.offered(index);
            let mut spans = Vec::new();
            let total: usize = offered
                .iter()
                .map(|&i| super::format::cols(field.option_shown(i).unwrap_or("")) + 3)
                .sum();
            if total <= input_area.width as usize {
                for &i in &offered {
                    let option = field.option_shown(i).unwrap_or("");
                    if i == *selected {
                        let style = if focused {
                            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
                        } else {
                            Style::default().add_modifier(Modifier::BOLD)
                        };
                        spans.push(Span::styled(format!("[{option}]"), style));
                    } else {
                        spans.push(Span::styled(format!(" {option} "), theme.dim()));
                    }
                    spans.push(Span::raw(" "));
                }
            } else {
                let current = field.option_shown(*selected).unwrap_or("(none)");
                spans.push(Span::styled(
                    format!("‹ {current} ›"),
                    if focused {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        Style::default()
                    },
                ));
                let at = offered.iter().position(|i| i == selected).unwrap_or(0);
                spans.push(Span::styled(
                    format!("  {}/{}", at + 1, offered.len()),
                    theme.dim(),
                ));
            }
            if offered.is_empty() {
                spans = vec![Span::styled("(nothing to choose from)", theme.dim())];
            }
            frame.render_widget(Paragraph::new(Line::from(spans)), input_area);
        }
    }
    if let Some(error) = &field.error {
        frame.render_widget(
            Paragraph::new(Line::styled(format!("✗ {error}"), theme.error())),
            Rect {
                x: input_area.x,
                y: row.y + input_height,
                height: 1,
                width: input_area.width,
            },
        );
    }
}
