//! The terminal UI: app state, one message enum, update, view, widgets.
