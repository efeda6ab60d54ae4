//! The command line: four flags, parsed with `lexopt`.

use std::ffi::OsString;

use chrono::{DateTime, Utc};

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// `--help`: print [`HELP`].
    Help,
    /// `--serve`: start the sandbox and keep it running until Ctrl-C.
    Serve { json: bool },
    /// The default: walk both histories and print them.
    Walk {
        json: bool,
        since: Option<DateTime<Utc>>,
        /// `--sandbox`: the built-in sandbox even where services are configured.
        sandbox: bool,
        /// `--deadline DURATION`: the longest each service's walk may take.
        deadline: Option<std::time::Duration>,
    },
    /// `sync`: append what the services have that the store does not.
    Sync(crate::sync::SyncArgs),
    /// `export`: write the stored history.
    Export(crate::export::ExportArgs),
    /// `login SERVICE`: sign in through the browser and store the tokens.
    Login(crate::login::LoginArgs),
    /// `logout SERVICE`: remove the stored tokens.
    Logout(crate::login::LoginArgs),
}

pub(crate) const HELP: &str = "\
recently-played: walks your recently played history on Spotify and Amazon Music through
this workspace's generated clients, and prints it.

USAGE:
    recently-played [--json] [--since <TIME>] [--sandbox] [--deadline <DURATION>]
    recently-played --serve [--json]
    recently-played login|logout spotify|amazon-music

With no configuration it starts the built-in sandbox: a simulation of each service on
127.0.0.1, seeded with a realistic history (the same on every run), and signs in to it as
a browser would. Nothing leaves this machine. Plays are printed as they arrive, one per line; each service it walks then gets
a summary line: plays, requests, time taken.

OPTIONS:
    --json          Print JSON Lines on stdout, one object per play:
                    {\"service\", \"played_at\", \"kind\", \"id\", \"title\", \"item\"}, where
                    \"item\" is the play exactly as the client decoded it. The banner and
                    the summary lines go to stderr, so stdout stays pure JSON Lines.
                    With --serve: print the sandbox's addresses and credentials as one
                    JSON object.
    --since <TIME>  Only plays strictly after TIME: RFC 3339 (2024-05-01T10:00:00Z) or
                    Unix milliseconds (1714557600000). The incremental sync:
                      Spotify asks for them (`after=`) and prints them oldest first;
                      Amazon Music has no time filter and promises no order, so the walk
                      reads the whole history and prints every play after TIME.
    --sandbox       Walk the built-in sandbox even where services are configured.
    --deadline <DURATION>
                    The longest each service's walk may take (default 5m): past it the
                    walk stops, says where to resume, and the exit status is 1.
    --serve         Start the sandbox on its own and serve until Ctrl-C, printing the
                    base URLs, the tokens and the API key to use with any HTTP client
                    (or with this program: set the *_BASE_URL variables below to them).
    -h, --help      Print this help.
    sync, export    Keep the history in a local database; see KEEPING THE HISTORY.

WHAT IS WALKED:
    Spotify       GET /me/player/recently-played, every page (the real service keeps
                  only your last 50 plays).
    Amazon Music  GET /me/recentlyPlayedEntities, every page, every kind: tracks,
                  albums, playlists, podcast episodes, and kinds the client does not know.

CREDENTIALS (per service, the first found: an access token in the environment, a refresh
token in the environment, the sign-in stored by `login`). With no service configured at
all, the built-in sandbox stands in for both; with any configured, one that is not is
skipped, and said so, so that simulated plays never join real ones:
    SPOTIFY_ACCESS_TOKEN        A user access token with the user-read-recently-played
                                scope (it expires after an hour).
    SPOTIFY_REFRESH_TOKEN       A refresh token: access tokens are obtained with it as
                                needed. Needs SPOTIFY_CLIENT_ID.
    SPOTIFY_CLIENT_ID           Your Spotify app's client id (for login and refresh).
    SPOTIFY_CLIENT_SECRET       Its secret, if the app has one (else PKCE alone).
    SPOTIFY_ACCOUNTS_BASE_URL   Where Spotify's accounts service is instead of
                                https://accounts.spotify.com.
    SPOTIFY_API_BASE_URL        Where the Spotify client points instead of
                                https://api.spotify.com/v1 (a proxy, a fixture server,
                                a sandbox started with --serve).
    AMAZON_MUSIC_ACCESS_TOKEN   A Login with Amazon access token with the music::history
                                scope; needs AMAZON_MUSIC_API_KEY too.
    AMAZON_MUSIC_API_KEY        Your Login with Amazon security profile ID (x-api-key).
    AMAZON_MUSIC_API_BASE_URL   Where the Amazon Music client points instead of
                                https://api.music.amazon.dev/v1.
    AMAZON_MUSIC_REFRESH_TOKEN  A Login with Amazon refresh token; needs
                                AMAZON_MUSIC_CLIENT_ID and AMAZON_MUSIC_CLIENT_SECRET.
    AMAZON_MUSIC_CLIENT_ID      Your security profile's client id and secret (for login
    AMAZON_MUSIC_CLIENT_SECRET  and refresh).
    AMAZON_MUSIC_AUTH_BASE_URL  Where Login with Amazon is instead of
                                https://www.amazon.com/ap/oa and
                                https://api.amazon.com/auth/o2/token ({base}/ap/oa and
                                {base}/auth/o2/token).
    A base URL without credentials is sent the sandbox's credentials (for a sandbox
    started with --serve). Plain http is accepted only to a loopback address.

REQUESTS AND ERRORS:
    Requests are counted from the clients' tracing spans, retries included. A rate limit
    (429), a server error (5xx) or a dropped connection is retried up to 3 times in all,
    waiting at most 30 s. Any failure is one sentence on stderr (an expired token, a
    missing scope, a rate limit and when to retry), after the plays already printed, with
    where to resume; the exit status is 1. A usage error exits with 2. Text from a server
    is printed with control characters replaced, one play per line.
";

/// Reads the command line (without the program name).
pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_args(args);
    let (mut json, mut serve, mut since, mut sandbox) = (false, false, None, false);
    let mut deadline = None;
    let mut help = false;
    let mut first = true;
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(name) if first && !help && name == "sync" => {
                return crate::commands::parse_sync(&mut parser).map(Command::Sync);
            }
            Value(name) if first && !help && name == "export" => {
                return crate::commands::parse_export(&mut parser).map(Command::Export);
            }
            Value(name) if first && !help && name == "login" => {
                return crate::login::parse(&mut parser, true).map(Command::Login);
            }
            Value(name) if first && !help && name == "logout" => {
                return crate::login::parse(&mut parser, false).map(Command::Logout);
            }
            Short('h') | Long("help") => help = true,
            Long("json") => json = true,
            Long("serve") => serve = true,
            Long("sandbox") => sandbox = true,
            Long("deadline") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                deadline = Some(crate::commands::parse_duration(&value.to_string_lossy())?);
            }
            Long("since") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                let value = value
                    .into_string()
                    .map_err(|_| "the value of `--since` is not valid UTF-8".to_string())?;
                since = Some(parse_time(&value)?);
            }
            _ => return Err(arg.unexpected().to_string()),
        }
        first = false;
    }
    Ok(match (help, serve, since) {
        (true, _, _) => Command::Help,
        (false, true, Some(_)) => {
            return Err("`--since` filters a walk; `--serve` does not walk".to_string());
        }
        (false, true, None) => Command::Serve { json },
        (false, false, since) => Command::Walk {
            json,
            since,
            sandbox,
            deadline,
        },
    })
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
        format!(
            "`--since {value}` is neither an RFC 3339 time (2024-05-01T10:00:00Z) \
             nor Unix milliseconds (1714557600000)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_flag_walks_both_histories_as_a_table() {
        assert_eq!(
            parse_str(&[]),
            Ok(Command::Walk {
                json: false,
                since: None,
                sandbox: false,
                deadline: None,
            })
        );
    }

    #[test]
    fn since_takes_rfc3339_or_unix_milliseconds_alike() {
        let expected = Ok(Command::Walk {
            json: true,
            since: DateTime::from_timestamp_millis(1_714_557_600_000),
            sandbox: false,
            deadline: None,
        });
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
        assert!(error.contains("neither an RFC 3339 time"), "{error}");
        assert!(parse_str(&["--since"]).is_err());
        assert_eq!(
            parse_str(&["--verbose"]).unwrap_err(),
            "invalid option '--verbose'"
        );
        assert!(parse_str(&["--serve", "--since", "0"]).is_err());
    }

    #[test]
    fn sandbox_asks_for_the_built_in_sandbox_by_name() {
        assert_eq!(
            parse_str(&["--sandbox"]),
            Ok(Command::Walk {
                json: false,
                since: None,
                sandbox: true,
                deadline: None,
            })
        );
    }

    #[test]
    fn help_wins_and_serve_keeps_json() {
        assert_eq!(parse_str(&["--json", "--help"]), Ok(Command::Help));
        assert_eq!(parse_str(&["-h"]), Ok(Command::Help));
        assert_eq!(
            parse_str(&["--serve", "--json"]),
            Ok(Command::Serve { json: true })
        );
    }
}
