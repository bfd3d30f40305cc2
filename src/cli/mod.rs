//! Command-line parsing and dispatch: the TUI by default, and the headless commands.

mod check;
mod init;
mod interactive;
mod jobs;
mod login;
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
    /// Write a short commented starter workspace (mode 0600); never over an existing file.
    Init,
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
    /// Get a Bearer Token Credential's first tokens by its login: a device code (enter it on
    /// any device) or a browser on this machine (authorization code with PKCE).
    Login {
        /// The Credential's id.
        credential: String,
        /// Read the endpoints from this issuer's discovery metadata (RFC 8414 / OpenID).
        #[arg(long, value_name = "URL")]
        issuer: Option<String>,
        /// Print the browser login's URL without opening a browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// List recent Jobs, or show one.
    Jobs {
        #[command(subcommand)]
        action: Option<JobsAction>,
        /// How many Jobs to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print one JSON object per Job, a line each (JSON Lines).
        #[arg(long)]
        json: bool,
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
        Some(Command::Init) => init::init(&workspace),
        Some(Command::Check) => check::check(&workspace),
        Some(Command::Run {
            payload,
            inputs,
            json,
        }) => run::run(&workspace, &payload, &inputs, json),
        Some(Command::Refresh { credential }) => run::refresh(&workspace, &credential),
        Some(Command::Login {
            credential,
            issuer,
            no_browser,
        }) => login::login(&workspace, &credential, issuer, no_browser),
        Some(Command::Jobs {
            action,
            limit,
            json,
        }) => match action {
            None => jobs::list(&workspace, limit, json),
            Some(JobsAction::Show { id, json }) => jobs::show(&workspace, &id, json),
        },
        Some(Command::Sandbox { port, token_ttl }) => sandbox::serve(port, token_ttl),
    }
}
