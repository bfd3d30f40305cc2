//! Styles. Every meaning carried by colour is also carried by a symbol, a border or a modifier,
//! so the screen reads the same with 16 colours and with `NO_COLOR`.

use crate::jobs::JobStatus;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    colour: bool,
}

impl Theme {
    pub fn new(colour: bool) -> Theme {
        Theme { colour }
    }

    fn fg(&self, colour: Color) -> Style {
        if self.colour {
            Style::default().fg(colour)
        } else {
            Style::default()
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn border_type(&self, focused: bool) -> BorderType {
        if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        }
    }

    pub fn title(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        }
    }

    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn label(&self) -> Style {
        self.fg(Color::Blue)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// A text found with `/`: reversed, so it shows without colour too.
    pub fn found(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::REVERSED)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn status(&self, status: JobStatus) -> Style {
        match status {
            JobStatus::Queued | JobStatus::Running => self.fg(Color::Yellow),
            JobStatus::Succeeded => self.fg(Color::Green),
            JobStatus::Failed => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            JobStatus::Cancelled => self.fg(Color::Magenta),
        }
    }
}

/// The mark in front of a Job's status, readable without colour.
pub fn status_symbol(status: JobStatus, spinner: usize) -> &'static str {
    const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    match status {
        JobStatus::Queued => "…",
        JobStatus::Running => SPINNER[spinner % SPINNER.len()],
        JobStatus::Succeeded => "✓",
        JobStatus::Failed => "✗",
        JobStatus::Cancelled => "⊘",
    }
}
