//! The client half of the device authorization grant (RFC 8628): reading the device
//! authorization answer, and the polling schedule that honours `interval` and `slow_down` and
//! stops on `expired_token`, `access_denied` or the code's own expiry.

use serde::Deserialize;
use std::time::Duration;

/// RFC 8628 §3.5: the interval when the server names none, and the step a `slow_down` adds.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// An interval longer than this is taken as this: a server asking for more is broken, and the
/// user is waiting.
const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// The grant type the device code is redeemed with.
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The device authorization answer (RFC 8628 §3.2), checked so that nothing a server sent reaches
/// the terminal unless it is a plain user code and an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceAuthorization {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Duration,
    pub interval: Duration,
}

#[derive(Deserialize)]
struct Raw {
    device_code: Option<String>,
    user_code: Option<String>,
    verification_uri: Option<String>,
    // Some providers (Google's, once) spell it with an L.
    verification_url: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<serde_json::Value>,
    interval: Option<serde_json::Value>,
}

fn seconds(value: Option<&serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl DeviceAuthorization {
    /// Reads a 200 answer's JSON body; every problem is named.
    pub fn parse(body: &[u8]) -> Result<DeviceAuthorization, String> {
        let raw: Raw = serde_json::from_slice(body).map_err(|e| {
            format!(
                "the device authorization answer is not the JSON object RFC 8628 describes ({e})"
            )
        })?;
        let device_code = raw
            .device_code
            .filter(|c| !c.trim().is_empty())
            .ok_or("the device authorization answer has no device_code")?;
        let user_code = raw
            .user_code
            .ok_or("the device authorization answer has no user_code")?;
        let user_code = super::visible_ascii(user_code.trim(), 64)
            .ok_or("the device authorization answer's user_code is not plain text")?
            .to_string();
        let uri = raw
            .verification_uri
            .or(raw.verification_url)
            .ok_or("the device authorization answer has no verification_uri")?;
        let verification_uri = super::server_url("verification_uri", &uri)?.to_string();
        let verification_uri_complete = match raw.verification_uri_complete {
            Some(u) => Some(super::server_url("verification_uri_complete", &u)?.to_string()),
            None => None,
        };
        let expires_in = seconds(raw.expires_in.as_ref())
            .filter(|s| *s > 0)
            .ok_or("the device authorization answer has no positive expires_in")?;
        let interval = seconds(raw.interval.as_ref())
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_INTERVAL)
            .min(MAX_INTERVAL);
        Ok(DeviceAuthorization {
            device_code,
            user_code,
            verification_uri,
            verification_uri_complete,
            expires_in: Duration::from_secs(expires_in),
            interval,
        })
    }
}

/// What one poll of the token endpoint said (RFC 8628 §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollAnswer {
    /// A 2xx: the tokens are in the body.
    Tokens,
    Pending,
    SlowDown,
    /// `access_denied`, `expired_token`, or any other error: the login is over.
    Refused {
        error: String,
        reason: String,
    },
}

impl PollAnswer {
    /// Classifies an answer from its status and the OAuth `error` code of its body, if any.
    pub fn classify(success: bool, error: Option<&str>, reason: Option<String>) -> PollAnswer {
        if success && error.is_none() {
            return PollAnswer::Tokens;
        }
        match error {
            Some("authorization_pending") => PollAnswer::Pending,
            Some("slow_down") => PollAnswer::SlowDown,
            other => PollAnswer::Refused {
                error: other.unwrap_or("").to_string(),
                reason: reason.unwrap_or_default(),
            },
        }
    }
}

/// The next step of a device login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Wait this long, then poll again.
    Wait(Duration),
    /// Save the tokens of the last answer.
    Save,
    /// Stop, with what to tell the user.
    Stop(String),
}

/// The polling schedule: starts at the server's `interval`, grows by 5 s with each `slow_down`,
/// and ends when the device code expires.
#[derive(Debug, Clone)]
pub struct Poller {
    interval: Duration,
    left: Duration,
}

impl Poller {
    pub fn new(authorization: &DeviceAuthorization) -> Poller {
        Poller {
            interval: authorization.interval,
            left: authorization.expires_in,
        }
    }

    /// The wait before the next poll.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Counts a wait of the current interval against the code's lifetime; false when the code
    /// expires before the next poll could go out.
    pub fn spend_wait(&mut self) -> bool {
        match self.left.checked_sub(self.interval) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    pub fn on_answer(&mut self, answer: &PollAnswer) -> Next {
        match answer {
            PollAnswer::Tokens => Next::Save,
            PollAnswer::Pending => Next::Wait(self.interval),
            PollAnswer::SlowDown => {
                self.interval = (self.interval + SLOW_DOWN_STEP).min(MAX_INTERVAL);
                Next::Wait(self.interval)
            }
            PollAnswer::Refused { error, reason } => Next::Stop(refusal_text(error, reason)),
        }
    }
}

fn refusal_text(error: &str, reason: &str) -> String {
    let said = if reason.is_empty() {
        String::new()
    } else {
        format!(" (the server said: {reason})")
    };
    match error {
        "access_denied" => format!(
            "the login was denied at the verification page{said}; run the login again to get a new code"
        ),
        "expired_token" => format!(
            "the code expired before it was approved{said}; run the login again to get a new code"
        ),
        "" => format!("the token endpoint refused the device code{said}"),
        other => format!("the token endpoint refused the device code with {other}{said}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> Result<DeviceAuthorization, String> {
        DeviceAuthorization::parse(json.as_bytes())
    }

    #[test]
    fn the_rfc_8628_example_answer_is_read() {
        let a = answer(
            r#"{"device_code":"GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS","user_code":"WDJB-MJHT",
                "verification_uri":"https://example.com/device",
                "verification_uri_complete":"https://example.com/device?user_code=WDJB-MJHT",
                "expires_in":1800,"interval":5}"#,
        )
        .unwrap();
        assert_eq!(a.user_code, "WDJB-MJHT");
        assert_eq!(a.interval, Duration::from_secs(5));
        assert_eq!(a.expires_in, Duration::from_secs(1800));
        assert_eq!(
            a.verification_uri_complete.as_deref(),
            Some("https://example.com/device?user_code=WDJB-MJHT")
        );
    }

    #[test]
    fn missing_interval_is_five_seconds_and_bad_fields_are_named() {
        let a = answer(r#"{"device_code":"d","user_code":"A","verification_uri":"http://x/d","expires_in":"60"}"#)
            .unwrap();
        assert_eq!(a.interval, DEFAULT_INTERVAL);
        let e = answer(r#"{"device_code":"d","user_code":"A\u001b[2J","verification_uri":"http://x/d","expires_in":60}"#)
            .unwrap_err();
        assert!(e.contains("user_code is not plain text"), "{e}");
        let e = answer(r#"{"device_code":"d","user_code":"A","verification_uri":"javascript:alert(1)","expires_in":60}"#)
            .unwrap_err();
        assert!(e.contains("not an http(s) URL"), "{e}");
        let e = answer(r#"{"user_code":"A","verification_uri":"http://x/d","expires_in":60}"#)
            .unwrap_err();
        assert!(e.contains("no device_code"), "{e}");
        assert!(
            answer("<html>")
                .unwrap_err()
                .contains("not the JSON object")
        );
    }

    #[test]
    fn slow_down_adds_five_seconds_for_good_and_errors_stop() {
        let a = answer(r#"{"device_code":"d","user_code":"A","verification_uri":"http://x/d","expires_in":60,"interval":1}"#)
            .unwrap();
        let mut poller = Poller::new(&a);
        assert_eq!(
            poller.on_answer(&PollAnswer::Pending),
            Next::Wait(Duration::from_secs(1))
        );
        assert_eq!(
            poller.on_answer(&PollAnswer::SlowDown),
            Next::Wait(Duration::from_secs(6))
        );
        assert_eq!(
            poller.on_answer(&PollAnswer::Pending),
            Next::Wait(Duration::from_secs(6))
        );
        assert_eq!(poller.on_answer(&PollAnswer::Tokens), Next::Save);
        let denied = PollAnswer::classify(false, Some("access_denied"), None);
        match poller.on_answer(&denied) {
            Next::Stop(why) => assert!(why.contains("denied"), "{why}"),
            other => panic!("{other:?}"),
        }
        let expired = PollAnswer::classify(false, Some("expired_token"), Some("too late".into()));
        match poller.on_answer(&expired) {
            Next::Stop(why) => {
                assert!(why.contains("expired") && why.contains("too late"), "{why}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_code_lifetime_bounds_the_waits() {
        let a = answer(r#"{"device_code":"d","user_code":"A","verification_uri":"http://x/d","expires_in":10,"interval":4}"#)
            .unwrap();
        let mut poller = Poller::new(&a);
        assert!(poller.spend_wait());
        assert!(poller.spend_wait());
        assert!(!poller.spend_wait());
    }
}
