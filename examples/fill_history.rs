//! Builds a Jobs history for the benchmarks in bench/: `fill_history WORKSPACE COUNT BODY_BYTES`
//! writes COUNT finished Jobs of one Payload, each with a JSON response body of about BODY_BYTES,
//! through the store's API (no HTTP), a minute apart and ending now.

// A development tool, not the program: its own usage errors go straight to stderr.
#![allow(clippy::print_stderr)]

use chrono::{Duration, Utc};
use payloads::jobs::{
    Job, JobStatus, JobStore, RequestRecord, ResponseRecord, Step, Trigger, new_job_id,
};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [workspace, count, body] = args.as_slice() else {
        eprintln!("usage: fill_history WORKSPACE COUNT BODY_BYTES");
        return ExitCode::from(2);
    };
    let (Ok(count), Ok(body_bytes)) = (count.parse::<usize>(), body.parse::<usize>()) else {
        eprintln!("COUNT and BODY_BYTES are numbers");
        return ExitCode::from(2);
    };
    let store = JobStore::beside(workspace);
    let start = Utc::now() - Duration::minutes(count as i64);
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut batch = Vec::new();
    for n in 0..count {
        batch.push(job(
            start + Duration::minutes(n as i64),
            n,
            body_bytes,
            &mut seed,
        ));
        if batch.len() == 500 || n + 1 == count {
            if let Err(e) = store.record_batch(&batch) {
                eprintln!("fill_history: {e}");
                return ExitCode::FAILURE;
            }
            batch.clear();
        }
    }
    ExitCode::SUCCESS
}

/// Contacts as a real API would return them: repetitive keys, varied values, so the body
/// compresses as such bodies do (neither all zeros nor noise).
fn body(bytes: usize, seed: &mut u64) -> String {
    const NAMES: [&str; 8] = [
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Dennis",
    ];
    let mut out = String::from("{\"contacts\":[");
    let mut id = 0;
    while out.len() + 120 < bytes {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let name = NAMES[(*seed % 8) as usize];
        out.push_str(&format!(
            "{{\"id\":{id},\"name\":\"{name} {:x}\",\"email\":\"{:x}@example.com\",\"score\":{}}},",
            *seed >> 40,
            *seed & 0xff_ffff,
            *seed % 1000
        ));
        id += 1;
    }
    out.pop();
    out.push_str("]}");
    out
}

fn job(at: chrono::DateTime<Utc>, n: usize, body_bytes: usize, seed: &mut u64) -> Job {
    let body = body(body_bytes, seed);
    let failed = n.is_multiple_of(17);
    Job {
        id: new_job_id(at),
        payload: if n.is_multiple_of(3) {
            "create-contact"
        } else {
            "list-contacts"
        }
        .into(),
        integration: "sandbox".into(),
        credential: None,
        linked_job: None,
        token_fingerprint: None,
        trigger: Trigger::Cli,
        status: if failed {
            JobStatus::Failed
        } else {
            JobStatus::Succeeded
        },
        created_at: at,
        started_at: Some(at),
        finished_at: Some(at + Duration::milliseconds(120)),
        duration_ms: Some(80 + (n as u64 * 37) % 200),
        callout_ms: Some(60),
        inputs: Vec::new(),
        request: Some(RequestRecord {
            method: "GET".into(),
            url: "http://127.0.0.1:8787/api/contacts".into(),
            headers: vec![("authorization".into(), "Bearer •••redacted•••".into())],
            body: None,
        }),
        response: Some(ResponseRecord {
            status: if failed { 500 } else { 200 },
            headers: vec![("content-type".into(), "application/json".into())],
            body_bytes: body.len() as u64,
            body,
            truncated: false,
            not_utf8: false,
            missing_values: Vec::new(),
            undecodable: None,
        }),
        extracted: Vec::new(),
        targets: Vec::new(),
        error: failed.then(|| "the server answered 500 Internal Server Error".into()),
        steps: vec![Step {
            at,
            text: "job created".into(),
        }],
    }
}
