//! Ports for tests that must name a port before anything listens on it: a sandbox restarted on
//! the port it had, a child process told `--port`, an address where nothing listens.
//!
//! Two ways a named port goes wrong when tests run in parallel:
//! - A port from `bind(0)` comes out of the kernel's ephemeral range, the range it also picks the
//!   local port of every outgoing connection from: once released, a connection made by another
//!   test can hold it. These ports come from below that range, where only an explicit bind lands.
//! - A socket closed by this process still holds its port while a child spawned by another test
//!   has a copy of it, from fork until exec closes it (close-on-exec). So a port is found free by
//!   connecting to it (refused: nothing listens), never by binding it, and a restart on the same
//!   port is retried for a moment (`sandbox_support::restart_on`).

use std::io::ErrorKind;
use std::net::{Ipv4Addr, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};

/// The lowest port handed out: clear of the well-known and the commonly configured ports.
const LOWEST: u16 = 20_000;

/// Where Linux starts its ephemeral range unless configured otherwise; macOS starts higher.
const DEFAULT_EPHEMERAL_START: u16 = 32_768;

static HANDED_OUT: AtomicU32 = AtomicU32::new(0);

/// A port on 127.0.0.1 where nothing listened a moment ago, and that the kernel hands to no
/// connection unasked; each is handed out once per process.
pub fn port_outside_the_ephemeral_range() -> u16 {
    let end = ephemeral_start().max(LOWEST + 1_000);
    let span = u32::from(end - LOWEST);
    // Spread processes apart so that two test runs at once rarely try the same ports.
    let offset = std::process::id().wrapping_mul(7_919) % span;
    for _ in 0..span {
        let n = HANDED_OUT.fetch_add(1, Ordering::Relaxed);
        let port = LOWEST + u16::try_from((offset + n) % span).expect("below the span");
        let probe = TcpStream::connect((Ipv4Addr::LOCALHOST, port));
        if probe.is_err_and(|e| e.kind() == ErrorKind::ConnectionRefused) {
            return port;
        }
    }
    panic!("no port on 127.0.0.1 between {LOWEST} and {end} refuses connections");
}

fn ephemeral_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse().ok())
        .unwrap_or(DEFAULT_EPHEMERAL_START)
}

#[test]
fn ports_are_below_the_ephemeral_range_and_never_repeat() {
    let first = port_outside_the_ephemeral_range();
    let second = port_outside_the_ephemeral_range();
    assert_ne!(first, second);
    for port in [first, second] {
        assert!(
            (LOWEST..ephemeral_start().max(LOWEST + 1_000)).contains(&port),
            "{port}"
        );
        let refused = TcpStream::connect((Ipv4Addr::LOCALHOST, port));
        assert!(refused.is_err_and(|e| e.kind() == ErrorKind::ConnectionRefused));
    }
}
