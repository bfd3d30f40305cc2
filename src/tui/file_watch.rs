//! Noticing outside edits to the workspace file: a cheap stat poll off the UI thread, then a
//! reload through the store, reported to the UI as a `FileCheck`.

use super::app::BrokenFile;
use super::message::{FileCheck, Message};
use crate::workspace::WorkspaceStore;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How often the file is looked at: changes show within about a second.
pub const POLL: Duration = Duration::from_millis(400);

/// Whether the file was broken when last checked, shared by the watcher and the check after the
/// editor: an unchanged file is news only when it was broken before (put back as it was).
/// Also holds the watcher back while the user's editor has the file: the check after the editor
/// reports those edits as the user's ("loaded your edits"), not as a change from outside.
#[derive(Debug, Clone, Default)]
pub struct LastCheck(Arc<AtomicBool>, Arc<AtomicBool>);

impl LastCheck {
    /// The editor is about to open: the watcher stays quiet until `resume`.
    pub fn pause(&self) {
        self.1.store(true, Ordering::SeqCst);
    }

    /// The check after the editor is done: the watcher looks again.
    pub fn resume(&self) {
        self.1.store(false, Ordering::SeqCst);
    }

    fn paused(&self) -> bool {
        self.1.load(Ordering::SeqCst)
    }
}

/// Reads the file again (blocking): what it holds now, as the UI needs to hear it.
pub fn check(store: &WorkspaceStore, last: &LastCheck) -> FileCheck {
    let outcome = match store.reload() {
        Ok(true) => FileCheck::Loaded(store.snapshot()),
        Ok(false) => FileCheck::Unchanged,
        Err(diagnostics) => FileCheck::Broken(BrokenFile::from_diagnostics(&diagnostics)),
    };
    last.0
        .store(matches!(outcome, FileCheck::Broken(_)), Ordering::SeqCst);
    outcome
}

/// Polls the file's size, time and inode every `POLL` (editors that save by writing a new file
/// and renaming it change the inode); on a change, reloads and sends `Message::FileChecked`.
/// Ends when the UI's channel closes.
pub fn spawn_watcher(
    store: Arc<WorkspaceStore>,
    last: LastCheck,
    messages: UnboundedSender<Message>,
) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(POLL);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if messages.is_closed() {
                break;
            }
            let store = store.clone();
            let last = last.clone();
            let outcome = tokio::task::spawn_blocking(move || {
                if last.paused() || !store.is_stale() {
                    return None;
                }
                let was_broken = last.0.load(Ordering::SeqCst);
                match check(&store, &last) {
                    // A stat that raced our own save, or a touch: nothing to say.
                    FileCheck::Unchanged if !was_broken => None,
                    outcome => Some(outcome),
                }
            })
            .await;
            let Ok(Some(outcome)) = outcome else {
                continue;
            };
            let message = Message::FileChecked {
                outcome,
                after_editor: false,
            };
            if messages.send(message).is_err() {
                break;
            }
        }
    });
}
