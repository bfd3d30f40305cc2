//! Command-line parsing and dispatch: the TUI by default, and the headless commands.

mod check;
mod complete;
mod curl_in;
mod curl_out;
mod discover;
mod init;
mod inputs;
mod interactive;
mod jobs;
mod login;
mod output;
mod run;
mod sandbox;
mod transfer;

pub use discover::{Located, Origin, locate};
pub use inputs::MAX_INPUT_BYTES;
pub use output::{ColorChoice, Verbosity};

use clap::{Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit codes every command shares, shown under each `--help` and in the README.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the run, refresh or check failed (the Job says why)
  2  usage or workspace errors: a bad flag, an unknown id, a workspace that does not load";

const TUI_EXIT_CODES: &str = "\
Exit codes:
  0    quit
  1    the terminal failed
  2    the workspace could not be opened (or, for demo, the sandbox could not start)
  129  the terminal hung up (SIGHUP); 130 interrupted (SIGINT); 143 terminated (SIGTERM)";

#[derive(Debug, Parser)]
#[command(
    name = "payloads",
    version,
    about = "Run API Payloads with refresh-then-call Bearer tokens",
    after_help = TUI_EXIT_CODES,
)]
pub struct Cli {
    /// The workspace file [default: the nearest workspace.ron in this directory or a parent,
    /// up to the repository root; else ./workspace.ron].
    #[arg(long, global = true, env = "PAYLOADS_WORKSPACE", value_hint = clap::ValueHint::FilePath)]
    pub workspace: Option<PathBuf>,
    /// Print only the result: the body (or nothing), and one line on stderr on failure.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print which workspace file is used, the whole timeline and the request and
    /// response headers (secrets redacted).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour for stderr events and Jobs tables: auto (only on a terminal, and not with
    /// NO_COLOR set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a short commented starter workspace (mode 0600); never over an existing file.
    Init,
    /// Validate the workspace file and print a summary, or every error.
    #[command(after_help = "\
Exit codes:
  0  the workspace is valid
  1  it is missing or has errors (each as path:line:col: message, or JSON with --json)
  2  usage errors")]
    Check {
        /// Print one JSON object per diagnostic, a line each (JSON Lines; docs/cli-json.md);
        /// nothing when the workspace is valid.
        #[arg(long)]
        json: bool,
    },
    /// Run a Payload headless: events to stderr, the response body to stdout.
    #[command(after_help = "\
Inputs: --input NAME=VALUE gives a value; NAME=@PATH reads it from a file and NAME=@- from stdin
(one input at most), byte for byte, up to 1 MiB; NAME=@@… is a value that starts with @.

Exit codes:
  0  the run succeeded
  1  the run failed or was cancelled (Ctrl-C); the Job says why (payloads jobs show ID)
  2  usage or workspace errors: an unknown Payload, a missing input, a file that does not load")]
    Run {
        /// The Payload's id.
        #[arg(add = ArgValueCompleter::new(complete::payload_ids))]
        payload: String,
        /// A dynamic input: NAME=VALUE, NAME=@PATH (a file), NAME=@- (stdin); repeat for more.
        #[arg(long = "input", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::input_names))]
        inputs: Vec<String>,
        /// Print the finished Job as JSON on stdout instead of the response body.
        #[arg(long)]
        json: bool,
    },
    /// Refresh a Bearer Token Credential now.
    #[command(after_help = "\
Exit codes:
  0  the token request succeeded and the new tokens are saved
  1  the token request failed; the Job says why (payloads jobs show ID)
  2  usage or workspace errors: an unknown Credential, one that is not a Bearer Token")]
    Refresh {
        /// The Credential's id.
        #[arg(add = ArgValueCompleter::new(complete::bearer_credential_ids))]
        credential: String,
        /// Print the finished refresh Job as JSON on stdout (secrets redacted).
        #[arg(long)]
        json: bool,
    },
    /// Get a Bearer Token Credential's first tokens by its login: a device code (enter it on
    /// any device) or a browser on this machine (authorization code with PKCE).
    Login {
        /// The Credential's id.
        #[arg(add = ArgValueCompleter::new(complete::bearer_credential_ids))]
        credential: String,
        /// Read the endpoints from this issuer's discovery metadata (RFC 8414 / OpenID).
        #[arg(long, value_name = "URL")]
        issuer: Option<String>,
        /// Print the browser login's URL without opening a browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// List recent Jobs (newest first, filtered), or show, count or prune them.
    #[command(after_help = "\
Exit codes:
  0  listed, shown, counted or pruned
  2  no such Job, an ambiguous id prefix, or the Jobs history cannot be read")]
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
    #[command(after_help = "\
Exit codes:
  0  stopped by Ctrl-C or SIGTERM
  2  it could not start (the port is taken, say)")]
    Sandbox {
        /// The port on 127.0.0.1 (the shipped workspace expects 8787).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Lifetime of the access tokens it issues, in seconds.
        #[arg(long, default_value_t = 300)]
        token_ttl: u64,
    },
    /// Start the sandbox in-process and open the TUI on the workspace.
    #[command(after_help = TUI_EXIT_CODES)]
    Demo {
        /// The sandbox's port on 127.0.0.1 (the shipped workspace expects 8787).
        #[arg(long, default_value_t = 8787)]
        port: u16,
    },
    /// Print a shell completion script (Payload, Credential and input names complete from the
    /// workspace).
    #[command(after_help = "\
Install (bash):  payloads completions bash > ~/.local/share/bash-completion/completions/payloads
         (zsh):  payloads completions zsh > \"${fpath[1]}/_payloads\"
        (fish):  payloads completions fish > ~/.config/fish/completions/payloads.fish
The script runs `payloads` from PATH at each <TAB>.

Exit codes:
  0  printed
  2  usage errors")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: complete::Shell,
    },
    /// Print a Payload as a curl command, or an Integration as a RON document.
    #[command(after_help = EXIT_CODES)]
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Merge a document written by `payloads export integration` into the workspace, or add a
    /// Payload made from a curl command (`payloads import curl`).
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "\
Exit codes:
  0  imported
  2  usage or workspace errors: ids already in the workspace (listed; --rename-conflicts renames
     them and rewrites every reference), a document or curl command that cannot be read"
    )]
    Import {
        #[command(subcommand)]
        what: Option<ImportWhat>,
        /// The document (RON) written by `payloads export integration`.
        #[arg(required = true, value_hint = clap::ValueHint::FilePath)]
        file: Option<PathBuf>,
        /// Import records whose ids are taken under new ids (`id-2` …), rewriting references.
        #[arg(long)]
        rename_conflicts: bool,
    },
    /// Print the man page (roff); e.g. `payloads man > ~/.local/share/man/man1/payloads.1`.
    #[command(after_help = EXIT_CODES)]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// The Payload as a curl command, as it would be sent now: templates rendered, the
    /// Credential applied (a token that needs it is refreshed first). Secrets are shell
    /// variables named in a comment, unless --reveal.
    #[command(after_help = "\
Exit codes:
  0  printed
  1  the token needed a refresh, which failed
  2  usage or workspace errors: an unknown Payload, a missing input, a template that fails")]
    Curl {
        /// The Payload's id.
        #[arg(add = ArgValueCompleter::new(complete::payload_ids))]
        payload: String,
        /// A dynamic input, as for `run`: NAME=VALUE, NAME=@PATH, NAME=@-.
        #[arg(long = "input", value_name = "NAME=VALUE", add = ArgValueCompleter::new(complete::input_names))]
        inputs: Vec<String>,
        /// Write the secrets into the command instead of shell variable references.
        #[arg(long)]
        reveal: bool,
    },
    /// The Integration, its Credentials and Payloads and the Variables they use, as one RON
    /// document on stdout. Secrets become {{env.NAME}} references (the names listed on
    /// stderr) and Bearer tokens are left blank, unless --with-secrets.
    #[command(after_help = "\
Exit codes:
  0  printed
  2  usage or workspace errors: an unknown Integration, a workspace that does not load")]
    Integration {
        /// The Integration's id.
        #[arg(add = ArgValueCompleter::new(complete::integration_ids))]
        id: String,
        /// Keep the secrets and tokens in the document.
        #[arg(long)]
        with_secrets: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// A curl command as a new Payload of an Integration: method, URL (relative to the base
    /// URL when under it), headers, query, -d/--data*/--json/--data-urlencode/-F, -u and an
    /// Authorization header (as a Credential, never in the Payload). Options it cannot carry
    /// over are named in a warning.
    #[command(after_help = "\
Example:
  payloads import curl --integration sandbox -- \"curl -u ada:secret 'http://127.0.0.1:8787/api/ping'\"
  pbpaste | payloads import curl - --integration sandbox --id my-call

Exit codes:
  0  added (its id printed on stdout)
  2  usage or workspace errors: not a curl command, an unknown Integration, an id taken")]
    Curl {
        /// The whole curl command as one argument, or - (or nothing) to read it from stdin.
        command: Option<String>,
        /// The Integration the Payload belongs to.
        #[arg(long, add = ArgValueCompleter::new(complete::integration_ids))]
        integration: String,
        /// The new Payload's id [default: from the method and path, e.g. get-api-contacts].
        #[arg(long)]
        id: Option<String>,
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
            payload: self.payload.map(crate::workspace::PayloadId::from),
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

/// What every command is given: the workspace and how to talk.
#[derive(Debug, Clone)]
pub struct Context {
    pub workspace: Located,
    pub verbosity: Verbosity,
    pub color: ColorChoice,
}

impl Context {
    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }
    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }
}

/// Parses the command line; usage errors print as `payloads: …` lines and exit 2.
fn parse() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.exit();
            }
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            output::stderr_line(&format!("payloads: {}", text.trim_end()));
            std::process::exit(EXIT_USAGE.into());
        }
    }
}

pub fn main() -> ExitCode {
    // A <TAB> in a shell runs `payloads` to list completions: answered here, before anything else.
    complete::answer_if_asked();
    let cli = parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let cwd = std::env::current_dir().ok();
    let ctx = Context {
        workspace: locate(cli.workspace, cwd.as_deref()),
        verbosity,
        color: cli.color,
    };
    // Logs go to a file under the state directory, never to the terminal; kept until exit.
    let _log_guard = crate::logging::init("payloads");
    let workspace = ctx.workspace.path.clone();
    let uses_workspace = !matches!(
        cli.command,
        Some(Command::Sandbox { .. } | Command::Completions { .. } | Command::Man)
    );
    if ctx.verbose() && uses_workspace {
        output::note(ctx.workspace.describe());
    }
    match cli.command {
        None => interactive::tui(&workspace, ctx.color),
        Some(Command::Demo { port }) => interactive::demo(&workspace, port, ctx.color),
        Some(Command::Init) => init::init(&workspace),
        Some(Command::Check { json }) => check::check(&ctx.workspace, json),
        Some(Command::Run {
            payload,
            inputs,
            json,
        }) => run::run(&ctx, &payload, &inputs, json),
        Some(Command::Refresh { credential, json }) => run::refresh(&ctx, &credential, json),
        Some(Command::Login {
            credential,
            issuer,
            no_browser,
        }) => login::login(&workspace, &credential, issuer, no_browser),
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
                    integration: integration.map(crate::workspace::IntegrationId::from),
                    limit: Some(limit),
                    ..filter.query()
                };
                jobs::list(&workspace, &query, json, ctx.color.for_stdout())
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
        Some(Command::Completions { shell }) => print_generated(complete::script(shell)),
        Some(Command::Man) => print_generated(complete::man_page()),
        Some(Command::Export {
            what:
                ExportWhat::Curl {
                    payload,
                    inputs,
                    reveal,
                },
        }) => curl_out::export(&ctx, &payload, &inputs, reveal),
        Some(Command::Export {
            what: ExportWhat::Integration { id, with_secrets },
        }) => transfer::export(&ctx, &id, with_secrets),
        Some(Command::Import {
            what:
                Some(ImportWhat::Curl {
                    command,
                    integration,
                    id,
                }),
            ..
        }) => curl_in::import(&ctx, command.as_deref(), &integration, id.as_deref()),
        Some(Command::Import {
            what: None,
            file,
            rename_conflicts,
        }) => match file {
            Some(file) => transfer::import(&ctx, &file, rename_conflicts),
            None => run::usage_error("give the FILE to import, or `curl`"),
        },
    }
}

fn print_generated(generated: Result<Vec<u8>, String>) -> ExitCode {
    match generated {
        Ok(bytes) => {
            let _ = output::stdout(&bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            output::error(format_args!("could not generate it: {e}"));
            ExitCode::from(EXIT_USAGE)
        }
    }
}
