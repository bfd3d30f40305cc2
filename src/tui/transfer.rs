//! `X` exports the selected Integration to a file and `I` imports one, as
//! `payloads export integration` / `payloads import` do: the prompt (path, then "with secrets?",
//! "overwrite?" or the conflict list), and the disk work the executor does off the UI thread
//! with the shared core in `crate::interchange::transfer`.

use super::app::{App, Overlay, Pane};
use super::keys::Command;
use super::message::{Action, Message};
use crate::interchange::transfer::{self as core, Rename};
use crate::workspace::WorkspaceStore;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};

/// The open transfer prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferPrompt {
    pub kind: TransferKind,
    /// The path typed so far.
    pub path: String,
    pub step: Step,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferKind {
    Export { integration: String },
    Import,
}

/// Where the prompt is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Typing the path.
    Path,
    /// Export: include the secrets? (no: `{{env.NAME}}` references)
    Secrets,
    /// Export: the file exists; replace it?
    Overwrite { with_secrets: bool },
    /// Import: these ids are taken; rename them?
    Conflicts(Vec<String>),
}

/// What the executor reports after a transfer.
#[derive(Debug, Clone)]
pub enum TransferOutcome {
    /// Export: written; the notes to show (the env names to set).
    Exported {
        path: PathBuf,
        notes: Vec<String>,
    },
    /// Export refused: the file exists.
    Exists {
        integration: String,
        path: PathBuf,
        with_secrets: bool,
    },
    /// Import: merged; the renames made and the store's copy afterwards.
    Imported {
        path: PathBuf,
        renames: Vec<Rename>,
        workspace: std::sync::Arc<crate::workspace::Workspace>,
    },
    /// Import refused: these ids are taken.
    Conflicts {
        path: PathBuf,
        conflicts: Vec<String>,
    },
    Failed(String),
}

impl App {
    /// `X` on the Integrations pane: ask where to write the selected Integration.
    pub(super) fn open_export(&mut self) {
        let integration = match self.focus {
            Pane::Integrations => self.selected_id(Pane::Integrations),
            _ => None,
        };
        let Some(integration) = integration else {
            self.note = Some("X exports the selected Integration (Integrations pane)".into());
            return;
        };
        let dir = Path::new(&self.workspace_label)
            .parent()
            .unwrap_or(Path::new(""));
        let path = dir
            .join(format!("{integration}.integration.ron"))
            .display()
            .to_string();
        self.overlays
            .push(Overlay::Transfer(Box::new(TransferPrompt {
                kind: TransferKind::Export { integration },
                path,
                step: Step::Path,
            })));
    }

    /// `I`: ask which export document to import.
    pub(super) fn open_import(&mut self) {
        if self.refuse_if_read_only("import: the records are saved to the file") {
            return;
        }
        self.overlays
            .push(Overlay::Transfer(Box::new(TransferPrompt {
                kind: TransferKind::Import,
                path: String::new(),
                step: Step::Path,
            })));
    }

    /// A key on the transfer prompt.
    pub(super) fn on_transfer_key(
        &mut self,
        mut prompt: Box<TransferPrompt>,
        command: Option<Command>,
        key: KeyEvent,
    ) -> Vec<Action> {
        let path = PathBuf::from(prompt.path.trim());
        match (&prompt.step, command, key.code) {
            (_, Some(Command::Dismiss), _)
            | (Step::Overwrite { .. } | Step::Conflicts(_), Some(Command::Submit), _) => {
                self.note = Some(match prompt.kind {
                    TransferKind::Export { .. } => "nothing was exported".into(),
                    TransferKind::Import => "nothing was imported".into(),
                });
                return vec![];
            }
            (Step::Path, Some(Command::Confirm), _) => {
                if prompt.path.trim().is_empty() {
                    self.note = Some("type a path first".into());
                } else if let TransferKind::Export { .. } = prompt.kind {
                    prompt.step = Step::Secrets;
                } else {
                    return vec![Action::Import {
                        path,
                        rename: false,
                    }];
                }
            }
            (Step::Path, _, KeyCode::Char('u'))
                if key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                prompt.path.clear();
            }
            (Step::Path, _, KeyCode::Backspace) => {
                prompt.path.pop();
            }
            (Step::Path, _, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.path.push(c);
            }
            (Step::Secrets, Some(Command::Confirm | Command::Submit), _) => {
                let with_secrets = command == Some(Command::Confirm);
                if let TransferKind::Export { integration } = prompt.kind {
                    return vec![Action::Export {
                        integration,
                        path,
                        with_secrets,
                        overwrite: false,
                    }];
                }
            }
            (Step::Overwrite { with_secrets }, Some(Command::Confirm), _) => {
                if let TransferKind::Export { integration } = &prompt.kind {
                    return vec![Action::Export {
                        integration: integration.clone(),
                        path,
                        with_secrets: *with_secrets,
                        overwrite: true,
                    }];
                }
            }
            (Step::Conflicts(_), Some(Command::Confirm), _) => {
                return vec![Action::Import { path, rename: true }];
            }
            _ => {}
        }
        self.overlays.push(Overlay::Transfer(prompt));
        vec![]
    }

    /// The executor's answer to an export or import.
    pub(super) fn on_transferred(&mut self, outcome: TransferOutcome) {
        match outcome {
            TransferOutcome::Exported { path, notes } => {
                let mut note = format!("exported to {}", path.display());
                for n in notes {
                    note.push_str("; ");
                    note.push_str(&n);
                }
                self.note = Some(note);
            }
            TransferOutcome::Exists {
                integration,
                path,
                with_secrets,
            } => self
                .overlays
                .push(Overlay::Transfer(Box::new(TransferPrompt {
                    kind: TransferKind::Export { integration },
                    path: path.display().to_string(),
                    step: Step::Overwrite { with_secrets },
                }))),
            TransferOutcome::Conflicts { path, conflicts } => {
                self.overlays
                    .push(Overlay::Transfer(Box::new(TransferPrompt {
                        kind: TransferKind::Import,
                        path: path.display().to_string(),
                        step: Step::Conflicts(conflicts),
                    })))
            }
            TransferOutcome::Imported {
                path,
                renames,
                workspace,
            } => {
                self.workspace = workspace;
                let mut note = format!("imported {}", path.display());
                for (kind, from, to) in renames {
                    note.push_str(&format!("; renamed {kind} {from} to {to}"));
                }
                self.note = Some(note);
            }
            TransferOutcome::Failed(e) => self.overlays.push(Overlay::Error(e)),
        }
    }
}

/// Writes the export document (run on a blocking thread): refuses an existing file unless
/// `overwrite`; mode 0600 when it holds secrets.
pub fn export(
    store: &WorkspaceStore,
    integration: String,
    path: PathBuf,
    with_secrets: bool,
    overwrite: bool,
) -> Message {
    let ws = store.snapshot();
    if ws.integration(&integration).is_none() {
        return done(TransferOutcome::Failed(format!(
            "There is no Integration {integration} any more."
        )));
    }
    let (document, notes) = core::extract(&ws, &integration, with_secrets);
    let text = crate::workspace::save::to_text(&document);
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    if with_secrets {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&path).and_then(|mut f| {
        use std::io::Write;
        // A replaced file keeps its mode: narrow it before a secret goes in.
        #[cfg(unix)]
        if with_secrets {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        f.write_all(text.as_bytes())
    });
    done(match written {
        Ok(()) => TransferOutcome::Exported { path, notes },
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => TransferOutcome::Exists {
            integration,
            path,
            with_secrets,
        },
        Err(e) => TransferOutcome::Failed(format!(
            "Could not write {}; nothing was exported.\n\n{e}",
            path.display()
        )),
    })
}

/// Reads the document and merges it through the store (run on a blocking thread); conflicts are
/// reported unless `rename`.
pub fn import(store: &WorkspaceStore, path: PathBuf, rename: bool) -> Message {
    let document = match core::read_document(&path) {
        Ok(doc) => doc,
        Err(e) => {
            return done(TransferOutcome::Failed(format!(
                "{e}\n\nNothing was imported."
            )));
        }
    };
    let ws = store.snapshot();
    let conflicts = core::conflicts(&ws, &document);
    if !conflicts.is_empty() && !rename {
        return done(TransferOutcome::Conflicts { path, conflicts });
    }
    let (document, renames) = if rename {
        core::rename_conflicts(&ws, document)
    } else {
        (document, Vec::new())
    };
    done(match store.update(|ws| core::merge_into(ws, &document)) {
        Ok(()) => TransferOutcome::Imported {
            path,
            renames,
            workspace: store.snapshot(),
        },
        Err(e) => TransferOutcome::Failed(format!("Nothing was imported: {e}")),
    })
}

fn done(outcome: TransferOutcome) -> Message {
    Message::Transferred(Box::new(outcome))
}
