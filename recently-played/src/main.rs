//! `cargo run -p recently-played`: both generated clients walking a listening history over
//! HTTP, end to end, against the built-in sandbox or the real services. `--help` says it all.

mod amazon;
mod cli;
mod output;
mod sandbox;
mod spotify;

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::cli::Command;
use crate::output::Report;

#[tokio::main]
async fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            ExitCode::SUCCESS
        }
        Ok(Command::Serve { json }) => sandbox::serve(json).await,
        Ok(Command::Walk { json, since }) => walk(json, since).await,
        Err(usage) => {
            eprintln!("recently-played: {}; see --help.", one_line(&usage));
            ExitCode::from(2)
        }
    }
}

/// Walks both histories at once, prints them, then one summary line per history; each
/// service that failed gets one sentence on stderr instead, and the exit status is 1.
async fn walk(json: bool, since: Option<DateTime<Utc>>) -> ExitCode {
    // Each service is read from the environment on its own: the sandbox for one, the
    // real service for the other is fine.
    let (spotify_target, amazon_target) =
        tokio::join!(spotify::Target::from_env(), amazon::Target::from_env());
    let mut sandboxed = Vec::new();
    if spotify_target.is_sandbox() {
        sandboxed.push("Spotify");
    }
    if amazon_target.as_ref().is_ok_and(amazon::Target::is_sandbox) {
        sandboxed.push("Amazon Music");
    }

    let amazon_walk = async {
        match &amazon_target {
            Ok(target) => amazon::walk(target, since).await,
            Err(sentence) => Err(sentence.clone()),
        }
    };
    let spotify_walk = spotify::walk(&spotify_target, since);
    let (spotify_outcome, amazon_outcome) = tokio::join!(spotify_walk, amazon_walk);
    let outcomes = [
        ("Spotify", spotify_outcome),
        ("Amazon Music", amazon_outcome),
    ];

    let reports: Vec<&Report> = outcomes
        .iter()
        .filter_map(|(_, o)| o.as_ref().ok())
        .collect();
    if let Err(e) = print(json, &sandboxed, &reports) {
        // A closed pipe (`| head`) is the reader's choice, not a failure of the walk.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("recently-played: cannot print: {e}.");
            return ExitCode::FAILURE;
        }
    }

    let mut status = ExitCode::SUCCESS;
    for (service, outcome) in &outcomes {
        if let Err(sentence) = outcome {
            eprintln!("{service}: {}.", clause(&one_line(sentence)));
            status = ExitCode::FAILURE;
        }
    }
    status
}

/// The plays on stdout, as tables or JSON Lines; the banner and the summary lines after
/// them, on stdout too for tables, on stderr for JSON Lines so that stdout stays pure.
fn print(json: bool, sandboxed: &[&str], reports: &[&Report]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let mut said: Box<dyn Write> = if json {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    if !sandboxed.is_empty() {
        writeln!(said, "{}\n", sandbox::banner(sandboxed))?;
    }
    // Even if stdout is closed early, the summary is still worth saying on stderr.
    let plays = reports.iter().try_for_each(|report| {
        if json {
            output::write_json_lines(&mut out, report)
        } else {
            output::write_table(&mut out, report)
        }
    });
    let plays = plays.and_then(|()| out.flush());
    drop(out);
    for report in reports {
        writeln!(said, "{}", output::summary(report))?;
    }
    said.flush()?;
    plays
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
