//! `payloads sandbox`: serve the built-in sandbox API until interrupted.

use super::output;
use crate::sandbox::{self, SandboxConfig};
use std::process::ExitCode;
use std::time::Duration;

pub fn serve(port: u16, token_ttl: u64) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            output::error(format_args!("cannot start the async runtime: {e}"));
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let config = SandboxConfig {
        port,
        token_ttl: Duration::from_secs(token_ttl).min(sandbox::MAX_TOKEN_TTL),
        ..SandboxConfig::default()
    };
    runtime.block_on(async move {
        let handle = match sandbox::start(config.clone()).await {
            Ok(handle) => handle,
            Err(e) => {
                output::error(format_args!("cannot start the sandbox: {e}"));
                return ExitCode::from(super::EXIT_USAGE);
            }
        };
        // The demo client and key are public demo data (they are in the shipped workspace).
        output::stderr_line(&format!(
            "sandbox listening on {} (client_id {}, client_secret {}, api key {}, access tokens live {} s); Ctrl-C stops it",
            handle.base_url(),
            config.client_id,
            config.client_secret,
            config.api_key,
            config.token_ttl.as_secs(),
        ));
        wait_for_stop_signal().await;
        output::stderr_line("sandbox stopping");
        handle.shutdown().await;
        ExitCode::SUCCESS
    })
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
