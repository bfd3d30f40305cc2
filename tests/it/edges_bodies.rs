//! Issue 9, item 6: compressed bodies are decoded (gzip, deflate, brotli, zstd) so response
//! values are read from them; a body still encoded, or whose compression is corrupt, fails each
//! value by name while the Job keeps the HTTP answer; valid UTF-8 holding U+FFFD is not called
//! "not UTF-8"; a Job whose expected response values were not found says so in its status line.

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
/// JSON in brotli (RFC 7932), written by hand so no brotli encoder is needed: a 16-bit window,
/// one uncompressed meta-block of 24 bytes (3 header bytes), then an empty last meta-block.
const BROTLI: &[u8] = &[
    112, 1, 16, 123, 34, 105, 100, 34, 58, 34, 99, 49, 34, 44, 34, 110, 97, 109, 101, 34, 58, 34,
    65, 100, 97, 34, 125, 3,
];
/// Not gzip at all, though the server says so: the magic bytes are wrong.
const BAD_GZIP_HEADER: &[u8] = b"\x1f\x00garbage that is not gzip";

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
    for (encoding, body) in [
        ("gzip", GZIP),
        ("deflate", DEFLATE),
        ("br", BROTLI),
        ("zstd", ZSTD),
    ] {
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

/// A body whose compression is corrupt is not a failed request: the Job succeeds with the HTTP
/// answer recorded (status and headers), each value read from the body fails by name with the
/// decoder's reason, and a value read from a header is still read.
#[tokio::test]
async fn a_corrupt_compressed_body_fails_each_value_by_name_and_keeps_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json")
                .insert_header("x-request-id", "req-7")
                .set_body_bytes(BAD_GZIP_HEADER.to_vec()),
        )
        .mount(&server)
        .await;
    let mut ws = reading_name(&server.uri());
    let list = ws
        .payloads
        .iter_mut()
        .find(|p| p.id == "list-contacts")
        .unwrap();
    list.response.push(ResponseValue {
        name: "id".into(),
        source: ValueSource::JsonPath("$.id".into()),
    });
    list.response.push(ResponseValue {
        name: "request".into(),
        source: ValueSource::Header("x-request-id".into()),
    });
    let h = Harness::new(&ws);

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let response = job.response.expect("the HTTP answer is recorded");
    assert_eq!(response.status, 200);
    assert!(
        response
            .headers
            .iter()
            .any(|(n, v)| n == "x-request-id" && v == "req-7"),
        "{:?}",
        response.headers
    );
    assert_eq!(
        job.extracted,
        vec![("request".to_string(), "req-7".to_string())]
    );
    let names: Vec<&str> = response
        .missing_values
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["name", "id"], "{:?}", response.missing_values);
    for (name, why) in &response.missing_values {
        assert!(
            why.starts_with("body could not be decoded (gzip): ") && why.contains("gzip header"),
            "{name}: {why}"
        );
    }
}

/// A connection that dies inside a compressed body is still a failed request, not a value that
/// could not be decoded.
#[tokio::test]
async fn a_connection_cut_inside_a_compressed_body_fails_the_request() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        // Promises 1,000 bytes of gzip, sends the first 20 and hangs up.
        let head = "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&GZIP[..20]).await;
        let _ = socket.shutdown().await;
    });
    let h = Harness::new(&reading_name(&base));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap_or_default();
    assert!(!error.contains("could not be decoded"), "{error}");
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
