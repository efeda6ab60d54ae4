//! `login SERVICE` and `logout SERVICE`: signing in once through the browser, so that
//! later runs refresh on their own.

use std::convert::Infallible;

use client_support::AccessToken;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::credentials::{self, Authorization, SignIn, UserToken};
use crate::env_var;
use crate::service::Service;
use crate::token_file::{self, StoredSignIn, StoredToken};

/// The port the redirect comes back to unless `--port` says otherwise: the redirect URI
/// registered with the service must be `http://<redirect_host>:8888/callback`, on the
/// host its authorization server accepts (`SignIn::redirect_host`).
pub(crate) const DEFAULT_PORT: u16 = 8888;

/// The path of the default redirect URI.
const CALLBACK_PATH: &str = "/callback";

/// How long `login` waits for the browser to come back.
const WAIT_FOR_REDIRECT: Duration = Duration::from_secs(300);

/// The most bytes of a request line and headers the callback listener reads.
const MAX_REQUEST_HEADER_BYTES: usize = 16 * 1024;

/// What `login --help` says before the flags: what it does, then each service's redirect
/// URI and the variables it needs.
pub(crate) fn login_about() -> String {
    let oauth = || {
        crate::services::ALL
            .iter()
            .filter_map(|service| Some((service, service.authorization.oauth()?)))
    };
    let redirects: Vec<String> = oauth()
        .map(|(service, sign_in)| {
            format!(
                "{} for {} ({})",
                Redirect::default_for(sign_in, DEFAULT_PORT).uri(),
                service.name,
                service.help.redirect
            )
        })
        .collect();
    let pasted: Vec<String> = crate::services::ALL
        .iter()
        .filter_map(|service| match &service.authorization {
            Authorization::UserToken(token) => Some(format!(
                "{} asks for your user token instead (from {}), checks it with the service and \
                 stores it",
                service.name, token.found_at
            )),
            Authorization::OAuth(_) => None,
        })
        .collect();
    let needs: Vec<String> = oauth()
        .map(|(_, sign_in)| {
            let mut needs = match sign_in.secret_required {
                true => format!(
                    "{} and {}",
                    sign_in.client_id_var, sign_in.client_secret_var
                ),
                false => format!(
                    "{} (and {} if your app has one)",
                    sign_in.client_id_var, sign_in.client_secret_var
                ),
            };
            if let Some(key) = sign_in.api_key_var {
                needs.push_str(&format!(" (and {key}, stored with the tokens)"));
            }
            needs
        })
        .collect();
    let mut about = format!(
        "{LOGIN_DOES}\n\n{}\n\n{}",
        crate::cli::fill(&format!(
            "The redirect URI to register with your app: {}; --port or --redirect-uri says \
             another.",
            redirects.join(", ")
        )),
        crate::cli::fill(&format!("Needs {}.", needs.join(", or ")))
    );
    if !pasted.is_empty() {
        about.push_str(&format!(
            "\n\n{}",
            crate::cli::fill(&format!("{}.", pasted.join("; ")))
        ));
    }
    about
}

/// What `login --help` says first.
const LOGIN_DOES: &str = "\
Prints the service's sign-in URL (and opens it in a browser, unless --no-browser), waits
for the browser to come back to the redirect URI, checks it, and stores the tokens in your
config directory (~/.config/recently-played/<service>.json on Linux, readable by you
alone). Later runs use them, refreshing the access token as needed, with no token in the
environment.";

/// What `login` was asked.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct LoginArgs {
    /// The service to sign in to.
    #[arg(value_name = "SERVICE", value_parser = crate::cli::service_command())]
    pub(crate) service: &'static str,
    /// The port of the default redirect URI (0: any free one).
    #[arg(long, default_value_t = DEFAULT_PORT, conflicts_with = "redirect_uri")]
    pub(crate) port: u16,
    /// Another redirect URI, on http to `127.0.0.1`, `[::1]` or `localhost`, with its port.
    #[arg(long, value_name = "URI", value_parser = Redirect::parse)]
    pub(crate) redirect_uri: Option<Redirect>,
    /// Print the sign-in URL without opening a browser.
    #[arg(long = "no-browser", action = clap::ArgAction::SetFalse)]
    pub(crate) open_browser: bool,
}

/// What `logout` was asked.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub(crate) struct LogoutArgs {
    /// The service whose stored tokens to remove.
    #[arg(value_name = "SERVICE", value_parser = crate::cli::service_command())]
    pub(crate) service: &'static str,
}

/// A redirect URI that `login` can listen on: http, to a loopback host, with a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Redirect {
    /// `127.0.0.1`, `[::1]` or `localhost`.
    host: String,
    port: u16,
    /// Where the callback arrives: `/callback`.
    path: String,
}

impl Redirect {
    /// Parses `uri`, or says in one sentence why `login` cannot listen there.
    pub(crate) fn parse(uri: &str) -> Result<Self, String> {
        let refused = |why: &str| format!("`--redirect-uri {uri}`: {why}");
        let rest = uri
            .strip_prefix("http://")
            .ok_or_else(|| refused("say an http:// URI; login listens for it on this machine"))?;
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        if path.contains(['?', '#']) {
            return Err(refused(
                "a redirect URI has no query or fragment of its own",
            ));
        }
        let (host, port) = authority
            .rsplit_once(':')
            .filter(|(host, _)| !host.is_empty())
            .ok_or_else(|| refused("say the port, as in http://127.0.0.1:8888/callback"))?;
        if !matches!(host, "127.0.0.1" | "[::1]" | "localhost") {
            return Err(refused("the host must be 127.0.0.1, [::1] or localhost"));
        }
        let port = port
            .parse::<u16>()
            .ok()
            .filter(|port| *port != 0)
            .ok_or_else(|| refused("the port must be a number, 1 to 65535"))?;
        Ok(Self {
            host: host.to_string(),
            port,
            path: if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            },
        })
    }

    /// The service's default: `http://<redirect_host>:<port>/callback`.
    fn default_for(sign_in: &SignIn, port: u16) -> Self {
        Self {
            host: sign_in.redirect_host.to_string(),
            port,
            path: CALLBACK_PATH.to_string(),
        }
    }

    /// The address to listen on.
    fn listen_on(&self) -> (std::net::IpAddr, u16) {
        let ip = match self.host.as_str() {
            "[::1]" => std::net::Ipv6Addr::LOCALHOST.into(),
            _ => std::net::Ipv4Addr::LOCALHOST.into(),
        };
        (ip, self.port)
    }

    fn uri(&self) -> String {
        format!("http://{}:{}{}", self.host, self.port, self.path)
    }
}

/// The service named on the command line.
fn service(name: &str) -> Result<&'static Service, String> {
    crate::services::named(name).ok_or_else(|| {
        format!(
            "`{name}` is not a service: say {}",
            crate::services::commands().join(" or ")
        )
    })
}

/// Signs in: exit 0 with the tokens stored, 2 for a configuration to fix first, 1 if the
/// sign-in failed.
pub(crate) async fn login(args: LoginArgs) -> ExitCode {
    let Ok(service) = service(args.service) else {
        return ExitCode::from(2);
    };
    match &service.authorization {
        Authorization::OAuth(sign_in) => sign_in_through_browser(service, sign_in, args).await,
        Authorization::UserToken(token) => store_pasted_token(service, token).await,
    }
}

/// The longest line a pasted token is read from: a ListenBrainz token is a UUID.
const MAX_PASTED_BYTES: u64 = 4096;

/// Asks for the user's token (without echo on a terminal), checks it with the service, and
/// stores it with the user it belongs to.
async fn store_pasted_token(service: &Service, token: &UserToken) -> ExitCode {
    let path = match token_file::path(service.key) {
        Ok(path) => path,
        Err(sentence) => return said(&sentence, 1),
    };
    let prompt = format!(
        "Paste your {} user token (from {}) and press Enter: ",
        service.name, token.found_at
    );
    let pasted = match tokio::task::spawn_blocking(move || read_token(&prompt)).await {
        Ok(Ok(pasted)) => pasted,
        Ok(Err(e)) => return said(&format!("cannot read the token: {e}"), 1),
        Err(e) => return said(&format!("cannot read the token: {e}"), 1),
    };
    let access = match AccessToken::new(pasted.trim()) {
        Ok(access) if !pasted.trim().is_empty() => access,
        Ok(_) => return said("no token was given", 2),
        Err(e) => return said(&format!("that token cannot be used: {e}"), 2),
    };
    match (token.whose)(env_var(service.base_url_var), access).await {
        Ok(Some(user)) => {
            let stored = StoredToken::new(pasted.trim().to_string(), user.clone());
            if let Err(sentence) = token_file::write(&path, &stored) {
                return said(&sentence, 1);
            }
            println!(
                "Signed in to {} as {user}. The token is stored in {} (readable by you \
                 alone); `recently-played` now reads {user}'s listens with it.",
                service.name,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Ok(None) => said(
            &format!(
                "{} does not know that token: copy it again from {}",
                service.name, token.found_at
            ),
            1,
        ),
        Err(sentence) => said(
            &format!(
                "the token could not be checked with {}: {sentence}",
                service.name
            ),
            1,
        ),
    }
}

/// One line from the terminal without echo, or from standard input when it is not one (a
/// pipe), read to at most [`MAX_PASTED_BYTES`].
fn read_token(prompt: &str) -> std::io::Result<String> {
    use std::io::{BufRead, IsTerminal, Read};
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt);
    }
    eprint!("{prompt}");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(MAX_PASTED_BYTES)
        .read_line(&mut line)?;
    eprintln!();
    Ok(line)
}

/// Signs in through the browser and the service's authorization server.
async fn sign_in_through_browser(service: &Service, sign_in: &SignIn, args: LoginArgs) -> ExitCode {
    let app = match credentials::app_from_env(sign_in) {
        Ok(app) => app,
        Err(sentence) => return said(&sentence, 2),
    };
    // Asked before the browser step, which would be wasted without it.
    let api_key = match sign_in.api_key_var {
        Some(var) => match env_var(var) {
            Some(key) => Some(key),
            None => {
                return said(
                    &format!(
                        "{var} is not set: set it to your security profile ID first; it is \
                         stored with the sign-in, and {} needs it on every request",
                        service.name
                    ),
                    2,
                );
            }
        },
        None => None,
    };
    let auth_base_url = env_var(sign_in.auth_base_url_var);
    let client = match credentials::oauth_client(sign_in, app.clone(), auth_base_url.as_deref()) {
        Ok(client) => client,
        Err(sentence) => return said(&sentence, 2),
    };
    let path = match token_file::path(service.key) {
        Ok(path) => path,
        Err(sentence) => return said(&sentence, 1),
    };
    let mut redirect = args
        .redirect_uri
        .clone()
        .unwrap_or_else(|| Redirect::default_for(sign_in, args.port));
    let listener = match TcpListener::bind(redirect.listen_on()).await {
        Ok(listener) => listener,
        Err(e) => {
            return said(
                &format!(
                    "cannot listen on {}:{} for the redirect: {e}",
                    redirect.host, redirect.port
                ),
                1,
            );
        }
    };
    if let Ok(address) = listener.local_addr() {
        redirect.port = address.port();
    }
    let callback = redirect.path.clone();
    let redirect = redirect.uri();
    let authorization = match client.authorize(&redirect, sign_in.scopes) {
        Ok(authorization) => authorization,
        Err(e) => return said(&e.to_string(), 1),
    };
    println!(
        "To sign in to {}, open this URL in your browser:\n\n    {}\n\n\
         Waiting up to {} s for it to come back to {redirect} (Ctrl-C to give up).",
        service.name,
        authorization.url(),
        WAIT_FOR_REDIRECT.as_secs()
    );
    let _ = std::io::stdout().flush();
    if args.open_browser {
        // Without a browser (a server, a container), the printed URL is the way.
        let _ = webbrowser::open(authorization.url());
    }
    let query =
        match tokio::time::timeout(WAIT_FOR_REDIRECT, redirect_query(listener, callback)).await {
            Ok(Ok(query)) => query,
            Ok(Err(e)) => return said(&format!("waiting for the redirect failed: {e}"), 1),
            Err(_) => {
                return said(
                    &format!(
                        "the browser did not come back within {} s; run login again",
                        WAIT_FOR_REDIRECT.as_secs()
                    ),
                    1,
                );
            }
        };
    let tokens = match authorization.finish(&client, &query).await {
        Ok(tokens) => tokens,
        Err(e) => return said(&format!("signing in to {} failed: {e}", service.name), 1),
    };
    // The API key goes with the tokens, so later runs need no environment.
    let stored = StoredSignIn::new(&app, auth_base_url, api_key, &tokens);
    if let Err(sentence) = token_file::write(&path, &stored) {
        return said(&sentence, 1);
    }
    println!(
        "Signed in to {}. The tokens are stored in {} (readable by you alone); \
         `recently-played` now uses them and refreshes them on its own.",
        service.name,
        path.display()
    );
    ExitCode::SUCCESS
}

/// Removes the stored sign-in.
pub(crate) fn logout(args: LogoutArgs) -> ExitCode {
    let Ok(service) = service(args.service) else {
        return ExitCode::from(2);
    };
    let removed = token_file::path(service.key)
        .and_then(|path| token_file::remove(&path).map(|removed| (path, removed)));
    match removed {
        Ok((path, true)) => {
            println!(
                "Signed out of {}: removed {}.",
                service.name,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Ok((_, false)) => {
            println!("No sign-in to {} was stored.", service.name);
            ExitCode::SUCCESS
        }
        Err(sentence) => said(&sentence, 1),
    }
}

fn said(sentence: &str, status: u8) -> ExitCode {
    eprintln!("recently-played: {}.", crate::clause(sentence));
    ExitCode::from(status)
}

/// Serves `listener` until a request for `callback` (a path) arrives, answering it with a
/// page that sends the user back to the terminal; its query string (empty if none).
async fn redirect_query(listener: TcpListener, callback: String) -> std::io::Result<String> {
    let (found, mut arrived) = mpsc::channel::<String>(1);
    loop {
        tokio::select! {
            query = arrived.recv() => {
                if let Some(query) = query {
                    return Ok(query);
                }
            }
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                let found = found.clone();
                let callback = callback.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let found = found.clone();
                        let callback = callback.clone();
                        async move { Ok::<_, Infallible>(answer(request, &callback, &found)) }
                    });
                    // A browser that sends garbage or goes away only loses its own page.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(false)
                        .max_buf_size(MAX_REQUEST_HEADER_BYTES)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

fn answer(
    request: Request<Incoming>,
    callback: &str,
    found: &mpsc::Sender<String>,
) -> Response<Full<Bytes>> {
    let (status, page) = if request.uri().path() == callback {
        let query = request.uri().query().unwrap_or("").to_string();
        let _ = found.try_send(query);
        (
            StatusCode::OK,
            "Sign-in received: you can close this tab and return to the terminal, which says whether it worked.",
        )
    } else {
        (StatusCode::NOT_FOUND, "Not the sign-in callback.")
    };
    let mut response = Response::new(Full::new(Bytes::from_static(page.as_bytes())));
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `login` (or, with `login` false, `logout`) with `args`, as the command line reads it.
    fn parse_str(args: &[&str], login: bool) -> Result<LoginArgs, String> {
        let name = if login { "login" } else { "logout" };
        let line = ["recently-played", name]
            .into_iter()
            .chain(args.iter().copied());
        match crate::cli::parse(line.map(std::ffi::OsString::from)) {
            Ok(cli) => match cli.command {
                Some(crate::cli::Command::Login(args)) => Ok(args),
                Some(crate::cli::Command::Logout(LogoutArgs { service })) => Ok(LoginArgs {
                    service,
                    port: DEFAULT_PORT,
                    redirect_uri: None,
                    open_browser: true,
                }),
                other => panic!("neither login nor logout: {other:?}"),
            },
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn login_takes_a_port_and_no_browser_and_logout_takes_neither() {
        for service in crate::services::ALL {
            let command = service.command;
            for name in [command, service.key] {
                assert_eq!(
                    parse_str(&[name, "--port", "0", "--no-browser"], true),
                    Ok(LoginArgs {
                        service: command,
                        port: 0,
                        redirect_uri: None,
                        open_browser: false,
                    })
                );
                assert_eq!(
                    parse_str(&[name], false),
                    Ok(LoginArgs {
                        service: command,
                        port: DEFAULT_PORT,
                        redirect_uri: None,
                        open_browser: true,
                    })
                );
            }
            assert!(parse_str(&[command, "--port", "9000"], false).is_err());
            assert!(parse_str(&[command, "--no-browser"], false).is_err());
            assert!(parse_str(&[command, "--port", "65536"], true).is_err());
            assert!(
                parse_str(&[command, "--redirect-uri", "http://127.0.0.1:1/c"], false).is_err()
            );
        }
        assert!(parse_str(&["--no-browser"], true).is_err());
        assert!(parse_str(&["deezer"], true).is_err());
    }

    #[test]
    fn each_service_gets_a_redirect_login_can_listen_on_and_its_help_says_it() {
        let about = login_about();
        for service in crate::services::ALL {
            let Authorization::OAuth(sign_in) = &service.authorization else {
                let said = format!("{} asks for your user token", service.name);
                assert!(crate::one_line(&about).contains(&said), "{about}");
                continue;
            };
            let uri = Redirect::default_for(sign_in, 8888).uri();
            assert_eq!(
                uri,
                format!("http://{}:8888/callback", sign_in.redirect_host)
            );
            assert_eq!(Redirect::parse(&uri).map(|r| r.uri()), Ok(uri.clone()));
            let said = format!("{uri} for {} ({})", service.name, service.help.redirect);
            assert!(crate::one_line(&about).contains(&said), "{about}");
            assert!(about.contains(sign_in.client_id_var), "{about}");
        }
    }

    #[test]
    fn a_redirect_uri_is_http_to_a_loopback_host_with_its_port() {
        let parsed = |uri: &str| Redirect::parse(uri).map(|r| (r.uri(), r.listen_on()));
        let v4 = std::net::IpAddr::from(std::net::Ipv4Addr::LOCALHOST);
        let v6 = std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST);
        assert_eq!(
            parsed("http://localhost:9000/cb"),
            Ok(("http://localhost:9000/cb".to_string(), (v4, 9000)))
        );
        assert_eq!(
            parsed("http://[::1]:9001"),
            Ok(("http://[::1]:9001/".to_string(), (v6, 9001)))
        );
        for refused in [
            "https://localhost:9000/cb",
            "http://example.com:9000/cb",
            "http://127.0.0.1/cb",
            "http://127.0.0.1:0/cb",
            "http://127.0.0.1:99999/cb",
            "http://127.0.0.1:9000/cb?x=1",
            "http://:9000/cb",
        ] {
            assert!(Redirect::parse(refused).is_err(), "{refused}");
        }
        let args = parse_str(
            &[
                crate::services::ALL[0].command,
                "--redirect-uri",
                "http://127.0.0.1:9002/x",
            ],
            true,
        );
        assert_eq!(
            args.map(|a| a.redirect_uri.map(|r| r.uri())),
            Ok(Some("http://127.0.0.1:9002/x".to_string()))
        );
        assert!(
            parse_str(
                &[
                    crate::services::ALL[0].command,
                    "--port",
                    "1",
                    "--redirect-uri",
                    "http://[::1]:2/"
                ],
                true
            )
            .is_err()
        );
    }
}
