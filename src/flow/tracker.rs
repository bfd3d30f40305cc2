//! One Job while it runs: its record, its timeline, the redacted events it streams, and its end
//! (written to the Jobs file).

use super::config::Clock;
use super::events::{RunEvent, RunEventKind};
use super::http::HttpResponse;
use crate::jobs::{Job, JobId, JobStatus, JobStore, Redactor, ResponseRecord, Step, Trigger};
use crate::workspace::{IntegrationId, PayloadId};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::mpsc::UnboundedSender;

/// The secrets known to a run, shared by a business Job and its refresh Job: it grows as new
/// tokens arrive, so old and new are both redacted.
pub type SharedRedactor = Arc<Mutex<Redactor>>;

pub fn add_secrets<'a>(redactor: &SharedRedactor, secrets: impl IntoIterator<Item = &'a String>) {
    let mut r = redactor.lock().expect("redactor lock");
    for s in secrets {
        r.add(s);
    }
    // The log is a second line of defence: it learns every secret the run learns.
    crate::logging::add_secrets(&r);
}

/// Where a run's Jobs report: the event channel, the clock, and the run's redactor.
#[derive(Clone)]
pub struct Sink {
    pub events: UnboundedSender<RunEvent>,
    pub clock: Clock,
    pub redactor: SharedRedactor,
}

pub struct JobTracker {
    pub job: Job,
    pub redactor: SharedRedactor,
    events: UnboundedSender<RunEvent>,
    clock: Clock,
    started: Instant,
}

impl JobTracker {
    /// A new Job, `Queued`; announces itself with `JobCreated`.
    pub fn create(
        id: JobId,
        payload: PayloadId,
        integration: IntegrationId,
        trigger: Trigger,
        inputs: Vec<(String, String)>,
        sink: &Sink,
    ) -> JobTracker {
        let clock = sink.clock.clone();
        let job = Job {
            id,
            payload,
            integration,
            credential: None,
            linked_job: None,
            token_fingerprint: None,
            trigger,
            status: JobStatus::Queued,
            created_at: clock.now(),
            started_at: None,
            finished_at: None,
            duration_ms: None,
            callout_ms: None,
            inputs,
            request: None,
            response: None,
            extracted: Vec::new(),
            targets: Vec::new(),
            error: None,
            steps: Vec::new(),
        };
        let tracker = JobTracker {
            job,
            redactor: sink.redactor.clone(),
            events: sink.events.clone(),
            clock,
            started: Instant::now(),
        };
        tracker.emit(RunEventKind::JobCreated);
        tracker
    }

    pub fn id(&self) -> JobId {
        self.job.id.clone()
    }

    pub fn start(&mut self) {
        self.started = Instant::now();
        self.job.status = JobStatus::Running;
        self.job.started_at = Some(self.clock.now());
        self.step("started");
    }

    /// Adds a line to the timeline.
    pub fn step(&mut self, text: impl Into<String>) {
        self.job.steps.push(Step {
            at: self.clock.now(),
            text: text.into(),
        });
    }

    /// The Job as it may be shown: every known secret redacted.
    pub fn redacted(&self) -> Job {
        let mut job = self.job.clone();
        self.redactor
            .lock()
            .expect("redactor lock")
            .redact_job(&mut job);
        job
    }

    pub fn emit(&self, kind: RunEventKind) {
        // A consumer that went away (a closed TUI, a finished test) does not stop the run.
        let _ = self.events.send(RunEvent {
            at: self.clock.now(),
            job_id: self.job.id.clone(),
            kind,
            job: Arc::new(self.redacted()),
        });
    }

    /// Notes on the recorded response the values its model expected and did not find, so the
    /// Job's status line can say so even when it succeeds.
    pub fn note_missing(&mut self, missing: &[(String, String)]) {
        if let Some(response) = &mut self.job.response {
            response.missing_values = missing.to_vec();
        }
    }

    pub fn add_callout_ms(&mut self, ms: u64) {
        self.job.callout_ms = Some(self.job.callout_ms.unwrap_or(0) + ms);
    }

    pub fn set_response(&mut self, response: &HttpResponse) {
        self.job.response = Some(ResponseRecord {
            status: response.status.as_u16(),
            headers: response.headers.clone(),
            body: String::from_utf8_lossy(&response.body).into_owned(),
            body_bytes: response.body_bytes,
            truncated: response.truncated,
            not_utf8: std::str::from_utf8(&response.body).is_err(),
            missing_values: Vec::new(),
            undecodable: response.undecodable.clone(),
        });
    }

    /// Ends the Job: status, times, error; writes it to the Jobs file and sends `Finished`.
    /// Returns the Job as recorded (redacted).
    pub fn finish(mut self, status: JobStatus, error: Option<String>, jobs: &JobStore) -> Job {
        let now = self.clock.now();
        if self.job.started_at.is_none() {
            self.job.started_at = Some(now);
        }
        self.job.status = status;
        self.job.finished_at = Some(now);
        self.job.duration_ms = Some(self.started.elapsed().as_millis() as u64);
        match &error {
            Some(e) => self.step(format!("{}: {e}", status.label())),
            None => self.step(status.label()),
        }
        self.job.error = error;
        let job = Arc::new(self.redacted());
        if let Err(e) = jobs.record(&job) {
            tracing::warn!(job = %job.id, error = %e, "could not write the Job to the Jobs file");
        }
        tracing::info!(job = %job.id, payload = %job.payload, status = job.status.label(), "job finished");
        let _ = self.events.send(RunEvent {
            at: now,
            job_id: job.id.clone(),
            kind: RunEventKind::Finished,
            job: job.clone(),
        });
        Arc::unwrap_or_clone(job)
    }
}
