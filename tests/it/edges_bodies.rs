//! Issue 9, item 6: compressed bodies are decoded (gzip, deflate, zstd; brotli by the same
//! reqwest feature) so response values are read from them; a body still encoded fails each
//! value by name; valid UTF-8 holding U+FFFD is not called "not UTF-8"; a Job whose expected
//! response values were not found says so in its status line.

use crate::common::*;
use crate::edges_output::Dir;
use payloads::jobs::JobStatus;
use payloads::workspace::{ResponseValue, ValueSource, Workspace};
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JSON: &str = r#"{"id":"c1","name":"Ada"}"#;
const GZIP: &[u8] = &[
    31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 202, 76, 81, 178, 82, 74, 54, 84, 210, 81, 202, 75,
    204, 77, 5, 178, 29, 83, 18, 149, 106, 1, 85, 250, 18, 217, 24, 0, 0, 0,
];
const DEFLATE: &[u8] = &[
    120, 156, 171, 86, 202, 76, 81, 178, 82, 74, 54, 84, 210, 81, 202, 75, 204, 77, 5, 178, 29, 83,
    18, 149, 106, 1, 82, 82, 6, 177,
];
const ZSTD: &[u8] = &[
    40, 181, 47, 253, 4, 88, 193, 0, 0, 123, 34, 105, 100, 34, 58, 34, 99, 49, 34, 44, 34, 110, 97,
    109, 101, 34, 58, 34, 65, 100, 97, 34, 125, 71, 58, 222, 253,
];

fn reading_name(base_url: &str) -> Workspace {
    let mut ws = oauth_workspace(base_url, OLD_ACCESS, None);
    let list = ws
        .payloads
        .iter_mut()
        .find(|p| p.id == "list-contacts")
        .unwrap();
    list.response = vec![ResponseValue {
        name: "name".into(),
        source: ValueSource::JsonPath("$.name".into()),
    }];
    ws
}

async fn serving(encoding: &str, body: &[u8]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        // The request must say what it can decode, or a server may not compress at all.
        .and(header_regex("accept-encoding", "gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", encoding)
                .insert_header("content-type", "application/json")
                .set_body_bytes(body.to_vec()),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn values_are_read_from_compressed_bodies() {
    for (encoding, body) in [("gzip", GZIP), ("deflate", DEFLATE), ("zstd", ZSTD)] {
        let server = serving(encoding, body).await;
        let h = Harness::new(&reading_name(&server.uri()));
        let job = h.run("list-contacts").await;
        assert_eq!(
            job.status,
            JobStatus::Succeeded,
            "{encoding}: {:?}",
            job.error
        );
        assert_eq!(
            job.extracted,
            vec![("name".to_string(), "Ada".to_string())],
            "{encoding}"
        );
        assert_eq!(job.response.unwrap().body, JSON, "{encoding}");
    }
}

/// A body in an encoding nobody decodes fails its values by name, and the run's status line
/// says a value was not found.
#[tokio::test]
async fn an_undecodable_body_fails_its_values_by_name_and_the_status_line_says_so() {
    let server = serving("x-unknown-squeeze", b"\x00\x01garbage").await;
    let dir = Dir::new(&reading_name(&server.uri()));

    let out = dir.output(&["run", "list-contacts"]).await;

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("succeeded") && stderr.contains("response value not found: name"),
        "{stderr}"
    );
    let store = payloads::jobs::JobStore::beside(dir.workspace());
    // The list rows carry no response: the Job is read in full by its id.
    let newest = store.list(1).unwrap().remove(0);
    let job = store.get(&newest.id).unwrap().expect("the Job is recorded");
    let missing = &job.response.as_ref().unwrap().missing_values;
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0].1.contains("x-unknown-squeeze-encoded"),
        "{missing:?}"
    );
}

/// Valid UTF-8 that holds U+FFFD is text: no "not UTF-8" note. Bytes that are not UTF-8 get it.
#[tokio::test]
async fn only_bodies_that_are_not_utf8_are_called_so() {
    for (body, noted) in [
        ("{\"name\":\"A\u{FFFD}a\"}".as_bytes().to_vec(), false),
        (b"{\"name\":\"A\xffa\"}".to_vec(), true),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/contacts"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(body))
            .mount(&server)
            .await;
        let dir = Dir::new(&reading_name(&server.uri()));
        let out = dir.output(&["run", "list-contacts"]).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert_eq!(stderr.contains("is not UTF-8 text"), noted, "{stderr}");
    }
}
