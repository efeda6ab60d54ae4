//! The exit statuses, in the one table that `--help` prints and the README repeats (a test
//! holds the README to it).

use std::process::ExitCode;

/// How a run ends, as its exit status says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Done; a reader that closed the pipe early (`| head`) counts as done.
    Success = 0,
    /// Something failed after the run began.
    Failure = 1,
    /// The command line, or the configuration, must be fixed before anything is tried.
    Usage = 2,
    /// A second Ctrl-C during `sync --watch`.
    Interrupted = 130,
}

impl Exit {
    /// Every status, in order.
    pub(crate) const ALL: [Exit; 4] =
        [Exit::Success, Exit::Failure, Exit::Usage, Exit::Interrupted];

    /// The number the shell sees.
    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    /// What the status means, as `--help` and the README say it.
    pub(crate) fn meaning(self) -> &'static str {
        match self {
            Exit::Success => "done (also when the reader closed the pipe early, as `head` does)",
            Exit::Failure => {
                "something failed: a service (an expired token, a rate limit, a deadline \
                 passed, items that did not decode), the database, the sign-in, the output"
            }
            Exit::Usage => {
                "nothing was tried: a usage error (an unknown flag, a bad value), or a \
                 configuration to fix first (a missing client id or API key)"
            }
            Exit::Interrupted => {
                "a second Ctrl-C during `sync --watch` (the database holds whole pages only)"
            }
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// Makes a closed stdout end the run quietly with [`Exit::Success`], as Unix tools do
/// (`recently-played export | head -1`): the writers that stream (the walk, `export`,
/// `completions`, `man`) stop at the error, and each `println!` elsewhere (a sync's lines, the
/// sandbox's addresses), which panics on it, exits here instead of printing the panic.
pub(crate) fn quietly_on_closed_stdout() {
    // Exactly what `println!` panics with on a closed pipe, and nothing else it panics with.
    let closed = format!(
        "failed printing to stdout: {}",
        std::io::Error::from_raw_os_error(libc::EPIPE)
    );
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        if message == Some(closed.as_str()) {
            std::process::exit(Exit::Success.code().into());
        }
        report(info);
    }));
}

/// The text of the `EXIT STATUS` section of `--help`: each status and its meaning, wrapped to
/// fit the rest of the help.
pub(crate) fn help_section() -> String {
    const WIDTH: usize = 90;
    const INDENT: &str = "         ";
    let mut section = String::new();
    for exit in Exit::ALL {
        let mut line = format!("    {:<5}", exit.code());
        for word in exit.meaning().split(' ') {
            if line.len() + 1 + word.len() > WIDTH && line.len() > INDENT.len() {
                section.push_str(line.trim_end());
                section.push('\n');
                line = INDENT.to_string();
            } else if !line.ends_with(' ') {
                line.push(' ');
            }
            line.push_str(word);
        }
        section.push_str(&line);
        section.push('\n');
    }
    section
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_every_exit_status_as_help_does() {
        let readme = include_str!("../README.md");
        for exit in Exit::ALL {
            let row = format!("| {} | {} |", exit.code(), exit.meaning());
            assert!(readme.contains(&row), "README.md lacks the row:\n{row}");
        }
    }

    #[test]
    fn the_help_section_says_every_status_and_its_whole_meaning_within_90_columns() {
        let section = help_section();
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        for exit in Exit::ALL {
            let start = format!(
                "    {:<5}{}",
                exit.code(),
                exit.meaning().split(' ').next().unwrap()
            );
            assert!(
                section.lines().any(|line| line.starts_with(&start)),
                "{section}"
            );
        }
        let expected: Vec<String> = Exit::ALL
            .iter()
            .map(|exit| format!("{} {}", exit.code(), exit.meaning()))
            .collect();
        assert_eq!(words(&section), expected.join(" "));
        assert!(section.lines().all(|line| line.len() <= 90), "{section}");
    }
}
