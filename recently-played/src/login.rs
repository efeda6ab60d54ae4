//! `login SERVICE` and `logout SERVICE`: signing in once through the browser, so that
//! later runs refresh on their own.

use std::convert::Infallible;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::amazon::AMAZON_MUSIC;
use crate::credentials;
use crate::env_var;
use crate::service::Service;
use crate::spotify::SPOTIFY;
use crate::token_file::{self, StoredSignIn};

/// The port the redirect comes back to unless `--port` says otherwise: the redirect URI
/// registered with the service must be `http://127.0.0.1:8888/callback`.
pub(crate) const DEFAULT_PORT: u16 = 8888;

/// How long `login` waits for the browser to come back.
const WAIT_FOR_REDIRECT: Duration = Duration::from_secs(300);

/// The most bytes of a request line and headers the callback listener reads.
const MAX_REQUEST_HEADER_BYTES: usize = 16 * 1024;

pub(crate) const HELP: &str = "\
SIGNING IN:
    recently-played login spotify|amazon-music [--port PORT] [--no-browser]
    recently-played logout spotify|amazon-music

    login     Prints the service's sign-in URL (and opens it in a browser, unless
              --no-browser), waits for the browser to come back to
              http://127.0.0.1:PORT/callback (default port 8888: register that redirect
              URI with your app; --port 0 takes any free port), checks it, and stores
              the tokens in your config directory (~/.config/recently-played/<service>.json
              on Linux, readable by you alone). Later runs use them, refreshing the
              access token as needed, with no token in the environment.
              Needs SPOTIFY_CLIENT_ID (and SPOTIFY_CLIENT_SECRET if your app has one), or
              AMAZON_MUSIC_CLIENT_ID and AMAZON_MUSIC_CLIENT_SECRET (and
              AMAZON_MUSIC_API_KEY, stored with the tokens).
    logout    Removes the stored tokens.
";

/// What `login` or `logout` was asked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LoginArgs {
    pub(crate) service: &'static str,
    pub(crate) port: u16,
    pub(crate) open_browser: bool,
}

/// The service named on the command line.
fn service(name: &str) -> Result<&'static Service, String> {
    [&SPOTIFY, &AMAZON_MUSIC]
        .into_iter()
        .find(|service| service.command == name)
        .ok_or_else(|| format!("`{name}` is not a service: say spotify or amazon-music"))
}

/// `login`'s and `logout`'s arguments (`logout` takes no flag).
pub(crate) fn parse(parser: &mut lexopt::Parser, login: bool) -> Result<LoginArgs, String> {
    use lexopt::prelude::*;
    let mut args = LoginArgs {
        service: "",
        port: DEFAULT_PORT,
        open_browser: true,
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(name) if args.service.is_empty() => {
                let name = name.to_string_lossy();
                args.service = service(&name)?.command;
            }
            Long("port") if login => {
                let value = parser.value().map_err(|e| e.to_string())?;
                let value = value.to_string_lossy();
                args.port = value
                    .parse()
                    .map_err(|_| format!("`--port {value}`: say a port number, 0 to 65535"))?;
            }
            Long("no-browser") if login => args.open_browser = false,
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    if args.service.is_empty() {
        return Err("say which service: spotify or amazon-music".to_string());
    }
    Ok(args)
}

/// Signs in: exit 0 with the tokens stored, 2 for a configuration to fix first, 1 if the
/// sign-in failed.
pub(crate) async fn login(args: LoginArgs) -> ExitCode {
    let Ok(service) = service(args.service) else {
        return ExitCode::from(2);
    };
    let sign_in = &service.sign_in;
    let app = match credentials::app_from_env(sign_in) {
        Ok(app) => app,
        Err(sentence) => return said(&sentence, 2),
    };
    let auth_base_url = env_var(sign_in.auth_base_url_var);
    let client = match credentials::oauth_client(service, app.clone(), auth_base_url.as_deref()) {
        Ok(client) => client,
        Err(sentence) => return said(&sentence, 2),
    };
    let path = match token_file::path(service.key) {
        Ok(path) => path,
        Err(sentence) => return said(&sentence, 1),
    };
    let listener = match TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            return said(
                &format!(
                    "cannot listen on 127.0.0.1:{} for the redirect: {e}",
                    args.port
                ),
                1,
            );
        }
    };
    let port = listener
        .local_addr()
        .map_or(args.port, |address| address.port());
    let redirect = format!("http://127.0.0.1:{port}/callback");
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
    let query = match tokio::time::timeout(WAIT_FOR_REDIRECT, redirect_query(listener)).await {
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
    // Amazon Music's API key goes with the tokens, so later runs need no environment.
    let api_key = (service.command == AMAZON_MUSIC.command)
        .then(|| env_var(crate::amazon::API_KEY_VAR))
        .flatten();
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
pub(crate) fn logout(args: LoginArgs) -> ExitCode {
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

/// Serves `listener` until a request for `/callback` arrives, answering it with a page
/// that sends the user back to the terminal; its query string (empty if none).
async fn redirect_query(listener: TcpListener) -> std::io::Result<String> {
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
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let found = found.clone();
                        async move { Ok::<_, Infallible>(answer(request, &found)) }
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

fn answer(request: Request<Incoming>, found: &mpsc::Sender<String>) -> Response<Full<Bytes>> {
    let (status, page) = if request.uri().path() == "/callback" {
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

    fn parse_str(args: &[&str], login: bool) -> Result<LoginArgs, String> {
        let mut parser = lexopt::Parser::from_args(args.iter().map(std::ffi::OsString::from));
        parse(&mut parser, login)
    }

    #[test]
    fn login_takes_a_port_and_no_browser_and_logout_takes_neither() {
        assert_eq!(
            parse_str(&["amazon-music", "--port", "0", "--no-browser"], true),
            Ok(LoginArgs {
                service: "amazon-music",
                port: 0,
                open_browser: false,
            })
        );
        assert_eq!(
            parse_str(&["spotify"], false),
            Ok(LoginArgs {
                service: "spotify",
                port: DEFAULT_PORT,
                open_browser: true,
            })
        );
        assert!(parse_str(&["spotify", "--port", "9000"], false).is_err());
        assert!(parse_str(&["spotify", "--no-browser"], false).is_err());
        assert!(parse_str(&["spotify", "--port", "65536"], true).is_err());
        assert!(parse_str(&["--no-browser"], true).is_err());
        assert!(parse_str(&["deezer"], true).is_err());
    }
}
