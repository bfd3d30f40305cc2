//! The windows of the copy keys: the `Y` menu of a Job's detail, and the question before the
//! access token is copied.

use super::overlays::{hint_line, window};
use crate::tui::app::App;
use crate::tui::keys::Context;
use crate::tui::theme::Theme;
use crate::tui::update_copy::CopyMenu;
use ratatui::Frame;
use ratatui::text::Line;

pub fn render_menu(app: &App, frame: &mut Frame, menu: &CopyMenu) {
    let theme = Theme::new(app.colour);
    let mut lines = vec![Line::raw("Copy to the clipboard (OSC 52):"), Line::raw("")];
    for (i, choice) in menu.choices.iter().enumerate() {
        let label = crate::jobs::render::printable(&choice.label());
        lines.push(if i == menu.selected {
            Line::styled(format!("› {label}"), theme.selected(true))
        } else {
            Line::raw(format!("  {label}"))
        });
    }
    lines.push(Line::raw(""));
    lines.push(hint_line(&theme, Context::CopyMenu));
    window(app, frame, "Copy", lines, 60, false, None);
}

pub fn render_confirm_secret(app: &App, frame: &mut Frame, job_id: &str) {
    let theme = Theme::new(app.colour);
    let credential = app
        .job(job_id)
        .and_then(|j| app.job_credential(j))
        .unwrap_or("the Job's Credential")
        .to_string();
    let lines = vec![
        Line::raw(format!("Copy the access token of {credential}?")),
        Line::raw("It is a secret: it goes to your terminal's clipboard (and tmux's buffers)"),
        Line::raw("in full, where any program that reads the clipboard can see it."),
        Line::raw(""),
        hint_line(&theme, Context::ConfirmCopySecret),
    ];
    window(app, frame, "Copy a secret?", lines, 76, true, None);
}
