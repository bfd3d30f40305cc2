//! One text input for every field: single-line, multi-line and secret (masked until revealed),
//! wrapping `ratatui_textarea` so forms never touch its API directly.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui_textarea::{CursorMove, TextArea};

const MASK: char = '•';
/// A hidden secret always shows as this many dots, whatever its length.
const MASK_WIDTH: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    SingleLine,
    MultiLine,
    Secret,
}

#[derive(Debug, Clone)]
pub struct TextInput {
    area: TextArea<'static>,
    kind: InputKind,
    revealed: bool,
    focused: bool,
}

impl TextInput {
    pub fn new(kind: InputKind, value: &str) -> TextInput {
        let lines: Vec<String> = match kind {
            InputKind::MultiLine => value.lines().map(str::to_string).collect(),
            _ => vec![value.replace(['\n', '\r'], " ")],
        };
        let mut area = TextArea::new(lines);
        area.set_cursor_line_style(Style::default());
        // Single lines are usually added to; multi-line text is read from the top.
        if kind != InputKind::MultiLine {
            area.move_cursor(CursorMove::End);
        }
        let mut input = TextInput {
            area,
            kind,
            revealed: false,
            focused: false,
        };
        input.apply_mask();
        input.set_focused(false);
        input
    }

    /// Grey text shown while the input is empty: an example, never a value.
    pub fn set_placeholder(&mut self, text: &str) {
        self.area.set_placeholder_text(text);
    }

    pub fn kind(&self) -> InputKind {
        self.kind
    }

    pub fn is_multiline(&self) -> bool {
        self.kind == InputKind::MultiLine
    }

    pub fn is_secret(&self) -> bool {
        self.kind == InputKind::Secret
    }

    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// The text as entered; single-line fields are trimmed of surrounding spaces.
    pub fn value(&self) -> String {
        match self.kind {
            InputKind::MultiLine => self.area.lines().join("\n"),
            _ => self.area.lines().join(" ").trim().to_string(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }

    pub fn toggle_reveal(&mut self) {
        if self.is_secret() {
            self.revealed = !self.revealed;
            self.apply_mask();
        }
    }

    fn apply_mask(&mut self) {
        if self.is_secret() && !self.revealed {
            self.area.set_mask_char(MASK);
        } else {
            self.area.clear_mask_char();
        }
    }

    /// Only the focused input shows a cursor.
    pub fn set_focused(&mut self, focused: bool) {
        self.focused = focused;
        self.area.set_cursor_style(if focused {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        });
    }

    /// Feeds a key to the text; returns false for keys a single-line input does not take
    /// (Enter, Up, Down), so the form can use them to move between fields.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        if !self.is_multiline() && matches!(key.code, KeyCode::Enter | KeyCode::Up | KeyCode::Down)
        {
            return false;
        }
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab | KeyCode::Esc) {
            return false;
        }
        // Ctrl-M arrives as Enter in some terminals; a single line never takes a newline.
        if !self.is_multiline()
            && key.modifiers.contains(KeyModifiers::CONTROL)
            && key.code == KeyCode::Char('m')
        {
            return false;
        }
        // The shell's Ctrl-U (delete to the start of the line); the text area would undo.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('u') {
            self.area.delete_line_by_head();
            return true;
        }
        self.area.input(key);
        true
    }

    /// Inserts pasted text at the cursor. A single line takes its line breaks as spaces (a
    /// copied token often ends in one); a text area keeps them.
    pub fn paste(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if self.is_multiline() {
            self.area.insert_str(text);
        } else {
            let line = text.trim_end_matches('\n').replace('\n', " ");
            self.area.insert_str(line);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        if self.is_secret() && !self.revealed {
            // The text area would draw one dot per character: that tells the secret's length.
            frame.render_widget(self.masked_line(), area);
            return;
        }
        if self.is_multiline() && !self.focused && !self.value().is_empty() {
            frame.render_widget(
                ratatui::widgets::Paragraph::new(self.preview(area.height)),
                area,
            );
            return;
        }
        frame.render_widget(&self.area, area);
    }

    /// Multi-line text out of focus: its first lines, whatever was scrolled to while editing,
    /// and how many more there are when they do not all fit.
    fn preview(&self, height: u16) -> Vec<Line<'static>> {
        let lines = self.area.lines();
        let height = usize::from(height.max(1));
        if lines.len() <= height {
            return lines.iter().map(|l| Line::raw(l.clone())).collect();
        }
        let mut shown: Vec<Line<'static>> = lines[..height - 1]
            .iter()
            .map(|l| Line::raw(l.clone()))
            .collect();
        let more = lines.len() - (height - 1);
        shown.push(Line::styled(
            format!("… {more} more line{}", if more == 1 { "" } else { "s" }),
            Style::default().add_modifier(Modifier::DIM),
        ));
        shown
    }

    fn masked_line(&self) -> Line<'static> {
        let empty = self.area.lines().iter().all(|l| l.is_empty());
        let mut spans = vec![];
        if !empty {
            spans.push(Span::raw(MASK.to_string().repeat(MASK_WIDTH)));
        }
        if self.focused {
            spans.push(Span::styled(
                " ",
                Style::default().add_modifier(Modifier::REVERSED),
            ));
        }
        if empty && !self.focused {
            spans.push(Span::styled(
                self.area.placeholder_text().to_string(),
                self.area.placeholder_style().unwrap_or_default(),
            ));
        }
        Line::from(spans)
    }
}
