//! The command line, parsed with clap: the walk's flags, and one subcommand per task.
//!
//! A subcommand is a `#[derive(clap::Args)]` struct in its own module, one variant of
//! [`Command`] (its doc comment is the subcommand's help) and one arm in `main`'s dispatch;
//! `--help`, completions and the man page follow from that alone.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser};

use crate::service::Service;
use crate::services;

#[cfg(test)]
mod contrib;

/// The whole command line: a walk (no subcommand) or a subcommand.
///
/// The help that names the services (the about, `--since`, `sync` and `login`) is added by
/// [`command`], from [`services::ALL`].
#[derive(Debug, PartialEq, Eq, Parser)]
#[command(
    name = "recently-played",
    version,
    after_help = "--help says more: what is walked, the credentials and variables read, \
                  and the exit status. `recently-played <COMMAND> --help` says more of each \
                  command.",
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    /// The walk's flags, when no subcommand is given.
    #[command(flatten)]
    pub(crate) walk: WalkArgs,
    /// The subcommand, if any.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// What `recently-played` with no subcommand does: walk both histories and print them, or,
/// with `--serve`, serve the sandbox.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct WalkArgs {
    /// Print JSON Lines on stdout, one object per play.
    ///
    /// {"service", "played_at", "kind", "id", "title", "item"}, where "item" is the play
    /// exactly as the client decoded it. The banner and the summary lines go to stderr, so
    /// stdout stays pure JSON Lines. With --serve: print the sandbox's addresses and
    /// credentials as one JSON object.
    #[arg(long)]
    pub(crate) json: bool,
    /// Only plays strictly after TIME: RFC 3339 (2024-05-01T10:00:00Z) or Unix milliseconds
    /// (1714557600000).
    #[arg(long, value_name = "TIME", value_parser = parse_time, conflicts_with = "serve")]
    pub(crate) since: Option<DateTime<Utc>>,
    /// Walk the built-in sandbox even where services are configured.
    #[arg(long)]
    pub(crate) sandbox: bool,
    /// The longest each service's walk may take (default 5m).
    ///
    /// Past it the walk stops, says where to resume, and the exit status is 1. 30s, 15m,
    /// 2h, or seconds.
    #[arg(long, value_name = "DURATION", value_parser = crate::commands::parse_duration)]
    pub(crate) deadline: Option<Duration>,
    /// Start the sandbox on its own and serve until Ctrl-C.
    ///
    /// Prints the base URLs, the tokens and the API key to use with any HTTP client (or
    /// with this program: set the *_BASE_URL variables below to them).
    #[arg(long)]
    pub(crate) serve: bool,
}

/// The subcommands, each with its own `--help`.
#[derive(Debug, PartialEq, Eq, clap::Subcommand)]
pub(crate) enum Command {
    /// Append to a local database what the services have that it does not.
    Sync(crate::commands::SyncCommand),
    /// Write the stored history, oldest first, as JSON Lines or CSV.
    #[command(long_about = crate::commands::EXPORT_ABOUT)]
    Export(crate::commands::ExportCommand),
    /// Write a page of charts of the stored history: one self-contained HTML file.
    #[command(long_about = crate::report::REPORT_ABOUT)]
    Report(crate::report::ReportArgs),
    /// Sign in to a service through the browser and store the tokens.
    Login(crate::login::LoginArgs),
    /// Remove the tokens that `login` stored.
    Logout(crate::login::LogoutArgs),
    /// Import a listening history export into the local database.
    #[command(about = crate::import::IMPORT_SUMMARY, long_about = crate::import::IMPORT_ABOUT)]
    Import(crate::import::ImportArgs),
    /// Print a completion script for SHELL on stdout.
    #[command(long_about = COMPLETIONS_ABOUT)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    #[command(long_about = MAN_ABOUT)]
    Man(ManArgs),
}

/// The command line as clap reads it: the derived definition, with the help that names
/// the services put together from [`services::ALL`].
pub(crate) fn command() -> clap::Command {
    let names = crate::listed(&services::ALL.map(|service| service.name));
    Cli::command()
        .about(format!(
            "Walks your recently played history on {names}, and prints it."
        ))
        .long_about(format!(
            "{}\n\n{ABOUT}",
            fill(&format!(
                "Walks your recently played history on {names} through this workspace's \
                 generated clients, and prints it."
            ))
        ))
        .after_long_help(after_long_help())
        .mut_arg("since", |arg| arg.long_help(since_help()))
        // `mut_subcommands`, not `mut_subcommand`, which moves the one it changes to the end.
        .mut_subcommands(|subcommand| match subcommand.get_name() {
            "sync" => crate::commands::with_sync_help(subcommand),
            "login" => subcommand.long_about(crate::login::login_about()),
            _ => subcommand,
        })
}

/// What `--help` says of the program after its first sentence.
const ABOUT: &str = "\
With no configuration it starts the built-in sandbox: a simulation of each service on
127.0.0.1, seeded with a realistic history (the same on every run), and signs in to it as a
browser would. Nothing leaves this machine. Plays are printed as they arrive, one per line;
each service it walks then gets a summary line: plays, requests, time taken.";

/// What `--help` says of `--since`: how each service's walk reads only the newer plays.
fn since_help() -> String {
    let walks: Vec<String> = services::ALL
        .iter()
        .map(|service| format!("{} {}", service.name, service.help.since))
        .collect();
    format!(
        "Only plays strictly after TIME: RFC 3339 (2024-05-01T10:00:00Z) or Unix milliseconds \
         (1714557600000).\n\n{}",
        fill(&format!("The incremental walk: {}.", walks.join("; ")))
    )
}

/// How wide the help's own paragraphs and tables are.
const WIDTH: usize = 88;

/// `text` filled to lines of [`WIDTH`] at most.
pub(crate) fn fill(text: &str) -> String {
    filled(text, WIDTH).join("\n")
}

/// `text`'s words in lines of `width` at most (a longer word on a line of its own).
fn filled(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// One row of a help section's table: `label` indented four spaces, `text` filled in the
/// column `at` characters from the left (on the next line if `label` reaches it).
fn row(label: &str, at: usize, text: &str) -> String {
    let indent = " ".repeat(at);
    let mut lines = filled(text, WIDTH - at).into_iter();
    let mut row = format!("    {label}");
    if row.len() < at {
        let first = lines.next().unwrap_or_default();
        row = format!("{row:<at$}{first}");
    }
    row.push('\n');
    for line in lines {
        row.push_str(&format!("{indent}{line}\n"));
    }
    row
}

const COMPLETIONS_ABOUT: &str = "\
Print a completion script for SHELL on stdout. For bash, for example:
    recently-played completions bash > ~/.local/share/bash-completion/completions/recently-played
zsh: into a directory of your $fpath, as _recently-played; fish:
~/.config/fish/completions/recently-played.fish.";

const MAN_ABOUT: &str = "\
Print the manual page (roff) on stdout, which `cargo install` does not install:
    recently-played man > ~/.local/share/man/man1/recently-played.1
    recently-played man sync > ~/.local/share/man/man1/recently-played-sync.1
or read one at once with `recently-played man | man -l -`.";

/// What `--help` says after the flags, and the man page after the subcommands: the sections
/// no flag's help holds, each a title and its text (indented four spaces, as `--help` shows
/// it).
fn sections() -> [(&'static str, String); 4] {
    [
        ("WHAT IS WALKED", walked()),
        ("CREDENTIALS", credentials()),
        ("REQUESTS AND ERRORS", ERRORS.to_string()),
        ("EXIT STATUS", crate::exit::help_section()),
    ]
}

fn after_long_help() -> String {
    sections()
        .map(|(title, text)| format!("{title}:\n{text}"))
        .join("\n")
}

/// [`sections`] as roff, each kept as it is laid out (no filling: they hold tables).
fn man_sections() -> String {
    let mut roff = roff::Roff::new();
    for (title, text) in sections() {
        let text: Vec<&str> = text
            .lines()
            .map(|line| line.strip_prefix("    ").unwrap_or(line))
            .collect();
        roff.control("SH", [title])
            .control("nf", [])
            .text([roff::roman(text.join("\n"))])
            .control("fi", []);
    }
    roff.to_roff()
}

/// WHAT IS WALKED: each service's requests.
fn walked() -> String {
    services::ALL
        .iter()
        .map(|service| row(service.name, 18, service.help.walked))
        .collect()
}

/// CREDENTIALS: where they are looked for, then each service's variables.
fn credentials() -> String {
    let variables: String = services::ALL
        .iter()
        .flat_map(|service| {
            let help = &service.help;
            let variables = service.variables().into_iter();
            variables.map(|variable| row(variable, 32, help.about(variable)))
        })
        .collect();
    format!("{CREDENTIALS_FOUND}{variables}{CREDENTIALS_UNSET}")
}

/// CREDENTIALS: where they are looked for, before the variables.
const CREDENTIALS_FOUND: &str =
    "    Per service, the first found: an access token in the environment, a refresh token in
    the environment, the sign-in stored by `login`. With no service configured at all, the
    built-in sandbox stands in for both; with any configured, one that is not is skipped,
    and said so, so that simulated plays never join real ones.
";

/// CREDENTIALS: what a base URL alone is sent, after the variables.
const CREDENTIALS_UNSET: &str =
    "    A base URL without credentials is sent the sandbox's credentials (for a sandbox
    started with --serve). Plain http is accepted only to a loopback address.
";

const ERRORS: &str = "\
    Requests are counted from the clients' tracing spans, retries included. A rate limit
    (429), a server error (5xx) or a dropped connection is retried up to 3 times in all,
    waiting at most 30 s. Any failure is one sentence on stderr (an expired token, a
    missing scope, a rate limit and when to retry), after the plays already printed, with
    where to resume. Text from a server is printed with control characters replaced, one
    play per line. A reader that stops reading (`| head`) ends the run quietly.
";

/// `completions SHELL`.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

/// `man [COMMAND]`.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct ManArgs {
    /// The command whose page to print, recently-played-COMMAND(1); without it, the
    /// program's own, recently-played(1).
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Option<String>,
}

/// Reads the command line (with the program name first, as `std::env::args_os` gives it).
pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    let mut command = command();
    let mut matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
}

/// Answers a command line that is not a command: `--help` and `--version` are printed on
/// stdout (exit 0); anything else is a usage error, one sentence on stderr (exit 2).
pub(crate) fn refuse(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // A closed stdout (`--help | head`) is the reader's choice: nothing to add.
            let _ = error.print();
            crate::exit::Exit::Success.into()
        }
        _ => {
            eprintln!("recently-played: {}; see --help.", usage_sentence(error));
            crate::exit::Exit::Usage.into()
        }
    }
}

/// clap's message about a usage error on one line: its paragraphs (the error, a tip) joined,
/// without the usage and the pointer to `--help` that [`refuse`] says its own way.
fn usage_sentence(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    rendered
        .split("\n\n")
        .filter(|part| !part.starts_with("Usage:") && !part.starts_with("For more information"))
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
        .trim_start_matches("error: ")
        .to_string()
}

/// `completions SHELL`: the script on stdout.
pub(crate) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "recently-played", &mut script);
    print_all(&script)
}

/// `man [COMMAND]`: the program's manual page, or one command's, on stdout.
pub(crate) fn man(args: ManArgs) -> ExitCode {
    let mut program = command();
    // Gives each subcommand its full name: `recently-played-sync`, `recently-played sync`.
    program.build();
    let command = match &args.command {
        None => program,
        Some(name) => match program.find_subcommand(name) {
            Some(command) => command.clone(),
            None => {
                let names: Vec<&str> = program.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "recently-played: `{name}` is not a command: say {}; see --help.",
                    names.join(", ")
                );
                return crate::exit::Exit::Usage.into();
            }
        },
    };
    // The program's page ends with the sections of `--help`, as roff of their own.
    let sections = if args.command.is_none() {
        man_sections()
    } else {
        String::new()
    };
    let command = command
        .after_long_help(None::<&str>)
        .after_help(None::<&str>);
    let mut page = Vec::new();
    match clap_mangen::Man::new(command).render(&mut page) {
        Ok(()) => {
            page.extend_from_slice(sections.as_bytes());
            print_all(&page)
        }
        // Rendering into memory fails only as the writer does, which a Vec does not.
        Err(e) => {
            eprintln!("recently-played: cannot render the manual page: {e}.");
            crate::exit::Exit::Failure.into()
        }
    }
}

/// Writes `bytes` on stdout, made whole in memory first: a closed pipe ends it quietly.
fn print_all(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => crate::exit::Exit::Success.into(),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => crate::exit::Exit::Success.into(),
        Err(e) => {
            eprintln!("recently-played: cannot print: {e}.");
            crate::exit::Exit::Failure.into()
        }
    }
}

/// A service's argument read as its command-line name (`login SERVICE`), for `login`.
pub(crate) fn service_command() -> impl TypedValueParser<Value = &'static str> {
    ServiceName.map(|service| service.command)
}

/// A service's argument read as its key (the `service` of its records), for `export`.
pub(crate) fn service_key() -> impl TypedValueParser<Value = &'static str> {
    ServiceName.map(|service| service.key)
}

/// A service named on the command line, one of [`crate::services::ALL`] by its command-line
/// name or its key; help and completions offer the command-line names.
#[derive(Clone, Copy, Debug)]
struct ServiceName;

impl TypedValueParser for ServiceName {
    type Value = &'static Service;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let name = value.to_string_lossy();
        crate::services::named(&name).ok_or_else(|| {
            clap::Error::raw(
                ErrorKind::InvalidValue,
                format!(
                    "`{name}` is not a service: say {}",
                    crate::services::commands().join(" or ")
                ),
            )
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(crate::services::ALL.iter().map(|service| {
            PossibleValue::new(service.command).alias(service.key)
        })))
    }
}

/// RFC 3339 or Unix milliseconds, kept at millisecond precision (that of both APIs' cursors).
pub(crate) fn parse_time(value: &str) -> Result<DateTime<Utc>, String> {
    let value = value.trim();
    let parsed = match value.parse::<i64>() {
        Ok(millis) => DateTime::from_timestamp_millis(millis),
        Err(_) => DateTime::parse_from_rfc3339(value)
            .ok()
            .and_then(|t| DateTime::from_timestamp_millis(t.timestamp_millis())),
    };
    parsed.ok_or_else(|| {
        "neither an RFC 3339 time (2024-05-01T10:00:00Z) nor Unix milliseconds \
         (1714557600000)"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Cli, String> {
        parse(
            std::iter::once("recently-played")
                .chain(args.iter().copied())
                .map(OsString::from),
        )
        .map_err(|e| usage_sentence(&e))
    }

    fn walk(json: bool, since: Option<DateTime<Utc>>, sandbox: bool) -> Cli {
        Cli {
            walk: WalkArgs {
                json,
                since,
                sandbox,
                deadline: None,
                serve: false,
            },
            command: None,
        }
    }

    #[test]
    fn no_flag_walks_both_histories_as_a_table() {
        assert_eq!(parse_str(&[]), Ok(walk(false, None, false)));
    }

    #[test]
    fn since_takes_rfc3339_or_unix_milliseconds_alike() {
        let expected = Ok(walk(
            true,
            DateTime::from_timestamp_millis(1_714_557_600_000),
            false,
        ));
        assert_eq!(
            parse_str(&["--json", "--since", "2024-05-01T10:00:00Z"]),
            expected
        );
        assert_eq!(
            parse_str(&["--since=2024-05-01T12:00:00+02:00", "--json"]),
            expected
        );
        assert_eq!(parse_str(&["--json", "--since", "1714557600000"]), expected);
    }

    #[test]
    fn a_bad_time_or_flag_is_one_sentence() {
        let error = parse_str(&["--since", "yesterday"]).unwrap_err();
        assert!(error.contains("'--since <TIME>'"), "{error}");
        assert!(error.contains("neither an RFC 3339 time"), "{error}");
        assert!(!error.contains('\n'), "{error}");
        assert!(parse_str(&["--since"]).is_err());
        let error = parse_str(&["--verbose"]).unwrap_err();
        assert!(
            error.starts_with("unexpected argument '--verbose' found"),
            "{error}"
        );
        let error = parse_str(&["--serve", "--since", "0"]).unwrap_err();
        assert!(error.contains("cannot be used with"), "{error}");
    }

    #[test]
    fn a_near_miss_is_told_the_flag_it_missed() {
        let error = parse_str(&["--jsn"]).unwrap_err();
        assert!(
            error.contains("; tip: a similar argument exists: '--json'"),
            "{error}"
        );
    }

    #[test]
    fn the_walk_flags_belong_to_the_walk_alone() {
        assert!(parse_str(&["--json", "sync"]).is_err());
        assert!(parse_str(&["sync", "--json"]).is_err());
    }

    #[test]
    fn sandbox_asks_for_the_built_in_sandbox_by_name() {
        assert_eq!(parse_str(&["--sandbox"]), Ok(walk(false, None, true)));
    }

    #[test]
    fn help_and_version_are_not_commands_and_serve_keeps_json() {
        for (args, kind) in [
            (&["--json", "--help"][..], ErrorKind::DisplayHelp),
            (&["-h"], ErrorKind::DisplayHelp),
            (&["sync", "--help"], ErrorKind::DisplayHelp),
            (&["--version"], ErrorKind::DisplayVersion),
            (&["-V"], ErrorKind::DisplayVersion),
        ] {
            let error = parse(
                std::iter::once("recently-played")
                    .chain(args.iter().copied())
                    .map(OsString::from),
            )
            .unwrap_err();
            assert_eq!(error.kind(), kind, "{args:?}");
        }
        let serve = parse_str(&["--serve", "--json"]).unwrap();
        assert!(serve.walk.serve && serve.walk.json && serve.command.is_none());
    }

    #[test]
    fn the_definition_is_consistent() {
        // clap's own checks: no two flags share a name, every `conflicts_with` names a flag.
        command().debug_assert();
    }

    #[test]
    fn the_help_names_each_service_and_lists_each_variable_it_reads() {
        let help = after_long_help();
        let mut program = command();
        program.build();
        let since = program
            .get_arguments()
            .find(|arg| arg.get_id() == "since")
            .and_then(|arg| arg.get_long_help())
            .map(|help| help.to_string())
            .unwrap_or_default();
        let sync = program
            .find_subcommand("sync")
            .and_then(|sync| sync.get_long_about())
            .map(|about| about.to_string())
            .unwrap_or_default();
        let about = program
            .get_about()
            .map(|a| a.to_string())
            .unwrap_or_default();
        for service in crate::services::ALL {
            assert!(
                help.contains(&format!("\n    {:<14}", service.name)),
                "WHAT IS WALKED: no {}",
                service.name
            );
            for variable in service.variables() {
                let listed = help.lines().any(|line| {
                    line.strip_prefix("    ")
                        .and_then(|row| row.strip_prefix(variable))
                        .is_some_and(|rest| rest.starts_with(' '))
                });
                assert!(listed, "CREDENTIALS: no row for {variable}");
            }
            for (what, text) in [("about", &about), ("--since", &since), ("sync", &sync)] {
                let text = crate::one_line(text);
                assert!(text.contains(service.name), "{what}: no {}", service.name);
            }
        }
    }

    #[test]
    fn a_help_row_fills_its_column_and_a_long_label_stands_alone() {
        assert_eq!(
            row("LABEL", 12, "one two"),
            "    LABEL   one two\n".to_string()
        );
        let long = row("A_LONG_LABEL", 12, "one");
        assert_eq!(long, "    A_LONG_LABEL\n            one\n");
        let many = "word ".repeat(40);
        for line in row("L", 12, &many).lines() {
            assert!(line.len() <= WIDTH, "{line}");
        }
    }

    #[test]
    fn services_are_offered_by_their_command_line_names() {
        let offered: Vec<String> = ServiceName
            .possible_values()
            .unwrap()
            .map(|value| value.get_name().to_string())
            .collect();
        assert_eq!(offered, crate::services::commands());
    }
}
