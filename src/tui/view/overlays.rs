//! Windows over the screen: help, an error to dismiss, the delete confirmation, the offer to open
//! a new Token Payload; and the "terminal too small" screen.

use crate::tui::app::{App, Overlay};
use crate::tui::edits::RecordKind;
use crate::tui::keys;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn window(
    app: &App,
    frame: &mut Frame,
    title: &str,
    lines: Vec<Line<'static>>,
    width: u16,
    error: bool,
    scroll: u16,
) {
    let theme = Theme::new(app.colour);
    let inner_width = width.saturating_sub(4).max(1) as usize;
    let wrapped: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let height = (wrapped as u16 + 2).min(frame.area().height.saturating_sub(2));
    let rect = centered(frame.area(), width, height);
    frame.render_widget(Clear, rect);
    let style = if error {
        theme.error()
    } else {
        theme.border(true)
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(ratatui::widgets::BorderType::Double)
        .border_style(style)
        .title(Span::styled(format!(" {title} "), style));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .alignment(Alignment::Left),
        rect,
    );
}

/// A login's prompt: the code and where to enter it, and a QR code of the URL that carries the
/// code when the screen has room for it (a phone scans it off the terminal, over SSH too). The
/// prompt's text was checked when it was read (a plain user code, http(s) URLs).
fn login(app: &App, frame: &mut Frame, prompt: &crate::flow::LoginPrompt) {
    use crate::flow::LoginPrompt;
    use ratatui::style::{Color, Style};
    let theme = Theme::new(app.colour);
    let mut lines = vec![];
    let title;
    let mut width = 64u16;
    match prompt {
        LoginPrompt::Device {
            verification_uri,
            verification_uri_complete,
            user_code,
            expires_in,
        } => {
            title = "Log in on any device";
            lines.push(Line::from(vec![
                Span::raw("Open  "),
                Span::styled(verification_uri.clone(), theme.key()),
            ]));
            lines.push(Line::from(vec![
                Span::raw("and enter the code  "),
                Span::styled(user_code.clone(), theme.key()),
            ]));
            let qr = verification_uri_complete
                .as_deref()
                .and_then(crate::oauth::qr::half_block_lines);
            let area = frame.area();
            let fits = |qr: &Vec<String>| {
                let qr_width = qr.first().map_or(0, |l| l.chars().count()) as u16;
                (qr.len() as u16) + 8 <= area.height && qr_width + 4 <= area.width
            };
            match qr {
                Some(qr) if fits(&qr) => {
                    lines.push(Line::raw("or scan this with a phone:"));
                    let qr_width = qr.first().map_or(0, |l| l.chars().count()) as u16;
                    width = width.max(qr_width + 4);
                    // Light modules on a dark ground, whatever the terminal's own colours.
                    let style = if app.colour {
                        Style::default().fg(Color::White).bg(Color::Black)
                    } else {
                        Style::default()
                    };
                    for row in qr {
                        lines.push(Line::styled(row, style));
                    }
                }
                Some(_) => lines.push(Line::styled(
                    "(a taller terminal shows a QR code of the address here)",
                    theme.dim(),
                )),
                None => {}
            }
            lines.push(Line::styled(
                format!(
                    "Waiting for approval; the code expires in {} min.",
                    expires_in.as_secs().div_ceil(60)
                ),
                theme.dim(),
            ));
        }
        LoginPrompt::Browser { url, .. } => {
            title = "Log in with a browser on this machine";
            lines.push(Line::raw("Open this address in a browser here:"));
            lines.push(Line::styled(url.clone(), theme.key()));
            lines.push(Line::styled(
                "Waiting for the browser to come back.",
                theme.dim(),
            ));
        }
    }
    lines.push(Line::styled(
        "x cancels the login; Esc hides this",
        theme.dim(),
    ));
    window(app, frame, title, lines, width, false, 0);
}

pub fn render(app: &App, frame: &mut Frame, overlay: &Overlay) {
    let theme = Theme::new(app.colour);
    match overlay {
        Overlay::Help { scroll } => {
            let lines = help_lines(&theme);
            let max = help_max_scroll(frame.area().height);
            let title = if max == 0 {
                "Keys (Esc closes)".to_string()
            } else if *scroll >= max {
                "Keys (Esc closes; end: k/PgUp scroll up)".to_string()
            } else {
                format!(
                    "Keys (Esc closes; j/PgDn for more, {}%)",
                    *scroll as usize * 100 / max as usize
                )
            };
            window(app, frame, &title, lines, 76, false, *scroll);
        }
        Overlay::OfferReopenEditor { line } => {
            let first = app
                .broken
                .as_ref()
                .and_then(|b| b.errors.first().cloned())
                .unwrap_or_default();
            let at = line.map(|l| format!(" at line {l}")).unwrap_or_default();
            let lines = vec![
                Line::raw(format!(
                    "After your edit, {} does not load:",
                    app.workspace_label
                )),
                Line::raw(""),
                Line::styled(first, theme.error()),
                Line::raw(""),
                Line::raw("Until it is fixed, the last good state stays on view, read-only."),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("Enter / e", theme.key()),
                    Span::raw(format!("  reopen the editor{at}")),
                ]),
                Line::from(vec![
                    Span::styled("Esc", theme.key()),
                    Span::raw("        keep the last good state"),
                ]),
            ];
            window(app, frame, "✗ The file has errors", lines, 72, true, 0);
        }
        Overlay::ConfirmQuit { running } => {
            let lines = vec![
                Line::raw(crate::tui::update_file::quit_question(*running)),
                Line::raw("The Jobs history records each one as cancelled."),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" quit and cancel    "),
                    Span::styled("n / Esc", theme.key()),
                    Span::raw(" stay"),
                ]),
            ];
            window(app, frame, "Quit?", lines, 60, true, 0);
        }
        Overlay::Error(text) => {
            let width = 70u16.min(frame.area().width);
            // Rows inside the window, less the blank line and the dismiss line that must show.
            let room = frame.area().height.saturating_sub(2 + 2 + 2).max(1) as usize;
            let inner_width = width.saturating_sub(4).max(1) as usize;
            let mut lines: Vec<Line> = Vec::new();
            let mut used = 0;
            let all: Vec<&str> = text.lines().collect();
            for (i, line) in all.iter().enumerate() {
                let rows = Line::raw(*line).width().max(1).div_ceil(inner_width);
                // Cutting costs a row for the `…` line, unless this is the last line anyway.
                let limit = if i + 1 == all.len() {
                    room
                } else {
                    room.saturating_sub(1)
                };
                if used + rows > limit {
                    // A long message keeps its dismiss line; the Job holds the whole text.
                    lines.push(Line::styled(
                        "… (cut to fit: the Job holds the whole message)",
                        theme.dim(),
                    ));
                    break;
                }
                used += rows;
                lines.push(Line::raw(line.to_string()));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Enter or Esc dismisses", theme.dim()));
            window(app, frame, "✗ Error", lines, width, true, 0);
        }
        Overlay::ConfirmDelete {
            kind,
            id,
            referrers,
        } => {
            let mut lines = vec![Line::raw(format!("Delete {} {id}?", kind.label()))];
            if referrers.is_empty() {
                lines.push(Line::raw("Nothing else refers to it."));
            } else {
                lines.push(Line::raw(""));
                lines.push(Line::raw("These refer to it:"));
                for r in referrers {
                    lines.push(Line::raw(format!("  • {r}")));
                }
                lines.push(Line::raw(""));
                lines.push(Line::raw(match kind {
                    RecordKind::Integration => {
                        "Its Credentials and Payloads are deleted with it."
                    }
                    RecordKind::Credential => {
                        "Its Token Payload is deleted with it; Payloads that use it are left without a Credential."
                    }
                    RecordKind::Payload => "",
                }));
            }
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("y", theme.key()),
                Span::raw(" delete    "),
                Span::styled("n / Esc", theme.key()),
                Span::raw(" keep it"),
            ]));
            window(app, frame, "Delete?", lines, 64, true, 0);
        }
        Overlay::OfferTokenPayload { payload_id } => {
            let lines = vec![
                Line::raw(format!(
                    "Created its Token Payload {payload_id}: a standard OAuth 2 refresh request."
                )),
                Line::raw("Check the endpoint and the grant it sends before the first run."),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("Enter", theme.key()),
                    Span::raw(" open it now    "),
                    Span::styled("Esc", theme.key()),
                    Span::raw(" later"),
                ]),
            ];
            window(app, frame, "Token Payload created", lines, 64, false, 0);
        }
        Overlay::Form(form) => super::form::render(app, frame, form),
        Overlay::Login { prompt, .. } => login(app, frame, prompt),
    }
}

fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, bindings) in keys::help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, theme.heading()));
        for (key, what) in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {key:<22}"), theme.key()),
                Span::raw(*what),
            ]));
        }
    }
    lines
}

/// How far the help can scroll on a screen `height` rows high: to its last line, no further.
pub fn help_max_scroll(height: u16) -> u16 {
    let lines = help_lines(&Theme::new(false)).len() as u16;
    // The window keeps a row free above and below, and has a border on each side.
    let visible = lines.min(height.saturating_sub(4));
    lines - visible
}

pub fn render_too_small(frame: &mut Frame) {
    let area = frame.area();
    let lines = vec![
        Line::raw("Terminal too small"),
        Line::raw(format!(
            "{}x{}: Payloads needs at least 80x24.",
            area.width, area.height
        )),
        Line::raw("Make the window bigger, or q to quit."),
    ];
    let rect = Rect {
        y: area.y + area.height.saturating_sub(3) / 2,
        height: 3.min(area.height),
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
