//! What the live mode's tests share: the sandbox served in its own process, the targets and
//! environment that point the live mode at it, and a proxy that makes it drift.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use conformance::live::{Found, Service, Target, credentials};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long the sandbox process may take to say where it serves.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// `conformance-sandbox` running in a process of its own; killed when dropped.
pub struct SandboxProcess {
    child: Child,
    addresses: Value,
}

impl SandboxProcess {
    /// Starts it with `plays` plays per service and reads the addresses it prints.
    pub fn start(plays: usize) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conformance-sandbox"))
            .args(["--plays", &plays.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("conformance-sandbox starts");
        let stdout = child.stdout.take().expect("its stdout");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("conformance-sandbox did not print its addresses within {START_TIMEOUT:?}");
            }
        };
        let addresses = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("conformance-sandbox printed {line:?}: {e}"));
        Self { child, addresses }
    }

    /// The base URL the sandbox serves `service` on.
    pub fn base_url(&self, service: Service) -> String {
        self.addresses[service.key()]["base_url"]
            .as_str()
            .expect("a base URL")
            .to_string()
    }

    /// A target of `service` on this sandbox, or at `base_url` (a proxy in front of it),
    /// with the credentials the live mode reads from [`service_env`](Self::service_env),
    /// but no user: for a service whose paths name one (ListenBrainz), the live mode asks
    /// whose token it is (`validate-token`), as it does for a user who names none.
    pub fn target(&self, service: Service, base_url: Option<&str>) -> Target {
        let user = service.description().variables.user;
        let mut env = self.service_env(service);
        env.retain(|(variable, _)| Some(*variable) != user);
        let lookup = |name: &str| {
            env.iter()
                .find(|(variable, _)| *variable == name)
                .map(|(_, value)| value.clone())
        };
        let Found::Check(mut target) = credentials(service, lookup) else {
            panic!("{service}: the sandbox's credentials are not enough");
        };
        if let Some(base_url) = base_url {
            target.base_url = base_url.to_string();
        }
        target
    }

    /// The variables that point the live mode at this sandbox's `service`, as the CLI's
    /// (its access token; its API key and user where it takes them; its base URL).
    pub fn service_env(&self, service: Service) -> Vec<(&'static str, String)> {
        let entry = &self.addresses[service.key()];
        service.description().variables.env(entry, false)
    }

    /// The environment that points the live mode at this sandbox, every service's
    /// [`service_env`](Self::service_env).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        Service::ALL
            .into_iter()
            .flat_map(|service| self.service_env(service))
            .collect()
    }

    /// The environment of an unattended run on this sandbox: for a service with a refresh
    /// token, that token, its app's client id (and secret) and the authorization server,
    /// no access token; for a service without one, its user token, which is all it has.
    pub fn refresh_env(&self) -> Vec<(&'static str, String)> {
        Service::ALL
            .into_iter()
            .flat_map(|service| {
                let entry = &self.addresses[service.key()];
                service.description().variables.env(entry, true)
            })
            .collect()
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A way the drifting proxy changes what the sandbox does.
#[derive(Clone, Debug)]
pub enum Drift {
    /// Renames a member of every 200 body: the member `from` of the object at `at`.
    Rename {
        at: &'static str,
        from: &'static str,
        to: &'static str,
    },
    /// Removes the member at this pointer from every 200 body.
    Remove(&'static str),
    /// Replaces the value at this pointer in every 200 body.
    Replace(&'static str, Value),
    /// Spotify: a page's `before` cursor (and `next`) stays at the `before` it was asked for.
    CursorStays,
    /// Asks the sandbox for 3 more items than the request's `limit` (up to `max`).
    IgnoreLimit { max: u64 },
    /// Answers the `nth` request (from 1) with this status and an error body.
    Status { nth: usize, status: u16 },
    /// Sends every 200 with this content type.
    ContentType(&'static str),
}

/// A proxy on 127.0.0.1 in front of `upstream` (a base URL, with a path or without) that
/// applies `drift`; it serves until the runtime it was started on ends. Returns its base URL,
/// with `upstream`'s path.
pub async fn drifting_proxy(upstream: &str, drift: Drift) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    let upstream = reqwest::Url::parse(upstream).expect("a base URL");
    let prefix = upstream.path().trim_end_matches('/').to_string();
    let origin = upstream.origin().ascii_serialization();
    let seen = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        let http = client_support::http::client_builder()
            .build()
            .expect("an HTTP client");
        while let Ok((stream, _)) = listener.accept().await {
            let (http, origin, drift, seen) =
                (http.clone(), origin.clone(), drift.clone(), seen.clone());
            tokio::spawn(async move {
                let _ = tokio::time::timeout(
                    Duration::from_secs(30),
                    serve(stream, &http, &origin, &drift, &seen),
                )
                .await;
            });
        }
    });
    format!("http://127.0.0.1:{port}{prefix}")
}

/// Answers the requests of one connection (the live mode's client keeps connections alive).
async fn serve(
    mut stream: TcpStream,
    http: &reqwest::Client,
    origin: &str,
    drift: &Drift,
    seen: &AtomicUsize,
) {
    let mut buffer = Vec::new();
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) if buffer.len() + n <= 65_536 => buffer.extend_from_slice(&chunk[..n]),
                Ok(_) => return,
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        buffer.drain(..head_end);
        let mut lines = head.split("\r\n");
        let target = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .unwrap_or("/")
            .to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .filter(|(k, _)| k == "authorization" || k == "x-api-key")
            .collect();
        let nth = seen.fetch_add(1, Ordering::SeqCst) + 1;
        let response = answer(http, origin, &target, &headers, drift, nth).await;
        if stream.write_all(&response).await.is_err() {
            return;
        }
    }
}

/// The sandbox's answer to `target`, drifted, as HTTP/1.1 bytes.
async fn answer(
    http: &reqwest::Client,
    origin: &str,
    target: &str,
    headers: &[(String, String)],
    drift: &Drift,
    nth: usize,
) -> Vec<u8> {
    if let Drift::Status { nth: at, status } = drift
        && *at == nth
    {
        let body = json!({"error": {"status": status, "message": "drifted"}}).to_string();
        return http_response(*status, Some("application/json"), None, body.as_bytes());
    }
    let mut url = reqwest::Url::parse(&format!("{origin}{target}")).expect("a URL");
    if let Drift::IgnoreLimit { max } = drift {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| match (k.as_ref(), v.parse::<u64>()) {
                ("limit", Ok(n)) if (1..*max).contains(&n) => {
                    (k.into_owned(), (n + 3).min(*max).to_string())
                }
                _ => (k.into_owned(), v.into_owned()),
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let asked_before = url
        .query_pairs()
        .find(|(k, _)| k == "before")
        .map(|(_, v)| v.into_owned());
    let mut request = http.get(url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let Ok(response) = request.send().await else {
        return http_response(502, None, None, b"");
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.bytes().await.unwrap_or_default().to_vec();
    if status != 200 {
        return http_response(
            status,
            content_type.as_deref(),
            retry_after.as_deref(),
            &body,
        );
    }
    let Ok(mut json) = serde_json::from_slice::<Value>(&body) else {
        return http_response(status, content_type.as_deref(), None, &body);
    };
    let mut content_type = content_type.unwrap_or_default();
    match drift {
        Drift::Rename { at, from, to } => {
            if let Some(Value::Object(object)) = json.pointer_mut(at)
                && let Some(value) = object.remove(*from)
            {
                object.insert((*to).to_string(), value);
            }
        }
        Drift::Remove(pointer) => {
            if let Some((parent, key)) = pointer.rsplit_once('/')
                && let Some(Value::Object(object)) = json.pointer_mut(parent)
            {
                object.remove(key);
            }
        }
        Drift::Replace(pointer, value) => {
            if let Some(slot) = json.pointer_mut(pointer) {
                *slot = value.clone();
            }
        }
        Drift::CursorStays => {
            if let Some(before) = asked_before {
                if let Some(slot) = json.pointer_mut("/cursors/before") {
                    *slot = Value::String(before.clone());
                }
                if let Some(Value::String(next)) = json.get_mut("next")
                    && let Ok(mut url) = reqwest::Url::parse(next)
                {
                    let pairs: Vec<(String, String)> = url
                        .query_pairs()
                        .map(|(k, v)| {
                            if k == "before" {
                                (k.into_owned(), before.clone())
                            } else {
                                (k.into_owned(), v.into_owned())
                            }
                        })
                        .collect();
                    url.query_pairs_mut().clear().extend_pairs(pairs);
                    *next = url.to_string();
                }
            }
        }
        Drift::ContentType(drifted) => content_type = (*drifted).to_string(),
        Drift::IgnoreLimit { .. } | Drift::Status { .. } => {}
    }
    http_response(
        status,
        Some(&content_type),
        None,
        json.to_string().as_bytes(),
    )
}

fn http_response(
    status: u16,
    content_type: Option<&str>,
    retry_after: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} Drifted\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("content-type: {content_type}\r\n"));
    }
    if let Some(retry_after) = retry_after {
        head.push_str(&format!("retry-after: {retry_after}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
