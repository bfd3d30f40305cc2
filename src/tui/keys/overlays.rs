//! The key rows of the windows on top of a screen: the help, the error and confirmation popups,
//! the login, and the forms (by the kind of field with the cursor). A binding is a row here;
//! `table` in `keys` says which rows each context reads.

use super::{Binding, Command as C, hint};
use crossterm::event::KeyCode;

use super::screens::{c, ctrl, k};
use crate::tui::scroll::Scroll;

pub(super) const HELP: &[Binding] = &[Binding {
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

pub(super) const ERROR: &[Binding] = &[Binding {
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

pub(super) const CONFIRM_DELETE: &[Binding] = &[
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

pub(super) const CONFIRM_QUIT: &[Binding] = &[
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

pub(super) const OFFER_TOKEN_PAYLOAD: &[Binding] = &[
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

pub(super) const LOGIN: &[Binding] = &[
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

pub(super) const OFFER_REOPEN_EDITOR: &[Binding] = &[
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

pub(super) const FORM: &[Binding] = &[
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
        keys: &[(ctrl('o'), C::Discover)],
        shown: "Ctrl-O",
        help: "fill a Credential's endpoints from its issuer's discovery metadata",
        footer: hint(6, "Ctrl-O", "discover"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::CancelForm)],
        shown: "Esc",
        help: "cancel (asks first when something was changed)",
        footer: hint(2, "Esc", "cancel"),
    },
];

/// One-line fields leave Enter and the arrows to the form.
pub(super) const LINE_FIELD: &[Binding] = &[Binding {
    keys: &[
        (k(KeyCode::Enter), C::NextField),
        (k(KeyCode::Down), C::NextField),
        (k(KeyCode::Up), C::PrevField),
    ],
    shown: "Enter / ↓ ↑",
    help: "next / previous field (one-line fields)",
    footer: None,
}];

pub(super) const CHOICE_FIELD: &[Binding] = &[
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

/// A choice's ←/→ alone, for the fields that take Enter for something else.
pub(super) const CHOICE_PICK: &[Binding] = CHOICE_FIELD.split_at(1).0;

/// A choice naming a record (a Credential's Token Payload): Enter opens it, over the form,
/// which Esc comes back to as it was left.
pub(super) const REFERENCE_FIELD: &[Binding] = &[
    Binding {
        keys: &[(k(KeyCode::Enter), C::FollowLink)],
        shown: "Enter",
        help: "open the record a field names (Token Payload, Credential); Esc comes back to the form",
        footer: hint(5, "Enter", "open it"),
    },
    Binding {
        keys: &[
            (k(KeyCode::Down), C::NextField),
            (c('j'), C::NextField),
            (k(KeyCode::Up), C::PrevField),
            (c('k'), C::PrevField),
        ],
        shown: "j k / ↓ ↑",
        help: "next / previous field (a field naming a record)",
        footer: None,
    },
];

/// The editing keys of every text field (the text input carries them out; listed for the help).
pub(super) const TEXT_EDITING: &[Binding] = &[
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

pub(super) const MULTI_LINE_FIELD: &[Binding] = &[Binding {
    keys: &[],
    shown: "Enter",
    help: "a new line (multi-line fields)",
    footer: hint(4, "Enter", "new line"),
}];

pub(super) const RUN_INPUTS: &[Binding] = &[
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

pub(super) const COPY_MENU: &[Binding] = &[
    Binding {
        keys: &[
            (c('j'), C::Scroll(Scroll::Down)),
            (k(KeyCode::Down), C::Scroll(Scroll::Down)),
            (c('k'), C::Scroll(Scroll::Up)),
            (k(KeyCode::Up), C::Scroll(Scroll::Up)),
        ],
        shown: "j k / ↓ ↑",
        help: "pick what to copy",
        footer: hint(2, "j/k", "pick"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm), (c('y'), C::Confirm)],
        shown: "Enter",
        help: "copy it",
        footer: hint(1, "Enter", "copy"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss), (c('q'), C::Dismiss)],
        shown: "Esc",
        help: "close",
        footer: hint(3, "Esc", "close"),
    },
];

pub(super) const CONFIRM_COPY_SECRET: &[Binding] = &[
    Binding {
        keys: &[(c('y'), C::Confirm)],
        shown: "y",
        help: "copy the token",
        footer: hint(1, "y", "copy the token"),
    },
    Binding {
        keys: &[
            (k(KeyCode::Esc), C::Dismiss),
            (c('n'), C::Dismiss),
            (c('q'), C::Dismiss),
        ],
        shown: "n / Esc",
        help: "do not copy it",
        footer: hint(2, "n/Esc", "do not copy"),
    },
];

/// The JSONPath query line; typed characters go to the path.
pub(super) const QUERY: &[Binding] = &[
    Binding {
        keys: &[],
        shown: "type",
        help: "a JSONPath (RFC 9535)",
        footer: hint(3, "type", "JSONPath"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm)],
        shown: "Enter",
        help: "add as a response value",
        footer: hint(1, "Enter", "add as response value"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss)],
        shown: "Esc",
        help: "close",
        footer: hint(2, "Esc", "close"),
    },
];

/// Naming the response value the query becomes.
pub(super) const QUERY_NAME: &[Binding] = &[
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm)],
        shown: "Enter",
        help: "save the value under the name typed",
        footer: hint(1, "Enter", "save"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss)],
        shown: "Esc",
        help: "back to the path",
        footer: hint(2, "Esc", "back to the path"),
    },
];

/// Choosing where the new value is also written (a Data Target), or nowhere.
pub(super) const QUERY_TARGET: &[Binding] = &[
    Binding {
        keys: &[
            (k(KeyCode::Down), C::Scroll(Scroll::Down)),
            (k(KeyCode::Up), C::Scroll(Scroll::Up)),
        ],
        shown: "↓ ↑",
        help: "pick a Data Target",
        footer: hint(3, "↓/↑", "pick"),
    },
    Binding {
        keys: &[],
        shown: "type",
        help: "a new Variable's name",
        footer: hint(4, "type", "new Variable"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm)],
        shown: "Enter",
        help: "save with the target picked",
        footer: hint(1, "Enter", "save"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss)],
        shown: "Esc",
        help: "back to the name",
        footer: hint(2, "Esc", "back to the name"),
    },
];

/// Typing the path of an export or import.
pub(super) const TRANSFER_PATH: &[Binding] = &[
    Binding {
        keys: &[],
        shown: "type",
        help: "the file's path (or paste it)",
        footer: hint(3, "type", "path"),
    },
    Binding {
        keys: &[],
        shown: "Ctrl-U",
        help: "clear the path",
        footer: hint(4, "Ctrl-U", "clear"),
    },
    Binding {
        keys: &[(k(KeyCode::Enter), C::Confirm)],
        shown: "Enter",
        help: "use this path",
        footer: hint(1, "Enter", "ok"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss)],
        shown: "Esc",
        help: "cancel",
        footer: hint(2, "Esc", "cancel"),
    },
];

/// A yes/no of an export or import: include secrets, overwrite, rename the conflicts.
pub(super) const TRANSFER_CHOICE: &[Binding] = &[
    Binding {
        keys: &[(c('y'), C::Confirm)],
        shown: "y",
        help: "yes (to the question asked)",
        footer: hint(1, "y", "yes"),
    },
    Binding {
        keys: &[(c('n'), C::Submit), (k(KeyCode::Enter), C::Submit)],
        shown: "n / Enter",
        help: "no",
        footer: hint(2, "n/Enter", "no"),
    },
    Binding {
        keys: &[(k(KeyCode::Esc), C::Dismiss)],
        shown: "Esc",
        help: "cancel",
        footer: hint(3, "Esc", "cancel"),
    },
];
