//! The Runner's settings, and the clock it reads "now" from (fixed or shifted in tests).

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;

/// Where the Runner reads the time: token expiry, `obtained_at`, Job timestamps, `{{now}}`.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }
    /// Always `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }
    /// The system time moved by `shift` (positive: the future).
    pub fn shifted(shift: chrono::Duration) -> Clock {
        Clock(Arc::new(move || Utc::now() + shift))
    }
    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Timeout of a request whose Payload and Integration name none.
    pub default_timeout: Duration,
    pub connect_timeout: Duration,
    /// How much of a response body a Job keeps; the rest is drained and counted.
    pub body_cap: usize,
    /// A token this close to its expiry is refreshed before use.
    pub refresh_margin: Duration,
    pub clock: Clock,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            default_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            body_cap: 1024 * 1024,
            refresh_margin: Duration::from_secs(30),
            clock: Clock::system(),
        }
    }
}

impl RunnerConfig {
    pub fn margin(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.refresh_margin).unwrap_or(chrono::Duration::zero())
    }
}
