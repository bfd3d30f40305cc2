//! The `payloads` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    payloads::cli::main()
}
