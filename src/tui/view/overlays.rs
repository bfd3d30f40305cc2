//! Windows over the screen: help, an error to dismiss, the delete confirmation, the offer to open
//! a new Token Payload; and the "terminal too small" screen.

use crate::tui::app::{App, Overlay};
use crate::tui::edits::RecordKind;
use crate::tui::keys::{self, Context};
use crate::tui::scroll::ScrollState;
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

pub(super) fn window(
    app: &App,
    frame: &mut Frame,
    title: &str,
    lines: Vec<Line<'static>>,
    width: u16,
    error: bool,
    scroll: Option<&ScrollState>,
) {
    let theme = Theme::new(app.colour);
    let (wrapped, height) = window_size(frame.area(), &lines, width);
    let rect = centered(frame.area(), width, height);
    let top = scroll.map_or(0, |s| s.fit(wrapped, height.saturating_sub(2) as usize));
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
            .scroll((u16::try_from(top).unwrap_or(u16::MAX), 0))
            .alignment(Alignment::Left),
        rect,
    );
}

/// The rows `lines` take in a window `width` wide, and the window's height on `area`.
fn window_size(area: Rect, lines: &[Line<'static>], width: u16) -> (usize, u16) {
    let inner_width = width.saturating_sub(4).max(1) as usize;
    let wrapped: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let height = (wrapped as u16 + 2).min(area.height.saturating_sub(2));
    (wrapped, height)
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
    lines.push(Line::raw(""));
    lines.push(hint_line(&theme, Context::Login));
    window(app, frame, title, lines, width, false, None);
}

pub fn render(app: &App, frame: &mut Frame, overlay: &Overlay) {
    let theme = Theme::new(app.colour);
    match overlay {
        Overlay::Help { scroll } => {
            let lines = help_lines(&theme);
            // Measured first, so the title says where this very frame is.
            let (wrapped, height) = window_size(frame.area(), &lines, HELP_WIDTH);
            let top = scroll.fit(wrapped, height.saturating_sub(2) as usize);
            let title = match scroll.max().unwrap_or(0) {
                0 => "Keys (Esc closes)".to_string(),
                max if top >= max => "Keys (Esc closes; end: k/PgUp scroll up)".to_string(),
                max => format!("Keys (Esc closes; j/PgDn for more, {}%)", top * 100 / max),
            };
            window(app, frame, &title, lines, HELP_WIDTH, false, Some(scroll));
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
            ];
            let mut lines = lines;
            lines.extend(
                keys::popup_rows(Context::OfferReopenEditor)
                    .into_iter()
                    .map(|(key, what)| {
                        let what = if what == "reopen the editor" {
                            format!("{what}{at}")
                        } else {
                            what.to_string()
                        };
                        Line::from(vec![
                            Span::styled(format!("{key:<9}"), theme.key()),
                            Span::raw(format!("  {what}")),
                        ])
                    }),
            );
            window(app, frame, "✗ The file has errors", lines, 72, true, None);
        }
        Overlay::ConfirmQuit { running } => {
            let lines = vec![
                Line::raw(crate::tui::update_file::quit_question(*running)),
                Line::raw("The Jobs history records each one as cancelled."),
                Line::raw(""),
                hint_line(&theme, Context::ConfirmQuit),
            ];
            window(app, frame, "Quit?", lines, 60, true, None);
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
            lines.push(hint_line(&theme, Context::Error));
            window(app, frame, "✗ Error", lines, width, true, None);
        }
        Overlay::ConfirmDelete {
            kind,
            id,
            referrers,
        } => {
            let mut lines = vec![Line::raw(format!(
                "Delete {} {}?",
                kind.label(),
                crate::tui::edits::named_record(&app.workspace, *kind, id)
            ))];
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
                    RecordKind::Variable => {
                        "Templates that read it get its value from the Data Targets that write it."
                    }
                }));
            }
            lines.push(Line::raw(""));
            lines.push(hint_line(&theme, Context::ConfirmDelete));
            window(app, frame, "Delete?", lines, 64, true, None);
        }
        Overlay::OfferTokenPayload { payload_id } => {
            let lines = vec![
                Line::raw(format!(
                    "Created its Token Payload {}: a standard OAuth 2 refresh request.",
                    crate::tui::edits::named_record(
                        &app.workspace,
                        RecordKind::Payload,
                        payload_id
                    )
                )),
                Line::raw("Check the endpoint and the grant it sends before the first run."),
                Line::raw(""),
                hint_line(&theme, Context::OfferTokenPayload),
            ];
            window(app, frame, "Token Payload created", lines, 64, false, None);
        }
        Overlay::Form(form) => super::form::render(app, frame, form),
        Overlay::Login { prompt, .. } => login(app, frame, prompt),
        Overlay::CopyMenu(menu) => super::copy_menu::render_menu(app, frame, menu),
        Overlay::Query(line) => super::query::render(app, frame, line),
        Overlay::Transfer(prompt) => transfer(app, frame, prompt),
        Overlay::ConfirmCopySecret { job_id } => {
            super::copy_menu::render_confirm_secret(app, frame, job_id)
        }
    }
}

const HELP_WIDTH: u16 = 76;

/// A popup's keys on one line, from the keymap: `y delete    n / Esc keep it`.
pub(super) fn hint_line(theme: &Theme, context: Context) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in keys::popup_rows(context).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("    "));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}

fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, bindings) in keys::help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, theme.heading()));
        for binding in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", binding.shown), theme.key()),
                Span::raw(binding.help),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Copying (y, Y)", theme.heading()));
    for note in crate::tui::copy::HELP_NOTE {
        lines.push(Line::raw(format!("  {note}")));
    }
    lines
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

/// The export / import prompt: the path line, then its question.
fn transfer(app: &App, frame: &mut Frame, prompt: &crate::tui::transfer::TransferPrompt) {
    use crate::tui::transfer::{Step, TransferKind};
    let theme = Theme::new(app.colour);
    let clean = |s: &str| -> String { s.chars().filter(|c| !c.is_control()).collect() };
    let (title, what) = match &prompt.kind {
        TransferKind::Export { integration } => (
            "Export Integration",
            format!(
                "Write Integration {} ({}) to:",
                clean(
                    app.workspace
                        .integration(integration)
                        .map_or(integration.as_str(), |i| i.name.as_str())
                ),
                clean(integration)
            ),
        ),
        TransferKind::Import => (
            "Import Integration",
            "Read the exported Integration from:".into(),
        ),
    };
    let mut lines = vec![Line::raw(what)];
    let cursor = if prompt.step == Step::Path { "_" } else { "" };
    lines.push(Line::from(vec![
        Span::styled("> ", theme.key()),
        Span::raw(format!("{}{cursor}", clean(&prompt.path))),
    ]));
    lines.push(Line::raw(""));
    let context = match &prompt.step {
        Step::Path => Context::TransferPath,
        Step::Secrets => {
            lines.push(Line::raw(
                "Include the secrets? (no: they become {{env.NAME}} references)",
            ));
            Context::TransferChoice
        }
        Step::Overwrite { .. } => {
            lines.push(Line::raw("The file exists. Overwrite it?"));
            Context::TransferChoice
        }
        Step::Conflicts(conflicts) => {
            lines.push(Line::raw("These ids are already in the workspace:"));
            for c in conflicts {
                lines.push(Line::raw(format!("  {}", clean(c))));
            }
            lines.push(Line::raw(
                "Import them under new ids (references rewritten)?",
            ));
            Context::TransferChoice
        }
    };
    lines.push(Line::raw(""));
    lines.push(hint_line(&theme, context));
    window(app, frame, title, lines, 70, false, None);
}
