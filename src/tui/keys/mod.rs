//! The one keymap: every key the TUI knows, bound once per context to a typed `Command`.
//! Dispatch (`command`), the footer (`footer`), the `?` help (`help_sections`) and the key lines
//! inside popups (`popup_rows`) all read the same rows, so they cannot drift apart. This file
//! holds the vocabulary (commands, contexts, keys, rows), which rows each context reads (`table`)
//! and the dispatch; `screens` and `overlays` hold the rows; `hints` what the footer, the help and
//! the popups say from them. A new feature adds a `Command` variant and a row; the compiler then
//! points at the `match` that carries it out.

mod hints;
mod overlays;
mod screens;

pub use hints::{footer, help_sections, last_help_row, popup_rows};

use super::app::{App, Overlay, Screen};
use super::scroll::Scroll;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use overlays::*;
use screens::*;

/// What a key does. One enum for every context: a context's table says which apply there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Moves a list selection or scrolls a view: handled in one place for every view.
    Scroll(Scroll),
    NextPane,
    PrevPane,
    /// Opens the selection full screen.
    Open,
    /// Leaves a detail screen; on the main screen, clears the filter.
    Back,
    Filter,
    Help,
    Quit,
    /// Ctrl-C anywhere: quit at once, running Jobs cancelled.
    Interrupt,
    New,
    Edit,
    Duplicate,
    Delete,
    OpenEditor,
    Run,
    Refresh,
    CancelJob,
    LinkedJob,
    /// `L`: a login (device code, browser) for the selected Credential's first tokens.
    Login,
    /// `X`: export the selected Integration to a file.
    Export,
    /// `I`: import an exported Integration from a file.
    Import,
    /// `v`: the Variables view (each Variable, who reads it, who writes it).
    Variables,
    /// `y`: copy the response body (Job detail) or the Payload as curl, through OSC 52.
    Copy,
    /// `Y` in the Job detail: the menu of what to copy.
    CopyMenu,
    /// `J` in the Job detail: the JSONPath query line over the response body.
    Query,
    /// `/` in the Job detail: type a text to find.
    Find,
    FindNext,
    FindPrev,
    /// A popup's yes (delete, quit, open, reopen the editor).
    Confirm,
    /// A popup's no / close.
    Dismiss,
    /// The filter line: keep it, or clear it.
    FilterKeep,
    FilterClear,
    // In a form.
    NextField,
    PrevField,
    ChooseNext,
    ChoosePrev,
    Reveal,
    Save,
    /// Esc in a form: cancels, asking first when something was changed.
    CancelForm,
    /// Enter in the run-inputs form.
    Submit,
    /// Ctrl-O in a Credential form: fill the endpoints from the issuer's discovery metadata.
    Discover,
    /// Enter on a reference (a Token Payload field, a "used by" row): open that record; Esc
    /// comes back.
    FollowLink,
    /// j / k in a record's detail: the next / previous reference (a scroll when it has none).
    NextLink,
    PrevLink,
}

/// Where the keys go: the screen, or the window on top of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Main,
    Filter,
    /// Typing the text to find in the Job detail.
    Find,
    RecordDetail,
    JobDetail,
    /// The Variables view.
    Variables,
    Help,
    Error,
    ConfirmDelete,
    ConfirmQuit,
    OfferTokenPayload,
    OfferReopenEditor,
    /// A login waiting for the user (its code, its URL).
    Login,
    /// The `Y` menu of the Job detail.
    CopyMenu,
    /// The JSONPath query line: typing the path, or the name to keep it under.
    Query,
    QueryName,
    /// Then where the value is written too (a Data Target), or nowhere.
    QueryTarget,
    /// Copy the access token? (a secret leaves only on a yes)
    ConfirmCopySecret,
    /// The export/import prompt: typing the path, or a yes/no (secrets, overwrite, rename).
    TransferPath,
    TransferChoice,
    /// A form whose focused field is text on one line, many lines, or a choice.
    Form(FieldContext),
}

/// The kind of form field with the cursor: each takes some keys the others leave to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldContext {
    Line,
    MultiLine,
    Choice,
    /// The small run-inputs form: Enter runs.
    RunInputs,
    /// A choice that names a record (a Credential's Token Payload): Enter opens it.
    Reference,
}

/// A key: its code and whether Ctrl is held (Shift is in the code: `G`, Shift-Tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    fn matches(&self, event: &KeyEvent) -> bool {
        self.code == event.code && self.ctrl == event.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// A row of the keymap: keys, each with its command, and how the help and footer write them.
#[derive(Debug, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [(Key, Command)],
    /// The keys as the help writes them.
    pub shown: &'static str,
    /// What the keys do, for the help.
    pub help: &'static str,
    /// The footer's short form, and its place there (lower first); None: help only.
    pub footer: Option<Hint>,
}

/// A footer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub rank: u8,
    pub key: &'static str,
    pub what: &'static str,
}

const fn hint(rank: u8, key: &'static str, what: &'static str) -> Option<Hint> {
    Some(Hint { rank, key, what })
}

/// The rows of a context, in the order dispatch tries them.
pub fn table(context: Context) -> Vec<&'static [Binding]> {
    let mut groups: Vec<&'static [Binding]> = vec![GLOBAL];
    groups.extend_from_slice(match context {
        Context::Main => &[
            PANES,
            LIST_MOVES,
            MAIN,
            RECORDS,
            RUNS,
            COPY_PAYLOAD,
            TRANSFER,
        ][..],
        Context::Filter => &[FILTER],
        Context::Find => &[FIND],
        Context::RecordDetail => &[
            RECORD_LINKS,
            RECORD_SCROLL,
            DETAIL_BACK,
            RECORD_DETAIL,
            COPY_PAYLOAD,
        ],
        Context::JobDetail => &[SCROLL, DETAIL_BACK, JOB_DETAIL, COPY_JOB, QUERY_JOB],
        Context::Variables => &[LIST_MOVES, DETAIL_BACK, VARIABLES],
        Context::Help => &[SCROLL, HELP],
        Context::Error => &[ERROR],
        Context::ConfirmDelete => &[CONFIRM_DELETE],
        Context::ConfirmQuit => &[CONFIRM_QUIT],
        Context::OfferTokenPayload => &[OFFER_TOKEN_PAYLOAD],
        Context::OfferReopenEditor => &[OFFER_REOPEN_EDITOR],
        Context::Login => &[LOGIN],
        Context::CopyMenu => &[COPY_MENU],
        Context::Query => &[QUERY],
        Context::QueryName => &[QUERY_NAME],
        Context::QueryTarget => &[QUERY_TARGET],
        Context::ConfirmCopySecret => &[CONFIRM_COPY_SECRET],
        Context::TransferPath => &[TRANSFER_PATH],
        Context::TransferChoice => &[TRANSFER_CHOICE],
        Context::Form(FieldContext::Line) => &[FORM, LINE_FIELD],
        Context::Form(FieldContext::MultiLine) => &[FORM, MULTI_LINE_FIELD],
        Context::Form(FieldContext::Choice) => &[FORM, CHOICE_FIELD],
        Context::Form(FieldContext::Reference) => &[FORM, REFERENCE_FIELD, CHOICE_PICK],
        Context::Form(FieldContext::RunInputs) => &[FORM, RUN_INPUTS],
    });
    groups
}

/// The command `key` is bound to in `context`; None leaves the key to a text field (or nothing).
pub fn command(context: Context, key: &KeyEvent) -> Option<Command> {
    table(context)
        .into_iter()
        .flatten()
        .flat_map(|b| b.keys.iter())
        .find(|(k, _)| k.matches(key))
        .map(|&(_, command)| command)
}

/// Where keys go now.
pub fn context(app: &App) -> Context {
    if let Some(overlay) = app.top_overlay() {
        return match overlay {
            Overlay::Help { .. } => Context::Help,
            Overlay::Error(_) => Context::Error,
            Overlay::ConfirmDelete { .. } => Context::ConfirmDelete,
            Overlay::ConfirmQuit { .. } => Context::ConfirmQuit,
            Overlay::OfferTokenPayload { .. } => Context::OfferTokenPayload,
            Overlay::OfferReopenEditor { .. } => Context::OfferReopenEditor,
            Overlay::Login { .. } => Context::Login,
            Overlay::Form(form) => Context::Form(form.field_context()),
            Overlay::CopyMenu(_) => Context::CopyMenu,
            Overlay::Query(line) if line.target.is_some() => Context::QueryTarget,
            Overlay::Query(line) if line.naming.is_some() => Context::QueryName,
            Overlay::Query(_) => Context::Query,
            Overlay::ConfirmCopySecret { .. } => Context::ConfirmCopySecret,
            Overlay::Transfer(prompt) => match prompt.step {
                crate::tui::transfer::Step::Path => Context::TransferPath,
                _ => Context::TransferChoice,
            },
        };
    }
    if app.filter_editing {
        return Context::Filter;
    }
    if app.find.editing && matches!(app.screen, Screen::JobDetail { .. }) {
        return Context::Find;
    }
    match app.screen {
        Screen::Main => Context::Main,
        Screen::RecordDetail { .. } => Context::RecordDetail,
        Screen::JobDetail { .. } => Context::JobDetail,
        Screen::Variables => Context::Variables,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Context; 25] = [
        Context::TransferPath,
        Context::TransferChoice,
        Context::Variables,
        Context::Login,
        Context::Query,
        Context::QueryName,
        Context::QueryTarget,
        Context::CopyMenu,
        Context::ConfirmCopySecret,
        Context::Main,
        Context::Filter,
        Context::Find,
        Context::RecordDetail,
        Context::JobDetail,
        Context::Help,
        Context::Error,
        Context::ConfirmDelete,
        Context::ConfirmQuit,
        Context::OfferTokenPayload,
        Context::OfferReopenEditor,
        Context::Form(FieldContext::Line),
        Context::Form(FieldContext::MultiLine),
        Context::Form(FieldContext::Choice),
        Context::Form(FieldContext::RunInputs),
        Context::Form(FieldContext::Reference),
    ];

    #[test]
    fn every_key_is_bound_once_per_context() {
        for context in ALL {
            let keys: Vec<Key> = table(context)
                .into_iter()
                .flatten()
                .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(key),
                    "{key:?} is bound twice in {context:?}"
                );
            }
        }
    }

    #[test]
    fn every_row_is_in_the_help() {
        // By value: the rows are consts, copied where used, so their addresses can differ (a row
        // equal to one in the help is shown there in the same words).
        let help: Vec<&Binding> = help_sections()
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .collect();
        for context in ALL {
            for row in table(context).into_iter().flatten() {
                assert!(
                    help.contains(&row),
                    "{} ({context:?}) is not in the help",
                    row.shown
                );
            }
        }
    }
}
