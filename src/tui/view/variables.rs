//! The Variables view (`v`): every workspace Variable with its value (masked when secret), and
//! for the selected one who reads it (`{{var.NAME}}` in a Payload or an Integration) and which
//! Payloads' Data Targets write it. Full screen, because Variables belong to no Integration and
//! the four panes of the main screen leave no room at 80x24 for a fifth.

use super::format::{fit, mask, pad};
use super::panes::pane_block;
use crate::tui::app::App;
use crate::tui::edits::named;
use crate::tui::theme::Theme;
use crate::workspace::Variable;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

/// The widest the name column gets; longer names are cut with `…`.
const NAME_MAX: usize = 28;

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let vars = &app.workspace.variables;
    // The list takes what it needs up to half the screen; the detail gets the rest.
    let list_height = (vars.len() as u16 + 2).clamp(5, body.height / 2);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(body);
    render_list(app, frame, list_area);
    render_detail(app, frame, detail_area);
}

/// `value` as the view shows it: masked when secret, one line.
fn shown_value(v: &Variable) -> String {
    if v.secret {
        mask(&v.value)
    } else if v.value.is_empty() {
        "(blank)".to_string()
    } else {
        v.value.replace(['\n', '\r'], " ")
    }
}

fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let theme = Theme::new(app.colour);
    let vars = &app.workspace.variables;
    let focused = app.overlays.is_empty();
    let block = pane_block(app, format!("Variables ({})", vars.len()), focused);
    if vars.is_empty() {
        let text = Paragraph::new(vec![
            Line::styled(" none yet: n creates one", theme.dim()),
            Line::styled(
                " (a Data Target writing a Variable creates it on its first run)",
                theme.dim(),
            ),
        ])
        .wrap(Wrap { trim: false })
        .block(block);
        frame.render_widget(text, area);
        return;
    }
    // Highlight symbol (2), borders (2).
    let width = area.width.saturating_sub(4) as usize;
    let name_width = vars
        .iter()
        .map(|v| super::format::cols(&v.name))
        .max()
        .unwrap_or(4)
        .clamp(4, NAME_MAX);
    let use_width = 16;
    let value_width = width.saturating_sub(name_width + use_width + 2);
    let items: Vec<ListItem> = vars
        .iter()
        .map(|v| {
            let used = app.workspace.variable_use(&v.name);
            let reads = used.read_by_payloads.len() + used.read_by_integrations.len();
            let writes = used.written_by.len();
            let uses = format!("{reads} read · {writes} write");
            let value_style = if v.secret { theme.dim() } else { theme.label() };
            ListItem::new(Line::from(vec![
                Span::raw(format!("{} ", pad(&v.name, name_width))),
                Span::styled(
                    format!("{} ", pad(&shown_value(v), value_width)),
                    value_style,
                ),
                Span::styled(fit(&uses, use_width), theme.dim()),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.selected(focused))
        .highlight_symbol(if focused { "▶ " } else { "› " });
    let view = &app.variables_list;
    let mut state = ListState::default()
        .with_offset(view.offset.get())
        .with_selected(app.selected_variable_index());
    frame.render_stateful_widget(list, area, &mut state);
    view.offset.set(state.offset());
    view.visible.set(area.height.saturating_sub(2) as usize);
}

fn render_detail(app: &App, frame: &mut Frame, area: Rect) {
    let theme = Theme::new(app.colour);
    let Some(v) = app.selected_variable() else {
        let block = pane_block(app, "Variable".to_string(), false);
        let about = [
            "A Variable is a named value of the workspace: templates read it as",
            "{{var.NAME}} (in an endpoint, a header, a query parameter or a body), and a",
            "Payload's Data Target writes it from a response, so one Payload can feed the next.",
        ];
        let lines: Vec<Line> = about
            .iter()
            .map(|l| Line::styled(*l, theme.dim()))
            .collect();
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    };
    let used = app.workspace.variable_use(&v.name);
    let label = |text: &str| Span::styled(format!("{text:<12}"), theme.label());
    let mut lines = vec![
        Line::from(vec![label("Value"), Span::raw(shown_value(v))]),
        Line::from(vec![
            label("Secret"),
            Span::raw(if v.secret {
                "yes: masked here, redacted from Jobs and logs"
            } else {
                "no"
            }),
        ]),
        Line::from(vec![
            label("Template"),
            Span::raw(format!("{{{{var.{}}}}}", v.name)),
        ]),
        Line::raw(""),
        Line::styled("Read by", theme.heading()),
    ];
    let mut readers: Vec<String> = used
        .read_by_payloads
        .iter()
        .map(|p| format!("Payload {}", named(&p.name, &p.id)))
        .collect();
    readers.extend(
        used.read_by_integrations
            .iter()
            .map(|i| format!("Integration {}", named(&i.name, &i.id))),
    );
    if readers.is_empty() {
        lines.push(Line::styled("  no template reads it", theme.dim()));
    }
    lines.extend(readers.into_iter().map(|r| Line::raw(format!("  {r}"))));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Written by (Data Targets)", theme.heading()));
    if used.written_by.is_empty() {
        lines.push(Line::styled(
            "  no Data Target writes it: its value stays as set here",
            theme.dim(),
        ));
    }
    for (p, value) in &used.written_by {
        lines.push(Line::from(vec![
            Span::raw(format!("  Payload {}", named(&p.name, &p.id))),
            Span::styled(format!("  ← its value {value}"), theme.dim()),
        ]));
    }
    let block = pane_block(app, format!("Variable {}", v.name), false);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
