//! Pure rendering of the App: `view(&App, &mut Frame)` reads state and draws, nothing else.

mod areas;
pub mod chrome;
pub mod copy_menu;
pub mod form;
pub mod format;
pub mod job_detail;
pub mod overlays;
pub mod panes;
pub mod query;
pub mod record_detail;
pub mod rows;
pub mod variables;

use super::app::{App, Pane, Screen};
use super::theme;
use ratatui::Frame;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        overlays::render_too_small(frame);
        if app.ascii {
            super::ascii::downgrade(frame.buffer_mut());
        }
        return;
    }
    let [title, banner, body, footer] = areas::screen(area, chrome::banner_height(app, area));
    chrome::render_title(app, frame, title);
    chrome::render_banner(app, frame, banner);
    chrome::render_footer(app, frame, footer);
    match &app.screen {
        Screen::Main => {
            let top_height = (body.height * 2 / 5).max(9);
            let [top, bottom] = areas::top_and_bottom(body, top_height);
            let [integrations, credentials, payloads] = areas::three_lists(top);
            let [jobs, detail] = areas::jobs_and_detail(bottom);
            panes::render_list_pane(app, frame, integrations, Pane::Integrations);
            panes::render_list_pane(app, frame, credentials, Pane::Credentials);
            panes::render_list_pane(app, frame, payloads, Pane::Payloads);
            panes::render_list_pane(app, frame, jobs, Pane::Jobs);
            panes::render_detail_pane(app, frame, detail);
        }
        Screen::RecordDetail { scroll, .. } => {
            let lines = record_detail::lines(app, app.focus, body.width, usize::MAX);
            let block = panes::pane_block(app, panes::detail_title(app, body.width), true);
            let rows = rows::wrap(&lines, block.inner(body).width as usize);
            rows::render(frame, body, block, &rows, scroll, None);
        }
        Screen::Variables => variables::render(app, frame, body),
        Screen::JobDetail { job_id, scroll } => {
            let title = match (&app.find.active(), app.find.editing) {
                (_, true) => format!("Job {job_id}  /{}▏", app.find.query),
                (Some(query), false) => format!("Job {job_id}  /{query}"),
                (None, false) => format!("Job {job_id}"),
            };
            let block = panes::pane_block(app, title, true);
            let width = block.inner(body).width as usize;
            let rows = match app.job(job_id) {
                Some(job) => rows::job_rows(app, job, width),
                None => std::sync::Arc::new(vec![ratatui::text::Line::raw(
                    "This Job is no longer kept.",
                )]),
            };
            let mark = theme::Theme::new(app.colour).found();
            rows::render(
                frame,
                body,
                block,
                &rows,
                scroll,
                app.find.active().map(|q| (q, mark)),
            );
        }
    }
    for overlay in &app.overlays {
        overlays::render(app, frame, overlay);
    }
    if app.ascii {
        super::ascii::downgrade(frame.buffer_mut());
    }
}
