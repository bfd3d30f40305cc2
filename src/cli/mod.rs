//! Command-line parsing and dispatch: the TUI by default, and the headless commands.

mod check;
mod interactive;
mod jobs;
mod run;
mod sandbox;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "payloads",
    version,
    about = "Run API Payloads with refresh-then-call Bearer tokens"
)]
pub struct Cli {
    /// The workspace file.
    #[arg(
        long,
        global = true,
        env = "PAYLOADS_WORKSPACE",
        default_value = "workspace.ron"
    )]
    pub workspace: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the workspace file and print a summary, or every error.
    Check,
    /// Run a Payload headless: events to stderr, the response body to stdout.
    Run {
        /// The Payload's id.
        payload: String,
        /// A dynamic input, as NAME=VALUE; repeat for more.
        #[arg(long = "input", value_name = "NAME=VALUE")]
        inputs: Vec<String>,
        /// Print the finished Job as JSON on stdout instead of the response body.
        #[arg(long)]
        json: bool,
    },
    /// Refresh a Bearer Token Credential now.
    Refresh {
        /// The Credential's id.
        credential: String,
    },
    /// List recent Jobs (newest first, filtered), or show, count or prune them.
    Jobs {
        #[command(subcommand)]
        action: Option<JobsAction>,
        /// How many Jobs to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print one JSON object per Job, a line each (JSON Lines): the list columns.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        filter: JobsFilter,
        /// Only Jobs with this status: queued, running, succeeded, failed, cancelled.
        #[arg(long, value_parser = parse_status)]
        status: Option<crate::jobs::JobStatus>,
        /// Only Jobs of this Integration.
        #[arg(long, value_name = "ID")]
        integration: Option<String>,
    },
    /// Serve the built-in sandbox API on 127.0.0.1.
    Sandbox {
        /// The port on 127.0.0.1 (the shipped workspace expects 8787).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Lifetime of the access tokens it issues, in seconds.
        #[arg(long, default_value_t = 300)]
        token_ttl: u64,
    },
    /// Start the sandbox in-process and open the TUI on the workspace.
    Demo {
        /// The sandbox's port on 127.0.0.1 (the shipped workspace expects 8787).
        #[arg(long, default_value_t = 8787)]
        port: u16,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// Show one Job in full.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Runs, success rate, p50/p95/max duration and the last failure, per Payload.
    Stats {
        #[command(flatten)]
        filter: JobsFilter,
        /// One JSON object per Payload, a line each.
        #[arg(long)]
        json: bool,
    },
    /// Delete old Jobs now (the history is also trimmed to its retention after every run).
    Prune {
        /// Keep only the newest N Jobs.
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
        /// Delete Jobs older than this: 90s, 15m, 2h, 7d, 2w, 1h30m.
        #[arg(long, value_name = "DURATION", value_parser = jobs::parse_duration)]
        older_than: Option<chrono::Duration>,
    },
    /// Move a damaged Jobs history aside (it is kept, never deleted) so a new one starts.
    Recover,
}

/// Narrows `payloads jobs` and `payloads jobs stats`.
#[derive(Debug, clap::Args)]
pub struct JobsFilter {
    /// Only Jobs of this Payload.
    #[arg(long, value_name = "ID")]
    payload: Option<String>,
    /// Only Jobs since then: a duration back from now (90s, 15m, 2h, 7d) or a date (2026-11-28).
    #[arg(long, value_name = "DURATION|DATE", value_parser = jobs::parse_since)]
    since: Option<chrono::DateTime<chrono::Utc>>,
}

impl JobsFilter {
    fn query(self) -> crate::jobs::JobQuery {
        crate::jobs::JobQuery {
            payload: self.payload,
            since: self.since,
            ..crate::jobs::JobQuery::default()
        }
    }
}

fn parse_status(text: &str) -> Result<crate::jobs::JobStatus, String> {
    crate::jobs::status_from_label(text).ok_or_else(|| {
        format!("{text:?} is not a status: queued, running, succeeded, failed or cancelled")
    })
}

/// Exit code for usage and workspace errors (a failed run exits 1).
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to a file under the state directory, never to the terminal; kept until exit.
    let _log_guard = crate::logging::init("payloads");
    let workspace = cli.workspace;
    match cli.command {
        None => interactive::tui(&workspace),
        Some(Command::Demo { port }) => interactive::demo(&workspace, port),
        Some(Command::Check) => check::check(&workspace),
        Some(Command::Run {
            payload,
            inputs,
            json,
        }) => run::run(&workspace, &payload, &inputs, json),
        Some(Command::Refresh { credential }) => run::refresh(&workspace, &credential),
        Some(Command::Jobs {
            action,
            limit,
            json,
            filter,
            status,
            integration,
        }) => match action {
            None => {
                let query = crate::jobs::JobQuery {
                    status,
                    integration,
                    limit: Some(limit),
                    ..filter.query()
                };
                jobs::list(&workspace, &query, json)
            }
            Some(JobsAction::Show { id, json }) => jobs::show(&workspace, &id, json),
            Some(JobsAction::Stats { filter, json }) => {
                jobs::stats(&workspace, &filter.query(), json)
            }
            Some(JobsAction::Prune { keep, older_than }) => {
                jobs::prune(&workspace, keep, older_than)
            }
            Some(JobsAction::Recover) => jobs::recover(&workspace),
        },
        Some(Command::Sandbox { port, token_ttl }) => sandbox::serve(port, token_ttl),
    }
}
