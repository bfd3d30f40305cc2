//! Places the `payloads` binary's hot functions first and together at link time.
//!
//! The kernel maps a program's code around each page it runs, 64 KiB at a time, so a path whose
//! functions are scattered over the whole binary keeps most of it in memory. `link/hot-functions.txt`
//! (written by `bench/hot-functions.sh`) lists what start-up, the idle TUI, `check` and a headless
//! run execute; rust-lld puts those functions at the front of the code, in that order. An idle TUI
//! and `payloads check` then touch a few hundred kilobytes of code instead of megabytes.
//!
//! Only where the linker is known to be rust-lld (x86_64 Linux from Rust 1.90, no linker set by
//! the user) and for release builds: any other linker builds the binary as before. A name that is
//! no longer in the binary is skipped silently, so a stale list never breaks a build. The names
//! carry hashes that change with the compiler and with any dependency's version, so the list comes
//! with a stamp of both (`link/hot-functions.stamp`); when they differ, the build says so.
//!
//! The same builds pack their relative relocations (`-z pack-relative-relocs`) where the C
//! library can read them, so a start no longer reads half a megabyte of them.

use std::env;
use std::path::Path;
use std::process::Command;

const ORDER_FILE: &str = "link/hot-functions.txt";
const STAMP_FILE: &str = "link/hot-functions.stamp";

fn main() {
    println!("cargo::rerun-if-changed={ORDER_FILE}");
    println!("cargo::rerun-if-changed={STAMP_FILE}");
    println!("cargo::rerun-if-changed=Cargo.lock");
    println!("cargo::rerun-if-changed=build.rs");
    if env::var("PROFILE").as_deref() != Ok("release") {
        return;
    }
    let rustc = rustc_version();
    if !links_with_rust_lld(&rustc) {
        return;
    }
    if loader_reads_relr() {
        println!("cargo::rustc-link-arg-bin=payloads=-Wl,-z,pack-relative-relocs");
    }
    let manifest = Path::new(&env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).to_path_buf();
    let order = manifest.join(ORDER_FILE);
    if !order.is_file() {
        return;
    }
    println!(
        "cargo::rustc-link-arg-bin=payloads=-Wl,--symbol-ordering-file={}",
        order.display()
    );
    println!("cargo::rustc-link-arg-bin=payloads=-Wl,--no-warn-symbol-ordering");
    let stamp = std::fs::read_to_string(manifest.join(STAMP_FILE)).unwrap_or_default();
    if stamp.trim() != current_stamp(&manifest, &rustc).trim() {
        println!(
            "cargo::warning={ORDER_FILE} was made with another compiler or Cargo.lock, so few of \
             its names match: run bench/hot-functions.sh to place the hot code together again"
        );
    }
}

/// Whether the C library this build runs on loads relative relocations in the packed form
/// (`DT_RELR`, glibc 2.36 and later): about 23,000 of them, 540 KB as `.rela.dyn` that every
/// start reads whole, take a few kilobytes so. An older glibc refuses such a binary, so anything
/// but a native build on a glibc that says it is new enough keeps the classic form.
fn loader_reads_relr() -> bool {
    if env::var("HOST").ok() != env::var("TARGET").ok() {
        return false;
    }
    let Ok(output) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(version) = text.trim().strip_prefix("glibc ") else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    matches!((parts.next(), parts.next()), (Some(Some(2)), Some(Some(minor))) if minor >= 36)
}

/// What the list's names depend on: the compiler's version and every dependency's version (the
/// FNV-1a hash of Cargo.lock). bench/hot-functions.sh writes the same two lines.
fn current_stamp(manifest: &Path, rustc_version: &str) -> String {
    let lock = std::fs::read(manifest.join("Cargo.lock")).unwrap_or_default();
    let hash = lock.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{}\nCargo.lock {hash:016x}\n", rustc_version.trim())
}

/// rust-lld is the default linker of `x86_64-unknown-linux-gnu` since Rust 1.90; GNU ld and
/// others do not know `--symbol-ordering-file`, so anything else (a `linker` or `-C linker*`
/// flag set by the user, another target, an older compiler) gets no ordering.
fn links_with_rust_lld(rustc_version: &str) -> bool {
    let target = env::var("TARGET").unwrap_or_default();
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    target == "x86_64-unknown-linux-gnu"
        && env::var_os("RUSTC_LINKER").is_none()
        && !flags.contains("linker")
        && rustc_minor(rustc_version).is_some_and(|minor| minor >= 90)
}

/// `rustc --version` of the compiler cargo builds with; empty when it cannot be asked.
fn rustc_version() -> String {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default()
}

/// The minor version in `rustc 1.95.0 (…)`: 95.
fn rustc_minor(rustc_version: &str) -> Option<u32> {
    let version = rustc_version.split_whitespace().nth(1)?;
    let mut parts = version.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}
