//! The TUI's whole state: the workspace copy, Jobs, focus, selection and filter per pane, the
//! screen and the overlays on it. Queries here are pure so `update` and `view` share them.

use super::edits::RecordKind;
use super::find::Find;
use super::forms::Form;
use super::scroll::{ListView, Scroll, ScrollState, step_in_list};
use super::view::rows::CachedRows;
use crate::jobs::{Job, JobId, Trigger};
use crate::workspace::{Credential, Integration, Payload, Variable, Workspace};
use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Integrations,
    Credentials,
    Payloads,
    Jobs,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Integrations,
        Pane::Credentials,
        Pane::Payloads,
        Pane::Jobs,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Integrations => "Integrations",
            Pane::Credentials => "Credentials",
            Pane::Payloads => "Payloads",
            Pane::Jobs => "Jobs",
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % 4]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + 3) % 4]
    }

    pub fn record_kind(self) -> Option<RecordKind> {
        match self {
            Pane::Integrations => Some(RecordKind::Integration),
            Pane::Credentials => Some(RecordKind::Credential),
            Pane::Payloads => Some(RecordKind::Payload),
            Pane::Jobs => None,
        }
    }
}

/// What fills the screen under the overlays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Main,
    /// The selected record of the focused pane, full screen.
    RecordDetail {
        scroll: ScrollState,
        /// Which of the records it names (`view::record_detail::links`) is selected.
        link: usize,
    },
    JobDetail {
        job_id: JobId,
        scroll: ScrollState,
    },
    /// The workspace Variables: each one's value, who reads it and who writes it.
    Variables,
}

/// Windows over the screen; the topmost takes the keys.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: ScrollState,
    },
    Form(Box<Form>),
    ConfirmDelete {
        kind: RecordKind,
        id: String,
        referrers: Vec<String>,
    },
    Error(String),
    /// After a Bearer Token Credential is created: offer to open its new Token Payload.
    OfferTokenPayload {
        payload_id: String,
    },
    /// The editor left the workspace file invalid: offer to reopen it at the first error.
    OfferReopenEditor {
        line: Option<usize>,
    },
    /// `q` while Jobs run: quitting cancels them, so ask first.
    ConfirmQuit {
        running: usize,
    },
    /// A login waiting for the user: the code to enter and where (with a QR code), or the URL to
    /// open. Closes by itself when the login Job ends.
    Login {
        job_id: JobId,
        prompt: crate::flow::LoginPrompt,
    },
    /// `J` in a Job's detail: the JSONPath query line over its response body.
    Query(Box<super::query::QueryLine>),
    /// `Y` in a Job's detail: what to copy.
    CopyMenu(super::update_copy::CopyMenu),
    /// The access token was chosen from the copy menu: a secret goes only after a yes.
    ConfirmCopySecret {
        job_id: JobId,
    },
    /// `X` / `I`: the export or import prompt.
    Transfer(Box<super::transfer::TransferPrompt>),
}

/// The workspace file on disk no longer loads. The last good state stays on view, read-only,
/// until the file is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenFile {
    /// One `path:line:col: what is wrong` per problem.
    pub errors: Vec<String>,
    /// The line of the first problem, where `E` opens the editor.
    pub first_line: Option<usize>,
}

impl BrokenFile {
    pub fn from_diagnostics(diagnostics: &crate::workspace::Diagnostics) -> BrokenFile {
        BrokenFile {
            errors: diagnostics.iter().map(|d| d.to_string()).collect(),
            first_line: diagnostics.iter().map(|d| d.line).find(|&l| l > 0),
        }
    }
}

#[derive(Debug, Clone)]
pub struct App {
    /// The store's snapshot (shared, not copied); an edit replaces it with the edited copy.
    pub workspace: Arc<Workspace>,
    /// The workspace file as the user named it, for the title bar.
    pub workspace_label: String,
    pub now: DateTime<Utc>,
    pub size: (u16, u16),
    pub colour: bool,
    /// ASCII only: a plain terminal or a locale that is not UTF-8 (see `ascii::wanted`).
    pub ascii: bool,
    pub focus: Pane,
    selected: [Option<String>; 4],
    pub filters: [String; 4],
    /// Each list pane's window as last drawn (offset, rows that fit).
    pub(crate) lists: [ListView; 4],
    /// The Variable selected in the Variables view (by name), and that list's window.
    pub(crate) variable_selected: Option<String>,
    pub(crate) variables_list: ListView,
    /// The rows of the Job detail last drawn, kept while the Job and the width stay the same.
    pub(crate) detail_rows: RefCell<Vec<CachedRows>>,
    pub filter_editing: bool,
    /// The `/` find line of the Job detail.
    pub find: Find,
    /// Newest first.
    pub jobs: Vec<Job>,
    pub screen: Screen,
    pub overlays: Vec<Overlay>,
    pub spinner: usize,
    /// A one-line note for the footer, e.g. what just happened or why a key did nothing.
    pub note: Option<String>,
    pub pending_saves: usize,
    /// Set while the workspace file on disk does not load: the screen is read-only.
    pub broken: Option<BrokenFile>,
    /// The Job whose end replaces the note ("running x" becomes "x succeeded").
    pub(crate) note_follows: Option<JobId>,
    /// The next Job the user starts gets selected in the Jobs pane.
    pub(crate) select_next_job: bool,
    /// The Jobs pane's database reads: what was asked, what is held in full.
    pub jobs_data: super::jobs_data::JobsData,
    /// Where Enter on a reference came from, newest last: Esc goes back along it.
    pub(crate) trail: Vec<Place>,
    pub quit: bool,
}

/// Where the user was before following a reference: focus, selections, filters, the screen and
/// the windows on it (a form with its edits).
#[derive(Debug, Clone)]
pub struct Place {
    focus: Pane,
    selected: [Option<String>; 4],
    filters: [String; 4],
    screen: Screen,
    overlays: Vec<Overlay>,
}

/// A row of the Jobs pane: refresh Jobs sit indented under the Job they ran for.
#[derive(Debug, Clone, Copy)]
pub struct JobRow<'a> {
    pub job: &'a Job,
    pub nested: bool,
}

impl App {
    pub fn new(
        workspace: impl Into<Arc<Workspace>>,
        workspace_label: impl Into<String>,
        jobs: Vec<Job>,
        now: DateTime<Utc>,
    ) -> App {
        App {
            workspace: workspace.into(),
            workspace_label: workspace_label.into(),
            now,
            size: (80, 24),
            colour: true,
            ascii: false,
            focus: Pane::Integrations,
            selected: Default::default(),
            filters: Default::default(),
            lists: Default::default(),
            variable_selected: None,
            variables_list: Default::default(),
            detail_rows: RefCell::new(Vec::new()),
            filter_editing: false,
            find: Find::default(),
            jobs,
            screen: Screen::Main,
            overlays: Vec::new(),
            spinner: 0,
            note: None,
            pending_saves: 0,
            broken: None,
            note_follows: None,
            select_next_job: false,
            jobs_data: Default::default(),
            trail: Vec::new(),
            quit: false,
        }
    }

    fn matches(&self, pane: Pane, texts: &[&str]) -> bool {
        // Most frames have no filter: then nothing is lowercased (a copy per row of 1,000).
        let filter = &self.filters[pane.index()];
        if filter.is_empty() {
            return true;
        }
        let filter = filter.to_lowercase();
        texts.iter().any(|t| t.to_lowercase().contains(&filter))
    }

    pub fn visible_integrations(&self) -> Vec<&Integration> {
        self.workspace
            .integrations
            .iter()
            .filter(|i| self.matches(Pane::Integrations, &[&i.id, &i.name]))
            .collect()
    }

    /// The Integration that narrows Credentials and Payloads.
    pub fn current_integration(&self) -> Option<&Integration> {
        let id = self.selected_id(Pane::Integrations)?;
        self.workspace.integration(&id)
    }

    pub fn visible_credentials(&self) -> Vec<&Credential> {
        let integration = self.current_integration().map(|i| i.id.clone());
        self.workspace
            .credentials
            .iter()
            .filter(|c| Some(&c.integration) == integration.as_ref())
            .filter(|c| self.matches(Pane::Credentials, &[&c.id, &c.name, c.auth.type_name()]))
            .collect()
    }

    pub fn visible_payloads(&self) -> Vec<&Payload> {
        let integration = self.current_integration().map(|i| i.id.clone());
        self.workspace
            .payloads
            .iter()
            .filter(|p| Some(&p.integration) == integration.as_ref())
            .filter(|p| self.matches(Pane::Payloads, &[&p.id, &p.name, &p.endpoint]))
            .collect()
    }

    /// Jobs in display order: each business Job followed by the refresh Jobs that ran for it.
    /// Linear in the number of Jobs: it runs on every frame and key, over a long history.
    pub fn job_rows(&self) -> Vec<JobRow<'_>> {
        let ids: HashSet<&str> = self.jobs.iter().map(|j| j.id.as_str()).collect();
        fn parent_of<'a>(job: &'a Job, ids: &HashSet<&str>) -> Option<&'a str> {
            match &job.trigger {
                Trigger::RefreshFor(parent) if ids.contains(parent.as_str()) => Some(parent),
                _ => None,
            }
        }
        let mut children: HashMap<&str, Vec<&Job>> = HashMap::new();
        for job in &self.jobs {
            if let Some(parent) = parent_of(job, &ids) {
                children.entry(parent).or_default().push(job);
            }
        }
        let mut rows = Vec::new();
        // Narrowed to the selected Integration, as Credentials and Payloads are.
        let integration = self.current_integration().map(|i| i.id.as_str());
        let texts = |job: &'_ Job| {
            [
                job.payload.to_string(),
                job.status.label().to_string(),
                job.id.to_string(),
                job.error.clone().unwrap_or_default(),
            ]
        };
        for job in self.jobs.iter().filter(|j| parent_of(j, &ids).is_none()) {
            let children = children.remove(job.id.as_str()).unwrap_or_default();
            if integration.is_some_and(|i| i != job.integration.as_str()) {
                continue;
            }
            let matches = |job: &Job| {
                let texts = texts(job);
                self.matches(Pane::Jobs, &texts.each_ref().map(String::as_str))
            };
            let shown = matches(job) || children.iter().any(|&c| matches(c));
            if !shown {
                continue;
            }
            rows.push(JobRow { job, nested: false });
            rows.extend(children.into_iter().map(|job| JobRow { job, nested: true }));
        }
        rows
    }

    pub fn visible_ids(&self, pane: Pane) -> Vec<String> {
        match pane {
            Pane::Integrations => self
                .visible_integrations()
                .iter()
                .map(|i| i.id.to_string())
                .collect(),
            Pane::Credentials => self
                .visible_credentials()
                .iter()
                .map(|c| c.id.to_string())
                .collect(),
            Pane::Payloads => self
                .visible_payloads()
                .iter()
                .map(|p| p.id.to_string())
                .collect(),
            Pane::Jobs => self
                .job_rows()
                .iter()
                .map(|r| r.job.id.to_string())
                .collect(),
        }
    }

    /// The selected id of a pane: the remembered one while it is still listed, else the first.
    pub fn selected_id(&self, pane: Pane) -> Option<String> {
        let ids = self.visible_ids(pane);
        let at = self.selected_in(pane, &ids)?;
        ids.into_iter().nth(at)
    }

    pub fn selected_index(&self, pane: Pane) -> Option<usize> {
        // Compared in place: every frame asks, and copying 1,000 ids to find one is waste.
        let remembered = self.selected[pane.index()].as_deref();
        let (count, found) = match pane {
            Pane::Integrations => position(self.visible_integrations(), remembered, |i| &i.id),
            Pane::Credentials => position(self.visible_credentials(), remembered, |c| &c.id),
            Pane::Payloads => position(self.visible_payloads(), remembered, |p| &p.id),
            Pane::Jobs => position(self.job_rows(), remembered, |r| &r.job.id),
        };
        (count > 0).then(|| found.unwrap_or(0))
    }

    /// Where the selection sits among `ids` (the pane's visible ids), computed once by callers.
    fn selected_in(&self, pane: Pane, ids: &[String]) -> Option<usize> {
        if ids.is_empty() {
            return None;
        }
        let remembered = self.selected[pane.index()].as_ref();
        Some(
            remembered
                .and_then(|id| ids.iter().position(|i| i == id))
                .unwrap_or(0),
        )
    }

    pub fn select(&mut self, pane: Pane, id: impl Into<String>) {
        self.selected[pane.index()] = Some(id.into());
    }

    /// Moves a pane's selection by `delta` rows, stopping at either end.
    pub fn move_selection(&mut self, pane: Pane, delta: isize) {
        let ids = self.visible_ids(pane);
        if ids.is_empty() {
            return;
        }
        let at = self.selected_in(pane, &ids).unwrap_or(0) as isize;
        let to = (at + delta).clamp(0, ids.len() as isize - 1) as usize;
        self.selected[pane.index()] = Some(ids[to].clone());
    }

    /// Moves a pane's selection one scroll step; a page is the rows the pane showed last.
    pub fn scroll_selection(&mut self, pane: Pane, step: Scroll) {
        let ids = self.visible_ids(pane);
        if ids.is_empty() {
            return;
        }
        let at = self.selected_in(pane, &ids).unwrap_or(0);
        let page = self.lists[pane.index()].page();
        let to = step_in_list(at, ids.len(), step, page);
        self.selected[pane.index()] = Some(ids[to].clone());
    }

    /// The selected Variable of the Variables view: the remembered one while it exists, else
    /// the first.
    pub fn selected_variable(&self) -> Option<&Variable> {
        let vars = &self.workspace.variables;
        self.variable_selected
            .as_deref()
            .and_then(|name| vars.iter().find(|v| v.name == name))
            .or_else(|| vars.first())
    }

    pub fn selected_variable_index(&self) -> Option<usize> {
        let name = &self.selected_variable()?.name;
        self.workspace
            .variables
            .iter()
            .position(|v| &v.name == name)
    }

    pub fn select_variable(&mut self, name: impl Into<String>) {
        self.variable_selected = Some(name.into());
    }

    /// Moves the Variables view's selection one scroll step.
    pub fn scroll_variables(&mut self, step: Scroll) {
        let len = self.workspace.variables.len();
        let Some(at) = self.selected_variable_index() else {
            return;
        };
        let to = step_in_list(at, len, step, self.variables_list.page());
        self.variable_selected = Some(self.workspace.variables[to].name.clone());
    }

    /// Leaves where the user is for record `id`'s detail, remembering the place (and taking the
    /// windows on it along) so `go_back` returns there as it was.
    pub fn follow(&mut self, kind: RecordKind, id: &str) -> bool {
        if kind == RecordKind::Variable {
            return self.follow_variable(id);
        }
        let (pane, integration) = match kind {
            RecordKind::Integration => (
                Pane::Integrations,
                self.workspace.integration(id).map(|i| i.id.to_string()),
            ),
            RecordKind::Credential => (
                Pane::Credentials,
                self.workspace
                    .credential(id)
                    .map(|c| c.integration.to_string()),
            ),
            RecordKind::Payload => (
                Pane::Payloads,
                self.workspace
                    .payload(id)
                    .map(|p| p.integration.to_string()),
            ),
            RecordKind::Variable => return false,
        };
        let Some(integration) = integration else {
            return false;
        };
        self.trail.push(Place {
            focus: self.focus,
            selected: self.selected.clone(),
            filters: self.filters.clone(),
            screen: self.screen.clone(),
            overlays: std::mem::take(&mut self.overlays),
        });
        // The record is shown whatever the filters hid: they come back with the place.
        self.filters[Pane::Integrations.index()].clear();
        self.filters[pane.index()].clear();
        self.select(Pane::Integrations, integration);
        self.select(pane, id.to_string());
        self.focus = pane;
        self.screen = Screen::RecordDetail {
            scroll: ScrollState::default(),
            link: 0,
        };
        true
    }

    /// `follow` to a Variable: the Variables view with it selected.
    fn follow_variable(&mut self, name: &str) -> bool {
        if self.workspace.variable(name).is_none() {
            return false;
        }
        self.trail.push(Place {
            focus: self.focus,
            selected: self.selected.clone(),
            filters: self.filters.clone(),
            screen: self.screen.clone(),
            overlays: std::mem::take(&mut self.overlays),
        });
        self.select_variable(name);
        self.screen = Screen::Variables;
        true
    }

    /// Back to where the last `follow` came from; false when there is nowhere to go back to.
    /// Windows opened since (an error, say) stay on top of the ones brought back.
    pub fn go_back(&mut self) -> bool {
        let Some(place) = self.trail.pop() else {
            return false;
        };
        self.focus = place.focus;
        self.selected = place.selected;
        self.filters = place.filters;
        self.screen = place.screen;
        let newer = std::mem::replace(&mut self.overlays, place.overlays);
        self.overlays.extend(newer);
        true
    }

    pub fn selected_credential(&self) -> Option<&Credential> {
        self.workspace
            .credential(&self.selected_id(Pane::Credentials)?)
    }

    pub fn selected_payload(&self) -> Option<&Payload> {
        self.workspace.payload(&self.selected_id(Pane::Payloads)?)
    }

    pub fn selected_job(&self) -> Option<&Job> {
        let id = self.selected_id(Pane::Jobs)?;
        self.job(&id)
    }

    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    /// Jobs that have not finished yet.
    pub fn running_jobs(&self) -> usize {
        self.jobs.iter().filter(|j| !j.status.is_finished()).count()
    }

    /// Drops the cached Job detail rows (the benchmark measures cutting them).
    pub fn detail_rows_forget(&self) {
        self.detail_rows.borrow_mut().clear();
    }

    pub fn top_overlay(&self) -> Option<&Overlay> {
        self.overlays.last()
    }

    /// Seconds a Job has run so far (or ran in all).
    pub fn elapsed(&self, job: &Job) -> Option<f64> {
        if let Some(ms) = job.duration_ms.filter(|_| job.status.is_finished()) {
            return Some(ms as f64 / 1000.0);
        }
        let start = job.started_at.unwrap_or(job.created_at);
        let end = job.finished_at.unwrap_or(self.now);
        Some(((end - start).num_milliseconds().max(0)) as f64 / 1000.0)
    }
}

/// How many `rows` there are, and where the one whose id is `wanted` sits among them.
fn position<T, I: PartialEq<str> + ?Sized>(
    rows: Vec<T>,
    wanted: Option<&str>,
    id: impl Fn(&T) -> &I,
) -> (usize, Option<usize>) {
    let found = wanted.and_then(|wanted| rows.iter().position(|row| id(row) == wanted));
    (rows.len(), found)
}
