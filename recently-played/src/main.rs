//! `cargo run -p recently-played`: both generated clients walking a listening history over
//! HTTP, end to end, against the built-in sandbox or the real services. `--help` says it all.

mod cli;
mod commands;
mod credentials;
mod export;
mod login;
mod output;
mod requests;
#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(not(feature = "sandbox"))]
#[path = "sandbox_absent.rs"]
mod sandbox;
mod service;
mod services;
mod store;
mod sync;
mod targets;
mod token_file;

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use tracing_subscriber::layer::SubscriberExt;

use crate::cli::Command;
use crate::output::Printer;
use crate::requests::RequestCounter;
use crate::service::Stopped;

#[tokio::main]
async fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{}\n{}\n{}", cli::HELP, commands::HELP, login::HELP);
            ExitCode::SUCCESS
        }
        Ok(Command::Serve { json }) => sandbox::serve(json).await,
        Ok(Command::Walk {
            json,
            since,
            sandbox,
            deadline,
        }) => walk(json, since, sandbox, deadline).await,
        Ok(Command::Sync(args)) => sync::run(args).await,
        Ok(Command::Export(args)) => export::run(args),
        Ok(Command::Login(args)) => login::login(args).await,
        Ok(Command::Logout(args)) => login::logout(args),
        Err(usage) => {
            eprintln!("recently-played: {}; see --help.", one_line(&usage));
            ExitCode::from(2)
        }
    }
}

/// Walks each service's history, one after the other, printing each play as it arrives,
/// then one summary line per history; each service that failed gets one sentence on stderr (what
/// failed, how much was printed, where to resume), and the exit status is 1.
async fn walk(
    json: bool,
    since: Option<DateTime<Utc>>,
    sandbox: bool,
    deadline: Option<std::time::Duration>,
) -> ExitCode {
    let deadline = deadline.unwrap_or(sync::DEFAULT_DEADLINE);
    let targets = targets::choose(sandbox).await;
    let sandboxed = targets.sandboxed();

    // The clients' `request` spans say how many requests each walk sent.
    let requests = RequestCounter::default();
    let subscriber = tracing_subscriber::registry().with(requests.clone());
    // Only this walk installs one; should anything else have, counts read 0.
    let _ = tracing::subscriber::set_global_default(subscriber);

    // The banner and the summaries go with the tables on stdout, or to stderr beside JSON
    // Lines, so that stdout stays pure JSON.
    let mut said: Box<dyn Write> = if json {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    if !sandboxed.is_empty() {
        let _ = writeln!(said, "{}\n", sandbox::banner(&sandboxed));
    }
    let mut printer = Printer::new(std::io::stdout().lock(), json);
    let run = service::Run {
        requests: &requests,
        deadline,
    };
    let mut outcomes = Vec::new();
    for (service, target) in &targets.services {
        let outcome = match target {
            Ok(Some(target)) => service.reader.walk(target, since, &run, &mut printer).await,
            Ok(None) => continue,
            Err(sentence) => Err(Stopped::Failed(sentence.clone())),
        };
        outcomes.push((service.name, outcome));
    }
    drop(printer);

    let mut status = ExitCode::SUCCESS;
    let mut failures = Vec::new();
    for (service, outcome) in outcomes {
        match outcome {
            Ok(report) => {
                let _ = writeln!(said, "{}", output::summary(&report));
                // Each malformed item was said on stderr as it came; the run is incomplete.
                if report.malformed > 0 {
                    status = ExitCode::FAILURE;
                }
            }
            // A closed pipe (`| head`) is the reader's choice, not a failure of the walk.
            Err(Stopped::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(Stopped::Output(e)) => {
                failures.push(format!("recently-played: cannot print: {e}."));
                status = ExitCode::FAILURE;
            }
            Err(Stopped::Failed(sentence)) => {
                failures.push(format!("{service}: {}.", clause(&one_line(&sentence))));
                status = ExitCode::FAILURE;
            }
        }
    }
    let _ = said.flush();
    for failure in failures {
        eprintln!("{}", output::printable(&failure));
    }
    status
}

/// An environment variable's value; unset, empty and not-Unicode alike are `None`.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// `text` without its closing full stop, to go inside a sentence.
pub(crate) fn clause(text: &str) -> &str {
    text.trim_end().trim_end_matches('.')
}

/// `text` on one line: an error body may hold newlines, the sentence must not.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
