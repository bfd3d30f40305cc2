//! `logging::init`: a private file under the state directory, never the terminal, never a crash.

use std::path::Path;

// One test: the global logger can be installed once per process, and the environment is shared.
#[test]
fn logs_go_to_a_private_file_and_a_bad_directory_is_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "a file where the log directory should be").unwrap();

    // The environment the logger sees, passed in: the process environment is left alone.
    let blocked = blocker.join("payloads").to_string_lossy().into_owned();
    let env = |name: &str| match name {
        "PAYLOADS_LOG_DIR" => Some(blocked.clone()),
        "PAYLOADS_LOG" => Some("debug".to_string()),
        _ => None,
    };
    assert!(
        payloads::logging::init_in("test", &env).is_none(),
        "no log directory: no logging, no crash"
    );

    let log_dir = dir.path().join("state/payloads");
    let log_dir_text = log_dir.to_string_lossy().into_owned();
    let env = |name: &str| match name {
        "PAYLOADS_LOG_DIR" => Some(log_dir_text.clone()),
        "PAYLOADS_LOG" => Some("debug".to_string()),
        _ => None,
    };
    assert_eq!(
        payloads::logging::log_dir_in(&env).as_deref(),
        Some(log_dir.as_path())
    );
    let guard = payloads::logging::init_in("test", &env).expect("logging starts");
    tracing::debug!("a debug line for the log file");
    let mut secrets = payloads::jobs::Redactor::new();
    secrets.add("log-secret-123456");
    payloads::logging::add_secrets(&secrets);
    tracing::info!(
        token = "log-secret-123456",
        "careless line with log-secret-123456"
    );
    drop(guard); // flushes

    let file = log_dir.join(payloads::logging::LOG_FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("a debug line for the log file"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes in the file");
    assert!(text.contains("careless line with •••redacted•••"), "{text}");
    assert!(!text.contains("log-secret-123456"), "{text}");
    assert_eq!(payloads::logging::log_file_in(&env), Some(file.clone()));
    assert_private(&file);
}

#[cfg(unix)]
fn assert_private(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[cfg(not(unix))]
fn assert_private(_file: &Path) {}
