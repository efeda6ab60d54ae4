//! Times clean release builds of crates depending on each client and on `rspotify`, each
//! with native-tls and with rustls; see [`benchmarks::bench_build`].
//!
//! Usage: `cargo run -p benchmarks --bin bench_build -- [--runs N] [--timings] [--keep]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["help" | "--help" | "-h"] = args.as_slice() {
        print!("{}", benchmarks::bench_build::USAGE);
        return ExitCode::SUCCESS;
    }
    match benchmarks::bench_build::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
