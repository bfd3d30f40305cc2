//! The key rows of the screens: the main screen's panes and lists, the detail screens, the
//! filter and find lines, and Ctrl-C everywhere. A binding is a row here; `table` in `keys` says
//! which rows each context reads, and its tests check that no key is bound twice in a context
//! and that every row is in the help.

use super::{Binding, Command as C, Key, hint};
use crate::tui::scroll::Scroll;
use crossterm::event::KeyCode;

pub(super) const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
pub(super) const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}
pub(super) const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

pub(super) const PANES: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Tab), C::NextPane),
        (k(KeyCode::BackTab), C::PrevPane),
    ],
    shown: "Tab / Shift-Tab",
    help: "next / previous pane",
    footer: hint(10, "Tab", "pane"),
}];

pub(super) const LIST_MOVES: &[Binding] = &[
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

pub(super) const MAIN: &[Binding] = &[
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

/// The Variables view: a list like a pane's, with its own records.
pub(super) const VARIABLES: &[Binding] = &[
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

/// Ctrl-C works everywhere, forms included.
pub(super) const GLOBAL: &[Binding] = &[Binding {
    keys: &[(ctrl('c'), C::Interrupt)],
    shown: "Ctrl-C",
    help: "quit now; Jobs cancelled (a changed form asks)",
    footer: None,
}];

pub(super) const RECORDS: &[Binding] = &[
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

/// Integrations out to a file and in from one.
pub(super) const TRANSFER: &[Binding] = &[
    Binding {
        keys: &[(c('X'), C::Export)],
        shown: "X",
        help: "export the selected Integration to a file",
        footer: hint(62, "X", "export"),
    },
    Binding {
        keys: &[(c('I'), C::Import)],
        shown: "I",
        help: "import an exported Integration from a file",
        footer: hint(63, "I", "import"),
    },
];

pub(super) const RUNS: &[Binding] = &[
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
pub(super) const SCROLL: &[Binding] = &[Binding {
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

/// A record's detail: j / k move between the records it names (its Token Payload, what uses
/// it), Enter opens one; the other scroll keys scroll.
pub(super) const RECORD_LINKS: &[Binding] = &[
    Binding {
        keys: &[
            (c('j'), C::NextLink),
            (k(KeyCode::Down), C::NextLink),
            (c('k'), C::PrevLink),
            (k(KeyCode::Up), C::PrevLink),
        ],
        shown: "j k / ↓ ↑",
        help: "the next / previous record named (record detail; a scroll when none is)",
        footer: hint(11, "j/k", "select"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::FollowLink)],
        shown: "Enter",
        help: "open the record selected; Esc comes back",
        footer: hint(10, "Enter", "open"),
    },
];

pub(super) const RECORD_SCROLL: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::PageUp), C::Scroll(Scroll::PageUp)),
        (k(KeyCode::PageDown), C::Scroll(Scroll::PageDown)),
        (c(' '), C::Scroll(Scroll::PageDown)),
        (c('g'), C::Scroll(Scroll::Top)),
        (k(KeyCode::Home), C::Scroll(Scroll::Top)),
        (c('G'), C::Scroll(Scroll::Bottom)),
        (k(KeyCode::End), C::Scroll(Scroll::Bottom)),
    ],
    shown: "PgUp PgDn / g G",
    help: "scroll (record detail; Space: a page down)",
    footer: hint(13, "PgUp/PgDn", "scroll"),
}];

pub(super) const DETAIL_BACK: &[Binding] = &[
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

pub(super) const RECORD_DETAIL: &[Binding] = &[
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

pub(super) const JOB_DETAIL: &[Binding] = &[
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

pub(super) const FIND: &[Binding] = &[
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

pub(super) const FILTER: &[Binding] = &[
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

/// `y` on a Payload (list pane, record detail).
pub(super) const COPY_PAYLOAD: &[Binding] = &[Binding {
    keys: &[(c('y'), C::Copy)],
    shown: "y",
    help: "copy the selected Payload as a curl command (secrets as $VARIABLES)",
    footer: hint(55, "y", "copy curl"),
}];

pub(super) const COPY_JOB: &[Binding] = &[
    Binding {
        keys: &[(c('y'), C::Copy)],
        shown: "y",
        help: "copy the response body (Job detail)",
        footer: hint(17, "y", "copy body"),
    },
    Binding {
        keys: &[(c('Y'), C::CopyMenu)],
        shown: "Y",
        help: "copy…: body, request as curl, URL, a value, the token",
        footer: hint(25, "Y", "copy…"),
    },
];

/// `J` in the Job detail.
pub(super) const QUERY_JOB: &[Binding] = &[Binding {
    keys: &[(c('J'), C::Query)],
    shown: "J",
    help: "query the JSON body with a JSONPath; keep it as a response value",
    footer: hint(26, "J", "JSONPath"),
}];
