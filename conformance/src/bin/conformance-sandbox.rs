//! `conformance-sandbox [--plays N]`: every service's simulation served in a process of its
//! own, so that the live mode can be tested against them as against the real services.
//!
//! Prints one JSON line, an object with a member per service key (`{"<key>": {...}, ...}`):
//! where its simulation serves and what to sign in with, the refresh token as if a user had
//! signed in (`Served::entry` of each service's `sandbox`), then serves until its standard
//! input closes (or it is killed).

use std::io::Read;
use std::process::ExitCode;

use conformance::live::Service;

/// The seed of every history, as the CLI's sandbox has it.
const SEED: u64 = 2024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let plays = match args.as_slice() {
        [] => 250,
        [flag, n] if flag == "--plays" => match n.parse::<usize>() {
            Ok(n) if n <= 100_000 => n,
            _ => {
                eprintln!("conformance-sandbox: --plays {n}: a number up to 100000.");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("conformance-sandbox: usage: conformance-sandbox [--plays N]");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("conformance-sandbox: cannot start a runtime: {e}.");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut addresses = serde_json::Map::new();
        // Kept until the end: dropping a simulation stops it.
        let mut simulations = Vec::new();
        for service in Service::ALL {
            let served = (service.description().sandbox)(plays, SEED).await;
            addresses.insert(service.key().to_string(), served.entry);
            simulations.push(served.simulation);
        }
        println!("{}", serde_json::Value::Object(addresses));
        // The simulations serve on threads of their own; this one waits for the end of stdin.
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
        drop(simulations);
    });
    ExitCode::SUCCESS
}
