//! `App::update`: every Message in, the Actions for the event loop out. Pure: no IO, no clock.
//! This file dispatches keys and keeps the records (forms, edits); the runs are in `update_runs`,
//! the popups in `update_overlays`, the workspace file and the editor in `update_file`.

use super::app::{App, Overlay, Pane, Screen};
use super::edits::{self, Edit, RecordKind};
use super::find::{self, Find};
use super::forms::{self, Form};
use super::keys::{self, Command, Context, FieldContext};
use super::message::{Action, Message};
use super::scroll::ScrollState;
use crate::workspace::Workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::Arc;

impl App {
    pub fn update(&mut self, message: Message) -> Vec<Action> {
        let mut actions = self.handle(message);
        actions.extend(self.data_requests());
        actions
    }

    fn handle(&mut self, message: Message) -> Vec<Action> {
        match message {
            Message::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    return vec![];
                }
                if keys::command(keys::context(self), &key) == Some(Command::Interrupt) {
                    // Typed input is not lost to one Ctrl-C: a changed form asks first.
                    if let Some(Overlay::Form(form)) = self.overlays.last_mut()
                        && form.ask_before_interrupt()
                    {
                        return vec![];
                    }
                    // An interrupt does not ask: running Jobs are cancelled and recorded as such.
                    self.quit = true;
                    return vec![Action::CancelAll, Action::Interrupt];
                }
                self.note = None;
                // A quick Esc then a key arrives as Alt+key: take it as the two keys it was.
                // In a text field Alt-b / Alt-f / Alt-d are the shell's word keys.
                let word_key = matches!(key.code, KeyCode::Char('b' | 'f' | 'd'))
                    && matches!(
                        keys::context(self),
                        Context::Form(FieldContext::Line | FieldContext::MultiLine)
                    );
                if key.modifiers.contains(KeyModifiers::ALT)
                    && !word_key
                    && let KeyCode::Char(_) = key.code
                {
                    let mut actions = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                    if !self.quit {
                        let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
                        actions.extend(self.on_key(plain));
                    }
                    return actions;
                }
                self.on_key(key)
            }
            Message::Paste(text) => {
                self.on_paste(&text);
                vec![]
            }
            Message::Resize { width, height } => {
                self.size = (width, height);
                vec![]
            }
            Message::Tick(now) => {
                self.now = now;
                self.spinner = self.spinner.wrapping_add(1);
                vec![]
            }
            Message::Run(event) => {
                if event.job.status.is_finished() {
                    let id = event.job.id.clone();
                    self.overlays
                        .retain(|o| !matches!(o, Overlay::Login { job_id, .. } if *job_id == id));
                }
                self.on_run_event(*event);
                vec![]
            }
            Message::Saved { result, workspace } => {
                self.pending_saves = self.pending_saves.saturating_sub(1);
                self.workspace = workspace;
                match result {
                    Ok(()) => self.note = Some(format!("saved {}", self.workspace_label)),
                    Err(e) => self.overlays.push(Overlay::Error(format!(
                        "Could not save the workspace; the change was not kept.\n\n{e}"
                    ))),
                }
                vec![]
            }
            Message::Transferred(outcome) => {
                self.on_transferred(*outcome);
                vec![]
            }
            Message::Reloaded(workspace) => {
                // The store just read or wrote the file, so it loads again.
                if self.broken.take().is_some() {
                    self.note = Some("the file loads again: editable".into());
                }
                self.workspace = workspace;
                vec![]
            }
            Message::LoginPrompt { job_id, prompt } => {
                // Shown only while its login still runs (the prompt may come after a cancel).
                if self.job(&job_id).is_none_or(|j| !j.status.is_finished()) {
                    self.overlays.push(Overlay::Login { job_id, prompt });
                }
                vec![]
            }
            Message::ActionFailed(reason) | Message::HistoryFailed(reason) => {
                self.overlays.push(Overlay::Error(reason));
                vec![]
            }
            Message::JobsQueried { query, rows, size } => {
                self.on_jobs_queried(query, rows, size);
                vec![]
            }
            Message::JobLoaded { id, job } => {
                self.on_job_loaded(id, job.map(|j| j.map(|j| *j)));
                vec![]
            }
            Message::Discovered { issuer, result } => {
                self.on_discovered(issuer, result);
                vec![]
            }
            Message::PayloadStats { payload, stats } => {
                self.on_payload_stats(payload, stats.map(|s| *s));
                vec![]
            }
            Message::FileChecked {
                outcome,
                after_editor,
            } => {
                self.on_file_checked(outcome, after_editor);
                vec![]
            }
            Message::EditorClosed(result) => self.on_editor_closed(result),
        }
    }

    /// A paste goes whole into the field being typed in, never key by key: a newline in it
    /// would otherwise move on to the next field (or, outside a form, press Enter).
    fn on_paste(&mut self, text: &str) {
        if let Some(Overlay::Form(form)) = self.overlays.last_mut() {
            if !form.paste(text) {
                self.note = Some("paste into a text field: this one is a choice".into());
            } else if form.focused().key == forms::FieldKey::Curl {
                // A pasted curl command fills the form at once.
                forms::payload::read_curl(form, &self.workspace);
            }
        } else if let Some(Overlay::Transfer(prompt)) = self.overlays.last_mut()
            && prompt.step == super::transfer::Step::Path
        {
            prompt.path.push_str(text.replace(['\r', '\n'], "").trim());
        } else if self.overlays.is_empty() && self.filter_editing {
            let one_line = text.replace(['\r', '\n'], " ");
            self.filters[self.focus.index()].push_str(one_line.trim());
        } else {
            self.note =
                Some("nothing to paste into here: paste in a form field or the / filter".into());
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Action> {
        let context = keys::context(self);
        let command = keys::command(context, &key);
        match context {
            Context::Filter => {
                self.on_filter_key(command, key);
                vec![]
            }
            Context::Find => {
                self.on_find_key(command, key);
                vec![]
            }
            Context::Main | Context::RecordDetail | Context::JobDetail | Context::Variables => {
                match command {
                    Some(command) => self.on_screen_command(context, command),
                    None => vec![],
                }
            }
            Context::Help
            | Context::Error
            | Context::ConfirmDelete
            | Context::ConfirmQuit
            | Context::OfferTokenPayload
            | Context::OfferReopenEditor
            | Context::Login
            | Context::CopyMenu
            | Context::ConfirmCopySecret
            | Context::Query
            | Context::QueryName
            | Context::TransferPath
            | Context::TransferChoice
            | Context::QueryTarget
            | Context::Form(_) => self.on_overlay_key(command, key),
        }
    }

    fn on_filter_key(&mut self, command: Option<Command>, key: KeyEvent) {
        let filter = &mut self.filters[self.focus.index()];
        match (command, key.code) {
            (Some(Command::FilterKeep), _) => self.filter_editing = false,
            (Some(Command::FilterClear), _) => {
                filter.clear();
                self.filter_editing = false;
            }
            (_, KeyCode::Backspace) => {
                filter.pop();
            }
            (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                filter.push(c)
            }
            _ => {}
        }
    }

    fn on_find_key(&mut self, command: Option<Command>, key: KeyEvent) {
        match (command, key.code) {
            (Some(Command::FilterKeep), _) => self.find.editing = false,
            (Some(Command::FilterClear), _) => self.find = Find::default(),
            (_, KeyCode::Backspace) => {
                self.find.query.pop();
            }
            (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.find.query.push(c);
                // Found as typed: the first row holding it from where the view is.
                self.find_move(true, true);
            }
            _ => {}
        }
    }

    /// Scrolls the Job detail to the next (or previous) row holding the text found, in the rows
    /// the last draw cut (the view's rows, so a match is where the screen shows it).
    fn find_move(&mut self, forward: bool, inclusive: bool) {
        let Some(query) = self.find.active().map(str::to_string) else {
            self.note = Some("/ finds a text first; n / N then move between its rows".into());
            return;
        };
        let Screen::JobDetail { job_id, .. } = &self.screen else {
            return;
        };
        let Some(rows) = super::view::rows::cached_job_rows(self, job_id) else {
            return;
        };
        let matches = find::matching_rows(&rows, &query);
        let Screen::JobDetail { scroll, .. } = &mut self.screen else {
            return;
        };
        match find::next_match(&matches, scroll.top(), forward, inclusive) {
            Some(row) => {
                scroll.show(row);
                let at = matches.iter().position(|&m| m == row).unwrap_or(0) + 1;
                self.note = Some(format!("/{query}: row {at} of {}", matches.len()));
            }
            None => self.note = Some(format!("/{query}: not in this Job")),
        }
    }

    /// A command on the main screen or a detail screen (the keymap says which apply where).
    fn on_screen_command(&mut self, context: Context, command: Command) -> Vec<Action> {
        let pane = self.focus;
        match command {
            Command::Scroll(step) => match &mut self.screen {
                Screen::Main => self.scroll_selection(pane, step),
                Screen::Variables => self.scroll_variables(step),
                Screen::RecordDetail { scroll, .. } | Screen::JobDetail { scroll, .. } => {
                    scroll.scroll(step)
                }
            },
            Command::NextPane => self.focus = pane.next(),
            Command::PrevPane => self.focus = pane.prev(),
            Command::Open => self.open_selection(),
            Command::Back => match context {
                Context::Main => self.filters[pane.index()].clear(),
                // Back along the references followed, then to the main screen.
                _ if self.go_back() => {}
                _ => self.screen = Screen::Main,
            },
            Command::NextLink | Command::PrevLink | Command::FollowLink => {
                self.on_link_command(command)
            }
            Command::Filter => self.filter_editing = true,
            Command::Help => self.overlays.push(Overlay::Help {
                scroll: ScrollState::default(),
            }),
            Command::Quit => return self.ask_quit(),
            Command::Interrupt => {
                // An interrupt does not ask: running Jobs are cancelled and recorded as such.
                self.quit = true;
                return vec![Action::CancelAll, Action::Interrupt];
            }
            Command::Variables => self.screen = Screen::Variables,
            Command::New if context == Context::Variables => self.open_variable_form(true),
            Command::Edit if context == Context::Variables => self.open_variable_form(false),
            Command::Delete if context == Context::Variables => self.ask_delete_variable(),
            Command::New => self.open_new_form(),
            Command::Edit => self.open_edit_form(),
            Command::Duplicate => self.open_duplicate_form(),
            Command::Delete => self.ask_delete(),
            Command::OpenEditor => return self.open_editor(),
            Command::Run => return self.run_selection(),
            Command::Refresh => return self.refresh_selection(),
            Command::CancelJob => return self.cancel_selection(),
            Command::LinkedJob => self.open_linked_job(),
            Command::Login => return self.login_selection(),
            Command::Export => self.open_export(),
            Command::Import => self.open_import(),
            Command::Find => {
                self.find = Find {
                    query: String::new(),
                    editing: true,
                }
            }
            Command::FindNext => self.find_move(true, false),
            Command::Copy => return self.copy_key(),
            Command::CopyMenu => self.open_copy_menu(),
            Command::Query => self.open_query(),
            Command::FindPrev => self.find_move(false, false),
            // Popup, form and typing commands: not bound on a screen.
            Command::Confirm
            | Command::Dismiss
            | Command::FilterKeep
            | Command::FilterClear
            | Command::NextField
            | Command::PrevField
            | Command::ChooseNext
            | Command::ChoosePrev
            | Command::Reveal
            | Command::Save
            | Command::CancelForm
            | Command::Discover
            | Command::Submit => {}
        }
        vec![]
    }

    fn open_linked_job(&mut self) {
        let Screen::JobDetail { job_id, .. } = &self.screen else {
            return;
        };
        let linked = self.job(job_id).and_then(|j| j.linked_job.clone());
        match linked {
            Some(linked) if self.job(&linked).is_some() => {
                self.find = Find::default();
                self.select(Pane::Jobs, linked.clone());
                self.screen = Screen::JobDetail {
                    job_id: linked,
                    scroll: ScrollState::default(),
                };
            }
            Some(linked) => self.note = Some(format!("the linked Job {linked} is no longer kept")),
            None => self.note = Some("this Job has no linked Job".into()),
        }
    }

    fn open_selection(&mut self) {
        match self.focus {
            Pane::Jobs => {
                if let Some(id) = self.selected_id(Pane::Jobs) {
                    self.find = Find::default();
                    self.screen = Screen::JobDetail {
                        job_id: id.into(),
                        scroll: ScrollState::default(),
                    };
                }
            }
            pane => {
                if self.selected_id(pane).is_some() {
                    self.screen = Screen::RecordDetail {
                        scroll: ScrollState::default(),
                        link: 0,
                    };
                } else {
                    self.note = Some(format!("no {} here yet: n creates one", pane.title()));
                }
            }
        }
    }

    pub(super) fn open_form(&mut self, form: Form) {
        self.overlays.push(Overlay::Form(Box::new(form)));
    }

    fn open_new_form(&mut self) {
        if self.focus != Pane::Jobs && self.refuse_if_read_only("create a record") {
            return;
        }
        let integration = self.current_integration().map(|i| i.id.clone());
        let form = match (self.focus, integration) {
            (Pane::Integrations, _) => forms::integration::new_form(&self.workspace),
            (Pane::Credentials, Some(i)) => forms::credential::new_form(&self.workspace, &i),
            (Pane::Payloads, Some(i)) => forms::payload::new_form(&self.workspace, &i),
            (Pane::Jobs, _) => {
                self.note = Some("Jobs are made by runs: r on a Payload".into());
                return;
            }
            (_, None) => {
                self.note = Some("create an Integration first (n in Integrations)".into());
                return;
            }
        };
        self.open_form(form);
    }

    fn open_edit_form(&mut self) {
        if self.focus != Pane::Jobs && self.refuse_if_read_only("edit") {
            return;
        }
        let ws = &self.workspace;
        let form = match self.focus {
            Pane::Integrations => self
                .current_integration()
                .map(|i| forms::integration::edit_form(ws, i)),
            Pane::Credentials => self
                .selected_credential()
                .map(|c| forms::credential::edit_form(ws, c)),
            Pane::Payloads => self
                .selected_payload()
                .map(|p| forms::payload::edit_form(ws, p)),
            Pane::Jobs => None,
        };
        match form {
            Some(form) => self.open_form(form),
            None => self.note = Some("nothing to edit here".into()),
        }
    }

    fn open_duplicate_form(&mut self) {
        if self.focus != Pane::Jobs && self.refuse_if_read_only("duplicate") {
            return;
        }
        let ws = &self.workspace;
        let form = match self.focus {
            Pane::Integrations => self
                .current_integration()
                .map(|i| forms::integration::duplicate_form(ws, i)),
            Pane::Credentials => self
                .selected_credential()
                .map(|c| forms::credential::duplicate_form(ws, c)),
            Pane::Payloads => self
                .selected_payload()
                .map(|p| forms::payload::duplicate_form(ws, p)),
            Pane::Jobs => None,
        };
        match form {
            Some(form) => self.open_form(form),
            None => self.note = Some("nothing to duplicate here".into()),
        }
    }

    /// `n` or `e` in the Variables view.
    fn open_variable_form(&mut self, new: bool) {
        if self.refuse_if_read_only(if new { "create a Variable" } else { "edit" }) {
            return;
        }
        let form = if new {
            Some(forms::variable::new_form())
        } else {
            self.selected_variable().map(forms::variable::edit_form)
        };
        match form {
            Some(form) => self.open_form(form),
            None => self.note = Some("no Variable yet: n creates one".into()),
        }
    }

    /// `d` in the Variables view: asks first, naming what reads and writes it. A delete that
    /// would leave a template reading nothing is explained now rather than refused after `y`.
    fn ask_delete_variable(&mut self) {
        let Some(name) = self.selected_variable().map(|v| v.name.clone()) else {
            self.note = Some("nothing to delete here".into());
            return;
        };
        if self.refuse_if_read_only("delete") {
            return;
        }
        let kind = RecordKind::Variable;
        let mut after = Workspace::clone(&self.workspace);
        let edit = Edit::Delete {
            kind,
            id: name.clone(),
        };
        if let Err(reason) = edit.apply(&mut after) {
            self.overlays.push(Overlay::Error(reason.to_string()));
            return;
        }
        let before = crate::workspace::validate::problems(&self.workspace);
        let broken: Vec<String> = crate::workspace::validate::problems(&after)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if !broken.is_empty() {
            let readers = self.workspace.variable_referrers(&name);
            self.overlays.push(Overlay::Error(format!(
                "The Variable {name} is kept: templates read it and no Data Target writes it.\n\n{}\n\nChange them first (e on the Payload), or edit its value here.",
                readers
                    .iter()
                    .map(|r| format!("  • {r}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
            return;
        }
        let referrers = edits::referrers(&self.workspace, kind, &name);
        self.overlays.push(Overlay::ConfirmDelete {
            kind,
            id: name,
            referrers,
        });
    }

    fn ask_delete(&mut self) {
        let Some(kind) = self.focus.record_kind() else {
            self.note = Some("Jobs are history: they are not deleted from here".into());
            return;
        };
        let Some(id) = self.selected_id(self.focus) else {
            self.note = Some("nothing to delete here".into());
            return;
        };
        if self.refuse_if_read_only("delete") {
            return;
        }
        // A delete the workspace would refuse (a Token Payload) is explained now, not after "y".
        if let Err(reason) = (Edit::Delete {
            kind,
            id: id.clone(),
        })
        .apply(&mut Workspace::clone(&self.workspace))
        {
            self.overlays.push(Overlay::Error(reason.to_string()));
            return;
        }
        let referrers = edits::referrers(&self.workspace, kind, &id);
        self.overlays.push(Overlay::ConfirmDelete {
            kind,
            id,
            referrers,
        });
    }

    /// Applies an edit to the App's copy now and asks the event loop to save it. An edit that
    /// would leave the workspace invalid is refused here, with the reason, before any save.
    pub(super) fn commit(&mut self, edit: Edit) -> Result<Vec<Action>, String> {
        if let Some(broken) = &self.broken {
            return Err(format!(
                "not saved: {} has errors and is read-only until it is fixed (E opens it{})",
                self.workspace_label,
                broken
                    .first_line
                    .map(|l| format!(" at line {l}"))
                    .unwrap_or_default()
            ));
        }
        let mut next = Workspace::clone(&self.workspace);
        edit.apply(&mut next).map_err(|e| e.to_string())?;
        let before = crate::workspace::validate::problems(&self.workspace);
        let new: Vec<String> = crate::workspace::validate::problems(&next)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if !new.is_empty() {
            return Err(new.join("; "));
        }
        self.workspace = Arc::new(next);
        self.pending_saves += 1;
        Ok(vec![Action::Save(edit)])
    }
}
