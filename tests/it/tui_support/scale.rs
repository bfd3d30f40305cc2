//! A big history and a big workspace, shared by the scale test and the frame benchmark.

use super::*;
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::App;
use payloads::workspace::Payload;

/// 1,000 Jobs: 500 business runs, each with the refresh Job that ran for it.
pub fn big_app() -> App {
    let mut ws = workspace();
    let template = ws.payloads[1].clone();
    for n in 0..200 {
        ws.payloads.push(Payload {
            id: format!("bulk-{n:03}").into(),
            name: format!("Bulk payload {n:03}"),
            ..template.clone()
        });
    }
    let mut jobs = Vec::new();
    for n in 0..500 {
        let business = format!("job-{n:04}-b");
        let mut refresh = job(
            &format!("job-{n:04}-r"),
            "sandbox-oauth-token",
            JobStatus::Succeeded,
            Trigger::RefreshFor(business.as_str().into()),
        );
        refresh.linked_job = Some(business.as_str().into());
        jobs.push(refresh);
        jobs.push(job(
            &business,
            "list-contacts",
            JobStatus::Succeeded,
            Trigger::Tui,
        ));
    }
    jobs.reverse();
    let mut app = App::new(ws, "workspace.ron", jobs, now());
    app.colour = false;
    app
}
