//! Builders shared by the Jobs tests.

use chrono::{DateTime, Duration, TimeZone, Utc};
use payloads::jobs::{Job, JobStatus, RequestRecord, ResponseRecord, Step, TargetResult, Trigger};

/// A fixed, readable base time for Jobs made by tests.
pub fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 13, 37, 45).unwrap()
}

/// A complete, succeeded Job created `offset_ms` after [`base_time`].
pub fn job(id: &str, offset_ms: i64) -> Job {
    let created = base_time() + Duration::milliseconds(offset_ms);
    Job {
        id: id.into(),
        credential: None,
        payload: "list-contacts".into(),
        integration: "sandbox".into(),
        linked_job: Some("20261128-133744-000001".into()),
        token_fingerprint: None,
        trigger: Trigger::Cli,
        status: JobStatus::Succeeded,
        created_at: created,
        started_at: Some(created),
        finished_at: Some(created + Duration::milliseconds(120)),
        duration_ms: Some(120),
        callout_ms: Some(80),
        inputs: vec![("contact_id".into(), "42".into())],
        request: Some(RequestRecord {
            method: "GET".into(),
            url: "http://127.0.0.1:8787/api/contacts?page=1".into(),
            headers: vec![
                ("accept".into(), "application/json".into()),
                ("authorization".into(), "Bearer •••redacted•••".into()),
            ],
            body: None,
        }),
        response: Some(ResponseRecord {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: r#"{"contacts":[{"id":42,"name":"Ada"}]}"#.into(),
            body_bytes: 37,
            truncated: false,
            not_utf8: false,
            missing_values: Vec::new(),
            undecodable: None,
        }),
        extracted: vec![("first_name".into(), "Ada".into())],
        targets: vec![TargetResult {
            value: "first_name".into(),
            target: "var first_name".into(),
            written: "Ada".into(),
            error: None,
        }],
        error: None,
        steps: vec![
            Step {
                at: created,
                text: "job created".into(),
            },
            Step {
                at: created + Duration::milliseconds(40),
                text: "request sent".into(),
            },
            Step {
                at: created + Duration::milliseconds(120),
                text: "response 200 received".into(),
            },
        ],
    }
}
