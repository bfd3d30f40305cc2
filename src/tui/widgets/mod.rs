//! Reusable widgets: the text input wrapper for single-line, multi-line and secret fields.

pub mod text_input;

pub use text_input::{InputKind, TextInput};
