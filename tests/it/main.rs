//! The integration tests, one binary of modules: each file is one area; the *_support and
//! common modules are the shared harnesses. Tests that set process-global state (the log
//! subscriber, environment variables) keep binaries of their own: tests/jobs_logging.rs and
//! tests/sandbox_log.rs.

mod common;
mod jobs_support;
mod sandbox_support;
mod tls_support;
mod tui_support;

mod cli_other_servers;
mod cli_run;
mod cli_run_shipped;
mod cli_tls;
mod env_secrets;
mod flow;
mod flow_refresh_failures;
mod flow_requests;
mod flow_tls;
mod jobs_cli;
mod jobs_store;
mod sandbox;
mod sandbox_cli;
mod sandbox_oauth;
mod tui_e2e;
mod tui_event_loop;
mod tui_file_e2e;
mod tui_forms;
mod tui_keys_edge;
mod tui_notes;
mod tui_outside_edits;
mod tui_scale;
mod tui_snapshots;
mod tui_update;
mod two_processes;
mod workspace_check_cli;
mod workspace_dialect;
mod workspace_edit;
mod workspace_errors;
mod workspace_lossless;
mod workspace_lossless_more;
mod workspace_roundtrip;
mod workspace_store;

// cli: completions, man page, JSON, inputs from files, -q/-v/--color, workspace discovery
mod cli_check_json;
mod cli_completions;
mod cli_curl;
mod cli_curl_import;
mod cli_inputs;
mod cli_output;
// edges (issue 9): the edges of the refresh-then-call flow
mod edges_bodies;
mod edges_hangup;
mod edges_journal;
mod edges_limits;
mod edges_output;
mod edges_properties;
mod edges_tokens;
mod edges_tui_missing;
// oauth: first tokens (issue 11)
mod cli_transfer;
mod oauth_cli;
mod oauth_hints;
mod oauth_login;
mod oauth_props;
mod oauth_sandbox;
mod oauth_tui;

// arch-core: redaction of {{env.NAME}} values and short secrets
mod redact_env_values;
// perf (issue 13): an idle TUI does no work; TLS set up on the first https request
mod perf_idle;
mod perf_tls_lazy;
// arch-tui: the keymap, scroll state from the last draw, Job find, ASCII terminals
mod tui_ascii;
mod tui_keymap;
mod tui_scroll;
// sqlite: the Jobs history database.
mod sqlite_history;
mod sqlite_tui;
// oauth (session 3): following references, Name-first forms, the Credential form's OAuth fields, the
// opt-in client credentials fallback of a refused refresh token
mod oauth_fallback;
mod oauth_links;
// copy (issue 12): OSC 52 copy keys, the JSONPath query line, an idle Job detail
mod copy_keys;
mod copy_query;
mod copy_tmux;
// vars (issue 12): Variables in the TUI, curl in and Integrations out and in from the TUI
mod vars_curl_tui;
mod vars_variables;
// transfer (issue 12 item 4): Integrations exported and imported from the TUI
mod vars_transfer_tui;
