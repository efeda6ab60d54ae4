//! Attributes a `perf` profile of the `walk` binary to where a walk's time goes: on the
//! client's thread, JSON decode, HTTP and our layer; on the simulation's server thread,
//! building and serialising the page, wiremock, and HTTP.
//!
//! ```sh
//! CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p benchmarks --bin walk
//! perf record -F 1999 --call-graph dwarf,16384 -o walk.data target/release/walk --walks 40 spotify
//! perf script -i walk.data --inline -F comm,pid,tid,period,ip,sym,dso \
//!     | cargo run --release -p benchmarks --bin walk_profile
//! ```
//!
//! Each sample is weighed by its period and goes to the first bucket one of whose frames
//! (at any depth of its stack, inlined frames included) matches; kernel frames go with the
//! user-space code that entered the kernel. The client is the main thread (`tid == pid`):
//! the `walk` binary runs the client on a current-thread runtime there, and the
//! simulation's wiremock server runs on a thread of its own. Samples outside the walks
//! (building the histories, starting the simulation, building each client, the connection
//! counter's forwarding) are counted but left out of the shares.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut script = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut script) {
        eprintln!("error: cannot read the output of `perf script` from stdin: {e}");
        return ExitCode::FAILURE;
    }
    let samples = parse(&script);
    if samples.is_empty() {
        eprintln!(
            "error: no samples on stdin; pipe in \
             `perf script --inline -F comm,pid,tid,period,ip,sym,dso`"
        );
        return ExitCode::FAILURE;
    }
    print!("{}", Breakdown::of(&samples));
    ExitCode::SUCCESS
}

/// One perf sample: its thread, weight and stack (leaf first).
#[derive(Debug)]
struct Sample<'a> {
    client: bool,
    period: u64,
    frames: Vec<Frame<'a>>,
}

#[derive(Debug)]
struct Frame<'a> {
    symbol: &'a str,
    kernel: bool,
}

/// Reads `perf script -F comm,pid,tid,period,ip,sym,dso` output: a header line per sample
/// (`walk  7237/7240     500250`), then one indented line per frame
/// (`\t  1e90a8 <symbol> (<dso>)`), then a blank line.
fn parse(script: &str) -> Vec<Sample<'_>> {
    let mut samples = Vec::new();
    for block in script.split("\n\n") {
        let mut lines = block.lines().filter(|line| !line.trim().is_empty());
        let Some(header) = lines.next() else { continue };
        let fields: Vec<&str> = header.split_whitespace().collect();
        let Some((pid, tid)) = fields.iter().find_map(|field| field.split_once('/')) else {
            continue;
        };
        let period = fields.last().and_then(|p| p.parse().ok()).unwrap_or(1);
        let frames = lines
            .filter_map(|line| {
                let (_address, rest) = line.trim().split_once(' ')?;
                let (symbol, dso) = rest.rsplit_once(" (")?;
                Some(Frame {
                    symbol,
                    kernel: dso.starts_with("[kernel"),
                })
            })
            .collect();
        samples.push(Sample {
            client: pid == tid,
            period,
            frames,
        });
    }
    samples
}

/// Where a sample's time went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Bucket {
    ClientDecode,
    ClientHttp,
    ClientLayer,
    ClientBenchLoop,
    ClientRuntime,
    ServerToValue,
    ServerToBytes,
    ServerCopy,
    ServerDrop,
    ServerRestOfPage,
    ServerRequestLog,
    ServerChecks,
    ServerWiremock,
    ServerHttp,
    /// Not part of a walk.
    Setup,
    Counter,
    Other,
}

impl Bucket {
    const ALL: [Self; 17] = [
        Self::ClientDecode,
        Self::ClientHttp,
        Self::ClientLayer,
        Self::ClientBenchLoop,
        Self::ClientRuntime,
        Self::ServerToValue,
        Self::ServerToBytes,
        Self::ServerCopy,
        Self::ServerDrop,
        Self::ServerRestOfPage,
        Self::ServerRequestLog,
        Self::ServerChecks,
        Self::ServerWiremock,
        Self::ServerHttp,
        Self::Setup,
        Self::Counter,
        Self::Other,
    ];

    fn describe(self) -> &'static str {
        match self {
            Self::ClientDecode => "JSON decode (serde_json into the generated types)",
            Self::ClientHttp => "HTTP (reqwest, hyper, tokio I/O and timers, kernel)",
            Self::ClientLayer => {
                "our layer (History, PageWalk, sorting, cursors, hooks, request building)"
            }
            Self::ClientBenchLoop => "the bench's loop (order check, dropping each play)",
            Self::ClientRuntime => "tokio scheduler, outside the walk's future",
            Self::ServerToValue => "page -> serde_json::Value (Serialize of the generated types)",
            Self::ServerToBytes => "serde_json::Value -> JSON bytes",
            Self::ServerCopy => "copying the page's plays out of the history",
            Self::ServerDrop => "dropping the Value and the copies",
            Self::ServerRestOfPage => "rest of the page (timestamps, cursors, nulls)",
            Self::ServerRequestLog => "request log (RecordedRequest)",
            Self::ServerChecks => "the rest of the sandbox (credentials, parameters)",
            Self::ServerWiremock => "wiremock (request copy, matching, response body copy)",
            Self::ServerHttp => "HTTP (hyper server, tokio I/O, kernel)",
            Self::Setup => "setup (histories, simulation start, client builds)",
            Self::Counter => "the connection counter's forwarding",
            Self::Other => "other (process start and exit)",
        }
    }

    fn in_walk(self) -> bool {
        self < Self::Setup
    }

    fn on_client(self) -> bool {
        self <= Self::ClientRuntime
    }
}

fn any_starts_with(sample: &Sample<'_>, prefixes: &[&str]) -> bool {
    sample
        .frames
        .iter()
        .any(|frame| prefixes.iter().any(|p| frame.symbol.starts_with(p)))
}

const SETUP: &[&str] = &[
    "music_history_sandbox::spotify::SpotifyHistory::realistic",
    "music_history_sandbox::amazon::AmazonMusicHistory::realistic",
    "music_history_sandbox::amazon::realistic_entities",
    "music_history_sandbox::spotify::SpotifySimulation::start",
    "music_history_sandbox::amazon::AmazonMusicSimulation::start",
    "music_history_sandbox::server::Simulation<S>::start",
    "benchmarks::walk::SpotifyWalk::start",
    "benchmarks::walk::AmazonMusicWalk::start",
    "wiremock::mock_server::builder::",
    "wiremock::mock_server::bare_server::BareMockServer::start",
    "reqwest::async_impl::client::ClientBuilder::build",
    "spotify_web_api::client::SpotifyClientBuilder::build",
    "amazon_music_web_api::client::AmazonMusicClientBuilder::build",
];

const CLIENT_HTTP: &[&str] = &[
    "reqwest::async_impl::client::Client::execute",
    "reqwest::async_impl::client::Pending",
    "<reqwest::async_impl::client::Pending",
    "reqwest::async_impl::response::",
    "<reqwest::async_impl::response::",
    "reqwest::async_impl::body",
    "<reqwest::async_impl::body",
    "reqwest::connect",
    "<reqwest::connect",
    "hyper::",
    "<hyper::",
    "hyper_util::",
    "<hyper_util::",
    "mio::",
    "tokio::runtime::io::",
    "tokio::runtime::time::",
    "tokio::net::",
    "<tokio::net::",
    "tokio::io::",
    "<tokio::io::",
    "core::ptr::drop_in_place<reqwest::",
    "core::ptr::drop_in_place<hyper",
];

const CLIENT_LAYER: &[&str] = &[
    "client_support::",
    "<client_support::",
    "progenitor_client::",
    "<progenitor_client::",
    "spotify_web_api::history::",
    "<spotify_web_api::history::",
    "spotify_web_api::client::",
    "spotify_web_api::hooks::",
    "spotify_web_api::generated::Client::",
    "<spotify_web_api::generated::Client as progenitor_client",
    "amazon_music_web_api::history::",
    "<amazon_music_web_api::history::",
    "amazon_music_web_api::client::",
    "amazon_music_web_api::hooks::",
    "amazon_music_web_api::query::",
    "amazon_music_web_api::path::",
    "amazon_music_web_api::generated::Client::",
    "<amazon_music_web_api::generated::Client as progenitor_client",
];

/// The functions that build a page of the simulation's answer.
const PAGE_BUILDERS: &[&str] = &[
    "music_history_sandbox::spotify::Spotify::page",
    "music_history_sandbox::amazon::AmazonMusic::entities",
];

fn bucket(sample: &Sample<'_>) -> Bucket {
    if sample
        .frames
        .iter()
        .any(|f| f.symbol.contains("copy_bidirectional"))
        || any_starts_with(sample, &["benchmarks::walk::ConnectionCounter::start"])
    {
        return Bucket::Counter;
    }
    if any_starts_with(sample, SETUP) {
        return Bucket::Setup;
    }
    if sample.client {
        client_bucket(sample)
    } else {
        server_bucket(sample)
    }
}

fn client_bucket(sample: &Sample<'_>) -> Bucket {
    if any_starts_with(
        sample,
        &["serde_json::de::from_slice", "serde_json::de::from_trait"],
    ) {
        Bucket::ClientDecode
    } else if any_starts_with(sample, CLIENT_HTTP) {
        Bucket::ClientHttp
    } else if any_starts_with(sample, CLIENT_LAYER) {
        Bucket::ClientLayer
    } else if any_starts_with(
        sample,
        &[
            "benchmarks::walk::SpotifyWalk::walk",
            "benchmarks::walk::AmazonMusicWalk::walk",
        ],
    ) {
        Bucket::ClientBenchLoop
    } else if any_starts_with(sample, &["tokio::runtime::"]) {
        Bucket::ClientRuntime
    } else {
        Bucket::Other
    }
}

fn server_bucket(sample: &Sample<'_>) -> Bucket {
    if any_starts_with(sample, &["music_history_sandbox::record::"]) {
        return Bucket::ServerRequestLog;
    }
    let page = sample
        .frames
        .iter()
        .position(|f| PAGE_BUILDERS.iter().any(|p| f.symbol.starts_with(p)));
    if let Some(at) = page {
        // What the page builder was calling; inlined frames carry short names (`json`).
        let callee = match at.checked_sub(1) {
            Some(below) => without_generics(sample.frames[below].symbol),
            None => String::new(),
        };
        return match callee.as_str() {
            c if c.ends_with("::serialize") || c.ends_with("to_value") => Bucket::ServerToValue,
            c if c == "json" || c.ends_with("server::json") => Bucket::ServerToBytes,
            "from_iter" | "::from_iter" | "clone" | "::clone" | "spec_extend" | "paginate" => {
                Bucket::ServerCopy
            }
            c if c.contains("drop") || c.contains("free") => Bucket::ServerDrop,
            _ => Bucket::ServerRestOfPage,
        };
    }
    if any_starts_with(
        sample,
        &["music_history_sandbox::", "<music_history_sandbox::"],
    ) {
        Bucket::ServerChecks
    } else if any_starts_with(sample, &["wiremock::", "<wiremock::"]) {
        Bucket::ServerWiremock
    } else {
        Bucket::ServerHttp
    }
}

/// `symbol` without its generic arguments and `<T as Trait>` qualifications.
fn without_generics(symbol: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(symbol.len());
    for c in symbol.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The weight of every bucket, and of the samples whose stack ended in the kernel.
struct Breakdown {
    samples: usize,
    weight: [u64; Bucket::ALL.len()],
    count: [usize; Bucket::ALL.len()],
    kernel: [u64; Bucket::ALL.len()],
}

impl Breakdown {
    fn of(samples: &[Sample<'_>]) -> Self {
        let mut breakdown = Self {
            samples: samples.len(),
            weight: [0; Bucket::ALL.len()],
            count: [0; Bucket::ALL.len()],
            kernel: [0; Bucket::ALL.len()],
        };
        for sample in samples {
            let b = bucket(sample) as usize;
            breakdown.weight[b] += sample.period;
            breakdown.count[b] += 1;
            if sample.frames.first().is_some_and(|f| f.kernel) {
                breakdown.kernel[b] += sample.period;
            }
        }
        breakdown
    }

    fn share(&self, b: Bucket) -> f64 {
        let walks: u64 = self.walk_buckets().map(|b| self.weight[b as usize]).sum();
        100.0 * self.weight[b as usize] as f64 / walks.max(1) as f64
    }

    fn walk_buckets(&self) -> impl Iterator<Item = Bucket> {
        Bucket::ALL.into_iter().filter(|b| b.in_walk())
    }
}

impl std::fmt::Display for Breakdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let in_walks: usize = self.walk_buckets().map(|b| self.count[b as usize]).sum();
        writeln!(
            f,
            "{} samples, {in_walks} in walks; shares of the walks' CPU time \
             (in brackets: the part spent in the kernel)",
            self.samples
        )?;
        for (side, on_client) in [
            ("client thread", true),
            ("server thread (simulation)", false),
        ] {
            let buckets: Vec<Bucket> = self
                .walk_buckets()
                .filter(|b| b.on_client() == on_client)
                .collect();
            let total: f64 = buckets.iter().map(|&b| self.share(b)).sum();
            writeln!(f, "{total:6.1}%  {side}")?;
            for b in buckets {
                let kernel =
                    100.0 * self.kernel[b as usize] as f64 / self.weight[b as usize].max(1) as f64;
                let kernel = if kernel >= 1.0 {
                    format!(" [{kernel:.0}% kernel]")
                } else {
                    String::new()
                };
                writeln!(f, "  {:6.1}%  {}{kernel}", self.share(b), b.describe())?;
            }
        }
        writeln!(f, "left out, not in a walk:")?;
        for b in Bucket::ALL.into_iter().filter(|b| !b.in_walk()) {
            writeln!(
                f,
                "  {:6} samples  {}",
                self.count[b as usize],
                b.describe()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "\
walk  7237/7237      500250 
\t          98109 _int_malloc (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t         3bb72e serde_core::de::impls::<impl serde_core::de::Deserialize for core::option::Option<T>>::deserialize (/x/walk)
\t         3bb72e serde_json::de::from_trait (inlined)
\t         1fea67 <spotify_web_api::history::History as futures_core::stream::Stream>::poll_next (/x/walk)

walk  7237/7237      500250 
\tffffffff8158c221 tcp_sendmsg ([kernel.kallsyms])
\t          1e90a8 hyper::proto::h1::io::Buffered<T,B>::poll_flush (/x/walk)
\t          1fea67 <spotify_web_api::history::History as futures_core::stream::Stream>::poll_next (/x/walk)

walk  7237/7237      500250 
\t          2062b8 spotify_web_api::history::page_back (/x/walk)
\t          1fea67 <spotify_web_api::history::History as futures_core::stream::Stream>::poll_next (/x/walk)

walk  7237/7260      500250 
\t          1e90a8 spotify_web_api::generated::types::_::<impl serde_core::ser::Serialize for spotify_web_api::generated::types::ExternalUrls>::serialize (/x/walk)
\t          1e90a8 to_value<&spotify_web_api::generated::types::CursorPagedPlayHistory> (inlined)
\t          1e7db4 music_history_sandbox::spotify::Spotify::page (/x/walk)

walk  7237/7260      500250 
\t          1e7db4 serde_json::ser::to_vec (inlined)
\t          1e7db4 json (inlined)
\t          1e7db4 music_history_sandbox::spotify::Spotify::page (/x/walk)

walk  7237/7260      500250 
\t          1e7db4 wiremock::response_template::ResponseTemplate::generate_response (/x/walk)

walk  7237/7237      500250 
\t          1e7db4 music_history_sandbox::spotify::SpotifyHistory::realistic (/x/walk)
";

    #[test]
    fn each_sample_goes_to_the_bucket_its_stack_names() {
        let samples = parse(SCRIPT);
        let buckets: Vec<Bucket> = samples.iter().map(bucket).collect();
        assert_eq!(
            buckets,
            [
                Bucket::ClientDecode,
                Bucket::ClientHttp,
                Bucket::ClientLayer,
                Bucket::ServerToValue,
                Bucket::ServerToBytes,
                Bucket::ServerWiremock,
                Bucket::Setup,
            ]
        );
        assert!(samples[1].frames[0].kernel);
    }

    #[test]
    fn shares_are_of_the_walks_only() {
        let breakdown = Breakdown::of(&parse(SCRIPT));
        let total: f64 = Bucket::ALL
            .into_iter()
            .filter(|b| b.in_walk())
            .map(|b| breakdown.share(b))
            .sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        assert!((breakdown.share(Bucket::ClientDecode) - 100.0 / 6.0).abs() < 1e-9);
    }
}
