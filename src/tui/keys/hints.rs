//! What the keys say: the footer's hints for the state the app is in, the sections of the `?`
//! help and the key line of each popup, all generated from the rows in `screens` and `overlays`.

use super::overlays::*;
use super::screens::*;
use super::{Binding, Command, Command as C, Context, FieldContext, Hint, context, table};
use crate::tui::app::{App, Overlay, Pane, Screen};
use crate::tui::forms::FieldInput;
use crate::workspace::{CredentialAuth, PayloadKind};

const SECRET_HINT: Hint = Hint {
    rank: 4,
    key: "Ctrl-R",
    what: "reveal",
};

/// The sections of the `?` help: every row of every context, each once.
pub fn help_sections() -> Vec<(&'static str, Vec<&'static Binding>)> {
    let rows = |groups: &[&'static [Binding]]| -> Vec<&'static Binding> {
        groups.iter().flat_map(|g| g.iter()).collect()
    };
    vec![
        ("Moving around", rows(&[PANES, LIST_MOVES, MAIN, GLOBAL])),
        ("The / filter", rows(&[FILTER])),
        ("Finding in a Job", rows(&[FIND])),
        ("Records", rows(&[RECORDS])),
        ("Runs", rows(&[RUNS])),
        (
            "Integrations out and in",
            rows(&[TRANSFER, TRANSFER_PATH, TRANSFER_CHOICE]),
        ),
        ("Variables", rows(&[VARIABLES])),
        (
            "In a form",
            rows(&[
                FORM,
                TEXT_EDITING,
                LINE_FIELD,
                MULTI_LINE_FIELD,
                CHOICE_FIELD,
                REFERENCE_FIELD,
                RUN_INPUTS,
            ]),
        ),
        ("An error", rows(&[ERROR])),
        ("Delete?", rows(&[CONFIRM_DELETE])),
        ("Quit? (Jobs running)", rows(&[CONFIRM_QUIT])),
        ("Token Payload created", rows(&[OFFER_TOKEN_PAYLOAD])),
        ("The file has errors", rows(&[OFFER_REOPEN_EDITOR])),
        ("Logging in", rows(&[LOGIN])),
        (
            "Copying",
            rows(&[COPY_PAYLOAD, COPY_JOB, COPY_MENU, CONFIRM_COPY_SECRET]),
        ),
        (
            "JSONPath query (J)",
            rows(&[QUERY_JOB, QUERY, QUERY_NAME, QUERY_TARGET]),
        ),
        ("This help", rows(&[HELP])),
        (
            "Detail screens",
            rows(&[
                SCROLL,
                RECORD_LINKS,
                RECORD_SCROLL,
                RECORD_DETAIL,
                JOB_DETAIL,
                DETAIL_BACK,
            ]),
        ),
    ]
}

/// The last row of the help, which scrolling must reach.
pub fn last_help_row() -> &'static Binding {
    help_sections()
        .last()
        .and_then(|(_, rows)| rows.last().copied())
        .unwrap_or(&GLOBAL[0])
}

/// The keys of a popup as its last line says them: `y delete    n / Esc keep it`.
pub fn popup_rows(context: Context) -> Vec<(&'static str, &'static str)> {
    table(context)
        .into_iter()
        .skip(1) // Ctrl-C is in the help, not in every popup
        .flatten()
        .map(|b| (b.shown, b.help))
        .collect()
}

/// The keys that work right now, most useful first; the footer shows as many as fit.
pub fn footer(app: &App) -> Vec<(&'static str, &'static str)> {
    let context = context(app);
    let mut hints: Vec<Hint> = table(context)
        .into_iter()
        .flatten()
        .filter(|b| b.keys.iter().all(|(_, cmd)| offered(app, context, *cmd)))
        .filter_map(|b| {
            let mut hint = b.footer?;
            if let Some(&(_, command)) = b.keys.first()
                && let Some(what) = relabel(app, context, command)
            {
                hint.what = what;
            }
            Some(hint)
        })
        .collect();
    if let Context::Form(_) = context
        && let Some(Overlay::Form(form)) = app.top_overlay()
        && matches!(&form.focused().input, FieldInput::Text(t) if t.is_secret())
    {
        hints.push(SECRET_HINT);
    }
    if let Context::Form(FieldContext::RunInputs) = context {
        // The run-inputs form runs on Enter; Ctrl-S would say the same twice.
        hints.retain(|h| h.key != "Ctrl-S");
    }
    if app.broken.is_some() && matches!(context, Context::Main | Context::RecordDetail) {
        // While the file is broken, the way to fix it comes first.
        hints.push(Hint {
            rank: 0,
            key: "E",
            what: "fix the file",
        });
    }
    hints.sort_by_key(|h| h.rank);
    hints.into_iter().map(|h| (h.key, h.what)).collect()
}

/// What a key does on the main screen where the focused pane makes it mean more.
fn relabel(app: &App, context: Context, command: Command) -> Option<&'static str> {
    match (context, app.focus, command) {
        (Context::Main, Pane::Jobs, C::Run) => Some("run again"),
        (Context::Main, Pane::Credentials, C::Refresh) => Some("refresh now"),
        _ => None,
    }
}

/// Whether a command would do something now, for the footer (dispatch explains the rest).
fn offered(app: &App, context: Context, command: Command) -> bool {
    let job_detail = |f: fn(&crate::jobs::Job) -> bool| match &app.screen {
        Screen::JobDetail { job_id, .. } => app.job(job_id).is_some_and(f),
        _ => false,
    };
    match command {
        C::OpenEditor => app.broken.is_none(),
        // Integrations out and in: on their pane.
        C::Export => {
            app.focus == Pane::Integrations && app.selected_id(Pane::Integrations).is_some()
        }
        C::Import => app.focus == Pane::Integrations && app.broken.is_none(),
        C::New | C::Edit | C::Delete | C::Duplicate => {
            context != Context::Main || app.focus != Pane::Jobs
        }
        C::Run => match (context, app.focus) {
            (_, Pane::Payloads) => app.selected_payload().is_some_and(|p| {
                // While the file is broken, runs that would write to it are refused.
                app.broken.is_none() || !app.run_writes(p)
            }),
            (Context::Main, Pane::Jobs) => app.selected_job().is_some(),
            _ => false,
        },
        C::Refresh => match app.focus {
            Pane::Payloads => app.selected_payload().is_some_and(|p| {
                (app.broken.is_none() || !app.run_writes(p))
                    && (p.kind == PayloadKind::Credential
                        || p.credential
                            .as_deref()
                            .and_then(|c| app.workspace.credential(c))
                            .is_some_and(|c| matches!(c.auth, CredentialAuth::BearerToken(_))))
            }),
            Pane::Credentials => {
                app.broken.is_none()
                    && app
                        .selected_credential()
                        .is_some_and(|c| matches!(c.auth, CredentialAuth::BearerToken(_)))
            }
            _ => false,
        },
        C::CancelJob => match context {
            Context::JobDetail => job_detail(|j| !j.status.is_finished()),
            _ => {
                app.focus == Pane::Jobs
                    && app.selected_job().is_some_and(|j| !j.status.is_finished())
            }
        },
        C::LinkedJob => job_detail(|j| j.linked_job.is_some()),
        C::Copy => match context {
            Context::JobDetail => {
                job_detail(|j| j.response.as_ref().is_some_and(|r| !r.body.is_empty()))
            }
            _ => app.focus == Pane::Payloads && app.selected_payload().is_some(),
        },
        C::FindNext | C::FindPrev => app.find.active().is_some(),
        C::Discover => matches!(
            app.top_overlay(),
            Some(Overlay::Form(form)) if form.has_field(crate::tui::forms::FieldKey::Issuer)
                && form.is_visible_key(crate::tui::forms::FieldKey::Issuer)
        ),
        C::NextLink | C::PrevLink | C::FollowLink if context == Context::RecordDetail => {
            !crate::tui::view::record_detail::links(app).is_empty()
        }
        C::Login => match app.focus {
            Pane::Credentials => app.selected_credential(),
            Pane::Payloads => app
                .selected_payload()
                .and_then(|p| p.credential.as_deref())
                .and_then(|c| app.workspace.credential(c)),
            _ => None,
        }
        .is_some_and(|c| matches!(&c.auth, CredentialAuth::BearerToken(b) if b.login.is_some())),
        _ => true,
    }
}
