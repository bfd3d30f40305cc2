//! `payloads check --json` on the broken files of the error tests (tests/it/workspace_errors.rs):
//! the same positions and messages as the text report, as JSON Lines an editor can parse.

use serde_json::Value;
use std::process::Output;

const VALID: &str = include_str!("../fixtures/valid.ron");

/// `payloads check --json` on `w.ron` in `dir` (so paths print as `w.ron`, as in the cases).
fn check_json(dir: &std::path::Path) -> Output {
    crate::common::bin::payloads(dir)
        .args(&["--workspace", "w.ron", "check", "--json"])
        .output()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn each_broken_file_carries_the_same_positions_as_the_text_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (what, find, replace, expected) in crate::workspace_errors::CASES {
        std::fs::write(dir.path().join("w.ron"), VALID.replacen(find, replace, 1)).unwrap();
        let out = check_json(dir.path());
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(out.stderr.is_empty(), "{what}: {:?}", out.stderr);
        let objects = lines(&out);
        let rebuilt: Vec<String> = objects
            .iter()
            .map(|o| {
                assert_eq!(o["severity"], "error");
                let (line, column) = (o["line"].as_u64().unwrap(), o["column"].as_u64().unwrap());
                let end = (
                    o["end"]["line"].as_u64().unwrap(),
                    o["end"]["column"].as_u64().unwrap(),
                );
                assert!(
                    end >= (line, column),
                    "{what}: end {end:?} before {line}:{column}"
                );
                // The record named in the message is the record of the object.
                if let Some(kind) = o["record"]["kind"].as_str() {
                    let id = o["record"]["id"].as_str().unwrap();
                    assert!(
                        o["message"]
                            .as_str()
                            .unwrap()
                            .starts_with(&format!("{kind} \"{id}\": ")),
                        "{what}: {o}"
                    );
                }
                format!(
                    "{}:{line}:{column}: {}",
                    o["path"].as_str().unwrap(),
                    o["message"].as_str().unwrap()
                )
            })
            .collect();
        if rebuilt.join("\n") != *expected {
            failures.push(format!(
                "{what}:\n  expected: {expected}\n  json:     {rebuilt:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn records_suggestions_and_ends_are_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let text = VALID.replacen(
        "method: GET,\n            endpoint: \"/api/ping\"",
        "method: Get,\n            endpoint: \"/api/ping\"",
        1,
    );
    std::fs::write(dir.path().join("w.ron"), text).unwrap();
    let objects = lines(&check_json(dir.path()));
    assert_eq!(
        objects,
        [serde_json::json!({
            "path": "w.ron",
            "line": 144,
            "column": 21,
            "end": {"line": 144, "column": 24},
            "severity": "error",
            "record": {"kind": "payload", "id": "ping"},
            "message": "payload \"ping\": unknown method `Get`; did you mean `GET`?",
            "suggestion": "GET",
        })]
    );
}

#[test]
fn a_valid_file_prints_nothing_and_a_missing_one_has_no_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("w.ron"), VALID).unwrap();
    let out = check_json(dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());

    std::fs::remove_file(dir.path().join("w.ron")).unwrap();
    let out = check_json(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let objects = lines(&out);
    assert_eq!(objects.len(), 1);
    let o = &objects[0];
    assert_eq!(o["path"], "w.ron");
    assert!(o["line"].is_null() && o["column"].is_null() && o["end"].is_null());
    assert!(o["record"].is_null() && o["suggestion"].is_null());
    assert!(
        o["message"]
            .as_str()
            .unwrap()
            .starts_with("no such workspace file; to create one")
    );
}
