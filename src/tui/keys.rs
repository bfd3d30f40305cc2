//! The one keymap: every key the TUI knows, bound once per context to a typed `Command`. Dispatch
//! (`command`), the footer (`footer`), the `?` help (`help_sections`) and the key lines inside
//! popups (`popup_rows`) all read these tables, so they cannot drift apart. A new feature adds a
//! `Command` variant and a row; the compiler then points at the `match` that carries it out.

use super::app::{App, Overlay, Pane, Screen};
use super::forms::FieldInput;
use super::scroll::Scroll;
use crate::workspace::{CredentialAuth, PayloadKind};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    /// `v`: the Variables view (each Variable, who reads it, who writes it).
    Variables,
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
}

/// A key: its code and whether Ctrl is held (Shift is in the code: `G`, Shift-Tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}
const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

impl Key {
    fn matches(&self, event: &KeyEvent) -> bool {
        self.code == event.code && self.ctrl == event.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// A row of the keymap: keys, each with its command, and how the help and footer write them.
#[derive(Debug)]
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
#[derive(Debug, Clone, Copy)]
pub struct Hint {
    pub rank: u8,
    pub key: &'static str,
    pub what: &'static str,
}

const fn hint(rank: u8, key: &'static str, what: &'static str) -> Option<Hint> {
    Some(Hint { rank, key, what })
}

use Command as C;

const PANES: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Tab), C::NextPane),
        (k(KeyCode::BackTab), C::PrevPane),
    ],
    shown: "Tab / Shift-Tab",
    help: "next / previous pane",
    footer: hint(10, "Tab", "pane"),
}];

const LIST_MOVES: &[Binding] = &[
    Binding {
        keys: &[
            (c('j'), C::Scroll(Scroll::Down)),
            (k(KeyCode::Down), C::Scroll(Scroll::Down)),
            (c('k'), C::Scroll(Scroll::Up)),
            (k(KeyCode::Up), C::Scroll(Scroll::Up)),
        ],
        shown: "j k / ↓ ↑",
        help: "move the selection",
        footer: hint(11, "j/k", "move"),
    },
    Binding {
        keys: &[
            (c('g'), C::Scroll(Scroll::Top)),
            (k(KeyCode::Home), C::Scroll(Scroll::Top)),
            (c('G'), C::Scroll(Scroll::Bottom)),
            (k(KeyCode::End), C::Scroll(Scroll::Bottom)),
        ],
        shown: "g / G",
        help: "first / last",
        footer: None,
    },
    Binding {
        keys: &[
            (k(KeyCode::PageUp), C::Scroll(Scroll::PageUp)),
            (k(KeyCode::PageDown), C::Scroll(Scroll::PageDown)),
        ],
        shown: "PgUp / PgDn",
        help: "a page up / down",
        footer: None,
    },
];

const MAIN: &[Binding] = &[
    Binding {
        keys: &[(k(KeyCode::Enter), C::Open)],
        shown: "Enter",
        help: "open the selection (Job detail, record detail)",
        footer: hint(30, "Enter", "open"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Back)],
        shown: "Esc",
        help: "back; clears the filter",
        footer: None,
    },
    Binding {
        keys: &[(c('/'), C::Filter)],
        shown: "/",
        help: "filter the pane (Enter keeps, Esc clears)",
        footer: hint(50, "/", "filter"),
    },
    Binding {
        keys: &[(c('?'), C::Help)],
        shown: "?",
        help: "this help",
        footer: None,
    },
    Binding {
        keys: &[(c('q'), C::Quit)],
        shown: "q",
        help: "quit (q closes a detail screen or popup first)",
        footer: hint(51, "q", "quit"),
    },
    Binding {
        keys: &[(c('v'), C::Variables)],
        shown: "v",
        help: "the Variables, who reads and who writes each",
        footer: hint(52, "v", "variables"),
    },
];

/// Ctrl-C works everywhere, forms included.
const GLOBAL: &[Binding] = &[Binding {
    keys: &[(ctrl('c'), C::Interrupt)],
    shown: "Ctrl-C",
    help: "quit now; Jobs cancelled (a changed form asks)",
    footer: None,
}];

const RECORDS: &[Binding] = &[
    Binding {
        keys: &[(c('n'), C::New)],
        shown: "n",
        help: "new Integration / Credential / Payload",
        footer: hint(31, "n", "new"),
    },
    Binding {
        keys: &[(c('e'), C::Edit)],
        shown: "e",
        help: "edit the selection",
        footer: hint(32, "e", "edit"),
    },
    Binding {
        keys: &[(c('D'), C::Duplicate)],
        shown: "D",
        help: "duplicate the selection",
        footer: hint(34, "D", "duplicate"),
    },
    Binding {
        keys: &[(c('d'), C::Delete)],
        shown: "d",
        help: "delete the selection (asks first)",
        footer: hint(33, "d", "delete"),
    },
    Binding {
        keys: &[(c('E'), C::OpenEditor)],
        shown: "E",
        help: "open the file in $EDITOR at the selection",
        footer: hint(60, "E", "$EDITOR"),
    },
];

const RUNS: &[Binding] = &[
    Binding {
        keys: &[(c('r'), C::Run)],
        shown: "r",
        help: "run the selected Payload (on a Job: run again)",
        footer: hint(20, "r", "run"),
    },
    Binding {
        keys: &[(c('R'), C::Refresh)],
        shown: "R",
        help: "refresh the selected Credential's token now",
        footer: hint(21, "R", "refresh token"),
    },
    Binding {
        keys: &[(c('L'), C::Login)],
        shown: "L",
        help: "log in for the selected Credential's tokens",
        footer: hint(23, "L", "log in"),
    },
    Binding {
        keys: &[(c('x'), C::CancelJob)],
        shown: "x",
        help: "cancel the selected running Job",
        footer: hint(19, "x", "cancel"),
    },
];

/// The keys of every scrollable view: detail screens and the help.
const SCROLL: &[Binding] = &[Binding {
    keys: &[
        (c('j'), C::Scroll(Scroll::Down)),
        (k(KeyCode::Down), C::Scroll(Scroll::Down)),
        (c('k'), C::Scroll(Scroll::Up)),
        (k(KeyCode::Up), C::Scroll(Scroll::Up)),
        (k(KeyCode::PageUp), C::Scroll(Scroll::PageUp)),
        (k(KeyCode::PageDown), C::Scroll(Scroll::PageDown)),
        (c(' '), C::Scroll(Scroll::PageDown)),
        (c('g'), C::Scroll(Scroll::Top)),
        (k(KeyCode::Home), C::Scroll(Scroll::Top)),
        (c('G'), C::Scroll(Scroll::Bottom)),
        (k(KeyCode::End), C::Scroll(Scroll::Bottom)),
    ],
    shown: "j k / PgUp PgDn / g G",
    help: "scroll (Space: a page down; Home / End)",
    footer: hint(11, "j/k PgUp/PgDn", "scroll"),
}];

const DETAIL_BACK: &[Binding] = &[
    Binding {
        keys: &[
            (k(KeyCode::Esc), C::Back),
            (c('q'), C::Back),
            (k(KeyCode::Backspace), C::Back),
        ],
        shown: "Esc / q",
        help: "back",
        footer: hint(1, "Esc", "back"),
    },
    Binding {
        keys: &[(c('?'), C::Help)],
        shown: "?",
        help: "this help",
        footer: None,
    },
];

const RECORD_DETAIL: &[Binding] = &[
    Binding {
        keys: &[(c('e'), C::Edit)],
        shown: "e",
        help: "edit the record (record detail)",
        footer: hint(12, "e", "edit"),
    },
    Binding {
        keys: &[(c('r'), C::Run)],
        shown: "r",
        help: "run it (a Payload)",
        footer: hint(20, "r", "run"),
    },
    Binding {
        keys: &[(c('R'), C::Refresh)],
        shown: "R",
        help: "refresh the token (a Bearer Token Credential)",
        footer: hint(21, "R", "refresh token"),
    },
    Binding {
        keys: &[(c('L'), C::Login)],
        shown: "L",
        help: "log in for the Credential's tokens",
        footer: hint(22, "L", "log in"),
    },
    Binding {
        keys: &[(c('E'), C::OpenEditor)],
        shown: "E",
        help: "open the file in $EDITOR at the record",
        footer: hint(60, "E", "$EDITOR"),
    },
];

const JOB_DETAIL: &[Binding] = &[
    Binding {
        keys: &[(c('x'), C::CancelJob)],
        shown: "x",
        help: "cancel the Job while it runs (Job detail)",
        footer: hint(22, "x", "cancel"),
    },
    Binding {
        keys: &[(c('l'), C::LinkedJob)],
        shown: "l",
        help: "jump to the linked Job (Job detail)",
        footer: hint(21, "l", "linked Job"),
    },
    Binding {
        keys: &[(c('/'), C::Find)],
        shown: "/",
        help: "find a text in the Job (Enter keeps, Esc clears)",
        footer: hint(15, "/", "find"),
    },
    Binding {
        keys: &[(c('n'), C::FindNext), (c('N'), C::FindPrev)],
        shown: "n / N",
        help: "next / previous row holding the text found",
        footer: hint(16, "n/N", "next/prev"),
    },
];

/// The Variables view: a list like a pane's, with its own records.
const VARIABLES: &[Binding] = &[
    Binding {
        keys: &[(c('n'), C::New)],
        shown: "n",
        help: "new Variable (Variables view)",
        footer: hint(31, "n", "new"),
    },
    Binding {
        keys: &[(c('e'), C::Edit), (k(KeyCode::Enter), C::Edit)],
        shown: "e / Enter",
        help: "edit the selected Variable",
        footer: hint(32, "e", "edit"),
    },
    Binding {
        keys: &[(c('d'), C::Delete)],
        shown: "d",
        help: "delete the selected Variable (asks first, naming who reads it)",
        footer: hint(33, "d", "delete"),
    },
];

const FIND: &[Binding] = &[
    Binding {
        keys: &[],
        shown: "type",
        help: "the text to find (case is ignored)",
        footer: hint(1, "type", "find"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::FilterKeep)],
        shown: "Enter",
        help: "keep it: n / N move between the rows holding it",
        footer: hint(2, "Enter", "keep"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::FilterClear)],
        shown: "Esc",
        help: "clear it",
        footer: hint(3, "Esc", "clear"),
    },
];

const FILTER: &[Binding] = &[
    Binding {
        keys: &[],
        shown: "type",
        help: "the text to filter by",
        footer: hint(1, "type", "filter"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::FilterKeep)],
        shown: "Enter",
        help: "keep the filter",
        footer: hint(2, "Enter", "keep"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::FilterClear)],
        shown: "Esc",
        help: "clear the filter",
        footer: hint(3, "Esc", "clear"),
    },
];

const HELP: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Esc), C::Dismiss),
        (c('?'), C::Dismiss),
        (c('q'), C::Dismiss),
        (k(KeyCode::Enter), C::Dismiss),
    ],
    shown: "Esc / ? / q",
    help: "close the help",
    footer: hint(1, "Esc", "close"),
}];

const ERROR: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Enter), C::Dismiss),
        (k(KeyCode::Esc), C::Dismiss),
        (c(' '), C::Dismiss),
        (c('q'), C::Dismiss),
    ],
    shown: "Enter / Esc / Space / q",
    help: "dismiss",
    footer: hint(1, "Enter/Esc/Space/q", "dismiss"),
}];

const CONFIRM_DELETE: &[Binding] = &[
    Binding {
        keys: &[(c('y'), C::Confirm), (c('Y'), C::Confirm)],
        shown: "y",
        help: "delete",
        footer: hint(1, "y", "delete"),
    },
    Binding {
        keys: &[
            (c('n'), C::Dismiss),
            (k(KeyCode::Esc), C::Dismiss),
            (c('q'), C::Dismiss),
        ],
        shown: "n / Esc",
        help: "keep it",
        footer: hint(2, "n/Esc", "keep it"),
    },
];

const CONFIRM_QUIT: &[Binding] = &[
    Binding {
        keys: &[(c('y'), C::Confirm), (c('Y'), C::Confirm)],
        shown: "y",
        help: "quit and cancel",
        footer: hint(1, "y", "quit, cancel Jobs"),
    },
    Binding {
        keys: &[
            (c('n'), C::Dismiss),
            (k(KeyCode::Esc), C::Dismiss),
            (c('q'), C::Dismiss),
        ],
        shown: "n / Esc",
        help: "stay",
        footer: hint(2, "n/Esc", "stay"),
    },
];

const OFFER_TOKEN_PAYLOAD: &[Binding] = &[
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm), (c('y'), C::Confirm)],
        shown: "Enter",
        help: "open it now",
        footer: hint(1, "Enter", "open it"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss), (c('n'), C::Dismiss)],
        shown: "Esc",
        help: "later",
        footer: hint(2, "Esc", "later"),
    },
];

const LOGIN: &[Binding] = &[
    Binding {
        keys: &[(c('x'), C::CancelJob)],
        shown: "x",
        help: "cancel the login",
        footer: hint(1, "x", "cancel the login"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss), (c('q'), C::Dismiss)],
        shown: "Esc",
        help: "hide this, keep waiting",
        footer: hint(2, "Esc", "hide, keep waiting"),
    },
];

const OFFER_REOPEN_EDITOR: &[Binding] = &[
    Binding {
        keys: &[
            (k(KeyCode::Enter), C::Confirm),
            (c('e'), C::Confirm),
            (c('E'), C::Confirm),
            (c('y'), C::Confirm),
        ],
        shown: "Enter / e",
        help: "reopen the editor",
        footer: hint(1, "Enter/e", "reopen the editor"),
    },
    Binding {
        keys: &[
            (k(KeyCode::Esc), C::Dismiss),
            (c('n'), C::Dismiss),
            (c('q'), C::Dismiss),
        ],
        shown: "Esc",
        help: "keep the last good state",
        footer: hint(2, "Esc", "keep last good"),
    },
];

const FORM: &[Binding] = &[
    Binding {
        keys: &[
            (k(KeyCode::Tab), C::NextField),
            (k(KeyCode::BackTab), C::PrevField),
        ],
        shown: "Tab / Shift-Tab",
        help: "next / previous field",
        footer: hint(3, "Tab", "next field"),
    },
    Binding {
        keys: &[(ctrl('r'), C::Reveal)],
        shown: "Ctrl-R",
        help: "reveal / hide a secret",
        footer: None,
    },
    Binding {
        keys: &[(ctrl('s'), C::Save)],
        shown: "Ctrl-S",
        help: "save",
        footer: hint(1, "Ctrl-S", "save"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::CancelForm)],
        shown: "Esc",
        help: "cancel (asks first when something was changed)",
        footer: hint(2, "Esc", "cancel"),
    },
];

/// One-line fields leave Enter and the arrows to the form.
const LINE_FIELD: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Enter), C::NextField),
        (k(KeyCode::Down), C::NextField),
        (k(KeyCode::Up), C::PrevField),
    ],
    shown: "Enter / ↓ ↑",
    help: "next / previous field (one-line fields)",
    footer: None,
}];

const CHOICE_FIELD: &[Binding] = &[
    Binding {
        keys: &[
            (k(KeyCode::Left), C::ChoosePrev),
            (c('h'), C::ChoosePrev),
            (k(KeyCode::Right), C::ChooseNext),
            (c('l'), C::ChooseNext),
            (c(' '), C::ChooseNext),
        ],
        shown: "← → / h l / Space",
        help: "pick a choice",
        footer: hint(4, "←/→", "choose"),
    },
    Binding {
        keys: &[
            (k(KeyCode::Enter), C::NextField),
            (k(KeyCode::Down), C::NextField),
            (c('j'), C::NextField),
            (k(KeyCode::Up), C::PrevField),
            (c('k'), C::PrevField),
        ],
        shown: "Enter / j k / ↓ ↑",
        help: "next / previous field (choices)",
        footer: None,
    },
];

/// The editing keys of every text field (the text input carries them out; listed for the help).
const TEXT_EDITING: &[Binding] = &[
    Binding {
        keys: &[],
        shown: "Ctrl-A Ctrl-E Home End",
        help: "start / end of the line",
        footer: None,
    },
    Binding {
        keys: &[],
        shown: "Alt-b / Alt-f",
        help: "a word back / forward",
        footer: None,
    },
    Binding {
        keys: &[],
        shown: "Ctrl-U / Ctrl-K",
        help: "delete to the start / end of the line",
        footer: None,
    },
    Binding {
        keys: &[],
        shown: "Ctrl-W / Alt-Backspace",
        help: "delete the word before the cursor",
        footer: None,
    },
];

const SECRET_HINT: Hint = Hint {
    rank: 4,
    key: "Ctrl-R",
    what: "reveal",
};

const MULTI_LINE_FIELD: &[Binding] = &[Binding {
    keys: &[],
    shown: "Enter",
    help: "a new line (multi-line fields)",
    footer: hint(4, "Enter", "new line"),
}];

const RUN_INPUTS: &[Binding] = &[
    Binding {
        keys: &[(k(KeyCode::Enter), C::Submit)],
        shown: "Enter",
        help: "run (the run-inputs form)",
        footer: hint(0, "Enter", "run"),
    },
    Binding {
        keys: &[
            (k(KeyCode::Down), C::NextField),
            (k(KeyCode::Up), C::PrevField),
        ],
        shown: "↓ ↑",
        help: "next / previous input",
        footer: None,
    },
];

/// The rows of a context, in the order dispatch tries them.
pub fn table(context: Context) -> Vec<&'static [Binding]> {
    let mut groups: Vec<&'static [Binding]> = vec![GLOBAL];
    groups.extend_from_slice(match context {
        Context::Main => &[PANES, LIST_MOVES, MAIN, RECORDS, RUNS][..],
        Context::Filter => &[FILTER],
        Context::Find => &[FIND],
        Context::RecordDetail => &[SCROLL, DETAIL_BACK, RECORD_DETAIL],
        Context::JobDetail => &[SCROLL, DETAIL_BACK, JOB_DETAIL],
        Context::Variables => &[LIST_MOVES, DETAIL_BACK, VARIABLES],
        Context::Help => &[SCROLL, HELP],
        Context::Error => &[ERROR],
        Context::ConfirmDelete => &[CONFIRM_DELETE],
        Context::ConfirmQuit => &[CONFIRM_QUIT],
        Context::OfferTokenPayload => &[OFFER_TOKEN_PAYLOAD],
        Context::OfferReopenEditor => &[OFFER_REOPEN_EDITOR],
        Context::Login => &[LOGIN],
        Context::Form(FieldContext::Line) => &[FORM, LINE_FIELD],
        Context::Form(FieldContext::MultiLine) => &[FORM, MULTI_LINE_FIELD],
        Context::Form(FieldContext::Choice) => &[FORM, CHOICE_FIELD],
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
        ("Variables", rows(&[VARIABLES])),
        (
            "In a form",
            rows(&[
                FORM,
                TEXT_EDITING,
                LINE_FIELD,
                MULTI_LINE_FIELD,
                CHOICE_FIELD,
                RUN_INPUTS,
            ]),
        ),
        ("An error", rows(&[ERROR])),
        ("Delete?", rows(&[CONFIRM_DELETE])),
        ("Quit? (Jobs running)", rows(&[CONFIRM_QUIT])),
        ("Token Payload created", rows(&[OFFER_TOKEN_PAYLOAD])),
        ("The file has errors", rows(&[OFFER_REOPEN_EDITOR])),
        ("Logging in", rows(&[LOGIN])),
        ("This help", rows(&[HELP])),
        (
            "Detail screens",
            rows(&[SCROLL, RECORD_DETAIL, JOB_DETAIL, DETAIL_BACK]),
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
        C::FindNext | C::FindPrev => app.find.active().is_some(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Context; 17] = [
        Context::Variables,
        Context::Login,
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
        let help: Vec<*const Binding> = help_sections()
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .map(|b| b as *const Binding)
            .collect();
        for context in ALL {
            for row in table(context).into_iter().flatten() {
                assert!(
                    help.contains(&(row as *const Binding)),
                    "{} ({context:?}) is not in the help",
                    row.shown
                );
            }
        }
    }
}
