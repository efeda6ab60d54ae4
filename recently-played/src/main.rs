//! `cargo run -p recently-played`: both generated clients walking a listening history over
//! HTTP, end to end, against the built-in sandbox or the real services. `--help` says it all.

mod cli;
mod commands;
mod credentials;
mod exit;
mod export;
mod import;
mod login;
mod output;
mod report;
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

use tracing_subscriber::layer::SubscriberExt;

use crate::cli::{Command, WalkArgs};
use crate::output::Printer;
use crate::requests::RequestCounter;
use crate::service::Stopped;

#[tokio::main]
async fn main() -> ExitCode {
    exit::quietly_on_closed_stdout();
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) => return cli::refuse(&error),
    };
    match cli.command {
        None if cli.walk.serve => sandbox::serve(cli.walk.json).await,
        None => walk(cli.walk).await,
        Some(Command::Sync(args)) => sync::run(args.into()).await,
        Some(Command::Export(args)) => export::run(args.into()),
        Some(Command::Report(args)) => report::run(args),
        Some(Command::Import(args)) => import::run(args).await,
        Some(Command::Login(args)) => login::login(args).await,
        Some(Command::Logout(args)) => login::logout(args),
        Some(Command::Completions(args)) => cli::completions(args.shell),
        Some(Command::Man(args)) => cli::man(args),
    }
}

/// Walks each service's history, one after the other, printing each play as it arrives,
/// then one summary line per history; each service that failed gets one sentence on stderr (what
/// failed, how much was printed, where to resume), and the exit status is 1.
async fn walk(args: WalkArgs) -> ExitCode {
    let WalkArgs {
        json,
        since,
        sandbox,
        deadline,
        serve: _,
    } = args;
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
        let closed = matches!(
            &outcome,
            Err(Stopped::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe
        );
        outcomes.push((service.name, outcome));
        // No one reads further plays: the next service is not asked for them.
        if closed {
            break;
        }
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

/// `items` as a sentence lists them: "a", "a and b", "a, b and c".
pub(crate) fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `text` on one line: an error body may hold newlines, the sentence must not.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
