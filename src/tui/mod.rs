//! The terminal UI: app state, one message enum, update, view, widgets.

pub mod app;
pub mod ascii;
pub mod copy;
pub mod edits;
pub mod event_loop;
pub mod file_watch;
pub mod find;
pub mod forms;
pub mod jobs_data;
pub mod keys;
pub mod lines;
mod links;
pub mod message;
pub mod query;
pub mod runtime;
pub mod scroll;
pub mod terminal;
pub mod theme;
pub mod transfer;
pub mod update;
mod update_copy;
mod update_file;
mod update_overlays;
mod update_runs;
pub mod view;
pub mod widgets;

pub use app::{App, BrokenFile, Overlay, Pane, Screen};
pub use message::{Action, EditorTarget, FileCheck, Message};
pub use view::view;
