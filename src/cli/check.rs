//! `payloads check`: validate a workspace file and summarise it, or print every error.

use crate::workspace::{Workspace, load};
use std::path::Path;
use std::process::ExitCode;

/// Exit code of `check` for a workspace that is missing or does not load.
const EXIT_INVALID: u8 = 1;

pub fn check(workspace: &Path) -> ExitCode {
    if !workspace.exists() {
        eprintln!("{}: no such workspace file", workspace.display());
        eprintln!(
            "To create one, copy the example in docs/workspace-format.md (or the demo workspace.ron \
             shipped with Payloads) to {}, or point at another file with --workspace PATH.",
            workspace.display()
        );
        return ExitCode::from(EXIT_INVALID);
    }
    match load(workspace) {
        Ok(ws) => {
            println!("ok: {}", summary(&ws));
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            eprintln!("{}", count(diagnostics.len(), "error", "errors"));
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// `1 integration, 2 credentials, 5 payloads`.
pub fn summary(ws: &Workspace) -> String {
    let parts = [
        count(ws.integrations.len(), "integration", "integrations"),
        count(ws.credentials.len(), "credential", "credentials"),
        count(ws.payloads.len(), "payload", "payloads"),
    ];
    parts.join(", ")
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_correct_plurals() {
        let ws: Workspace = crate::workspace::load::ron_options()
            .from_str(crate::workspace::DEMO_WORKSPACE)
            .unwrap();
        assert_eq!(summary(&ws), "1 integration, 3 credentials, 8 payloads");
        assert_eq!(
            summary(&Workspace::default()),
            "0 integrations, 0 credentials, 0 payloads"
        );
    }
}
