//! Where the Jobs pane's rows come from: the history database, read lazily. The pane holds the
//! rows it shows plus a margin, fetched by query (narrowed to the selected Integration and by the
//! `/` filter); a Job's full record is fetched when it is opened; the selected Payload's recent
//! runs are counted for its detail. Live Jobs still stream in through run events. Every read is
//! an Action the executor answers off the UI thread.

use super::app::{App, Pane, Screen};
use super::message::Action;
use crate::jobs::{HistorySize, Job, JobId, JobLimits, JobQuery, PayloadStats};
use std::collections::HashSet;

/// Rows fetched beyond those on screen, so scrolling a little needs no query.
const MARGIN: usize = 100;

/// What the pane knows of the database, and what it has asked for.
#[derive(Debug, Clone, Default)]
pub struct JobsData {
    /// Off until the program says a database answers (tests drive the pane without one).
    pub(crate) enabled: bool,
    /// The query last sent; its answer replaces the rows when it comes.
    requested: Option<JobQuery>,
    /// How many rows the last answer held, to tell when scrolling needs more.
    answered: Option<(JobQuery, usize)>,
    /// Jobs in `App::jobs` holding list columns only (read from the database).
    light: HashSet<JobId>,
    /// The Job whose full record was asked for, and the one last read in full.
    job_requested: Option<JobId>,
    job_loaded: Option<JobId>,
    /// The Payload whose runs were asked for, and the answer.
    stats_requested: Option<String>,
    pub stats: Option<PayloadStats>,
    /// The history's size and retention, for the Jobs pane title.
    pub size: Option<(HistorySize, JobLimits)>,
}

impl App {
    /// Turns database reads on; the Jobs now in the pane are list rows.
    pub fn use_job_history(&mut self, limits: JobLimits) {
        self.jobs_data.enabled = true;
        self.jobs_data.light = self.jobs.iter().map(|j| j.id.clone()).collect();
        self.jobs_data.size = Some((HistorySize::default(), limits));
    }

    /// The query the Jobs pane wants answered now.
    pub fn jobs_query(&self) -> JobQuery {
        let shown = self.size.1 as usize;
        let selected = self.selected_index(Pane::Jobs).unwrap_or(0);
        let mut limit = shown + MARGIN;
        // Scrolled near the end of what is held: ask for a further window.
        while selected + shown >= limit {
            limit += MARGIN;
        }
        let filter = self.filters[Pane::Jobs.index()].trim();
        JobQuery {
            integration: self.current_integration().map(|i| i.id.clone()),
            text: (!filter.is_empty()).then(|| filter.to_string()),
            limit: Some(limit),
            ..JobQuery::default()
        }
    }

    /// The reads the state now calls for; called after every update.
    pub(crate) fn data_requests(&mut self) -> Vec<Action> {
        if !self.jobs_data.enabled {
            return vec![];
        }
        let mut actions = Vec::new();
        let query = self.jobs_query();
        if self.jobs_data.requested.as_ref() != Some(&query) {
            // A smaller window than the one held needs no query: keep the rows.
            let covered = self.jobs_data.answered.as_ref().is_some_and(|(q, _)| {
                JobQuery {
                    limit: query.limit,
                    ..q.clone()
                } == query
                    && q.limit >= query.limit
            });
            if !covered {
                self.jobs_data.requested = Some(query.clone());
                actions.push(Action::QueryJobs(query));
            }
        }
        // The Job on screen in full: the one opened, or the one selected (its detail is beside
        // the list). One at a time, so memory stays flat.
        let shown = match &self.screen {
            Screen::JobDetail { job_id, .. } => Some(job_id.clone()),
            Screen::Main if self.focus == Pane::Jobs => {
                self.selected_id(Pane::Jobs).map(JobId::from)
            }
            _ => None,
        };
        if let Some(job_id) = shown
            && self.jobs_data.light.contains(&job_id)
            && self.jobs_data.job_requested.as_ref() != Some(&job_id)
        {
            self.jobs_data.job_requested = Some(job_id.clone());
            actions.push(Action::LoadJob(job_id));
        }
        let payload = (self.focus == Pane::Payloads)
            .then(|| self.selected_id(Pane::Payloads))
            .flatten();
        if let Some(payload) = payload
            && self.jobs_data.stats_requested.as_ref() != Some(&payload)
        {
            self.jobs_data.stats_requested = Some(payload.clone());
            self.jobs_data.stats = None;
            actions.push(Action::LoadPayloadStats(payload));
        }
        actions
    }

    /// The rows of a query. Jobs still running here stay on top until they are recorded.
    pub(crate) fn on_jobs_queried(
        &mut self,
        query: JobQuery,
        rows: Vec<Job>,
        size: Option<HistorySize>,
    ) {
        if self.jobs_data.requested.as_ref() != Some(&query) {
            // An answer overtaken by a newer question.
            return;
        }
        if let (Some(size), Some((held, _))) = (size, self.jobs_data.size.as_mut()) {
            *held = size;
        }
        let ids: HashSet<&str> = rows.iter().map(|j| j.id.as_str()).collect();
        let mut jobs: Vec<Job> = self
            .jobs
            .iter()
            .filter(|j| !j.status.is_finished() && !ids.contains(j.id.as_str()))
            .cloned()
            .collect();
        let live: HashSet<JobId> = jobs.iter().map(|j| j.id.clone()).collect();
        let opened = match &self.screen {
            Screen::JobDetail { job_id, .. } => Some(job_id.clone()),
            _ => None,
        };
        self.jobs_data.light.retain(|id| live.contains(id));
        for row in rows {
            // The open Job keeps its full record rather than become a list row again.
            if opened.as_ref() == Some(&row.id)
                && let Some(full) = self
                    .job(&row.id)
                    .filter(|_| !self.jobs_data.light.contains(&row.id))
            {
                jobs.push(full.clone());
                continue;
            }
            self.jobs_data.light.insert(row.id.clone());
            jobs.push(row);
        }
        self.jobs_data.answered = Some((query, jobs.len()));
        self.jobs = jobs;
        if self
            .jobs_data
            .job_loaded
            .as_ref()
            .is_some_and(|id| self.jobs_data.light.contains(id))
        {
            self.jobs_data.job_loaded = None;
        }
    }

    /// A Job read in full: it replaces its list row; the Job read before goes back to a row.
    pub(crate) fn on_job_loaded(&mut self, id: JobId, job: Result<Option<Job>, String>) {
        if self.jobs_data.job_requested.as_ref() == Some(&id) {
            self.jobs_data.job_requested = None;
        }
        let job = match job {
            Ok(Some(job)) => job,
            Ok(None) => {
                self.note = Some(format!("Job {id} is no longer kept"));
                return;
            }
            Err(reason) => {
                self.note = Some(format!("could not read Job {id}: {reason}"));
                return;
            }
        };
        if let Some(previous) = self.jobs_data.job_loaded.take()
            && previous != id
            && let Some(slot) = self.jobs.iter_mut().find(|j| j.id == previous)
            && slot.status.is_finished()
        {
            // Only one full record held at a time: memory stays flat however many are opened.
            *slot = light_copy(slot);
            self.jobs_data.light.insert(previous);
        }
        if let Some(slot) = self.jobs.iter_mut().find(|j| j.id == id) {
            *slot = job;
        } else {
            self.jobs.push(job);
        }
        self.jobs_data.light.remove(&id);
        self.jobs_data.job_loaded = Some(id);
    }

    pub(crate) fn on_payload_stats(&mut self, payload: String, stats: Option<PayloadStats>) {
        if self.jobs_data.stats_requested.as_ref() == Some(&payload) {
            self.jobs_data.stats = stats.or(Some(PayloadStats {
                payload,
                runs: 0,
                succeeded: 0,
                failed: 0,
                success_rate: None,
                p50_ms: None,
                p95_ms: None,
                max_ms: None,
                last_failure: None,
                recent: Vec::new(),
            }));
        }
    }

    /// A run event carries the whole Job: it is no longer a list row; the selected Payload's
    /// counts are asked for again when one of its runs ends.
    pub(crate) fn on_live_job(&mut self, job: &Job) {
        self.jobs_data.light.remove(&job.id);
        if job.status.is_finished() {
            if self.jobs_data.stats_requested.as_deref() == Some(job.payload.as_str()) {
                self.jobs_data.stats_requested = None;
            }
            if let Some((size, limits)) = self.jobs_data.size.as_mut() {
                size.jobs = (size.jobs + 1).min(limits.max_jobs as u64);
            }
        }
    }

    /// True while the Job's full record has not been read yet (its detail shows list columns).
    pub fn job_is_partial(&self, id: &str) -> bool {
        self.jobs_data.light.contains(id)
    }
}

/// The Job without what only its detail shows.
fn light_copy(job: &Job) -> Job {
    Job {
        inputs: Vec::new(),
        request: None,
        response: job.response.as_ref().map(|r| crate::jobs::ResponseRecord {
            status: r.status,
            headers: Vec::new(),
            body: String::new(),
            body_bytes: 0,
            truncated: false,
            not_utf8: false,
            // Kept: the row's `!` marker says values were not found.
            missing_values: r.missing_values.clone(),
            undecodable: None,
        }),
        extracted: Vec::new(),
        targets: Vec::new(),
        steps: Vec::new(),
        ..job.clone()
    }
}
