//! Walks 10,000 plays from each local simulation through the public client API, page size at
//! its maximum, and prints plays per second, the requests the simulation received and the TCP
//! connections the client opened; it fails if a walk took more requests than the fewest
//! possible or more than one connection.
//!
//! Usage: `cargo run --release -p benchmarks --bin walk [-- [--walks N] [spotify|amazon]]`.
//!
//! Per service: one warm-up walk, one walk through the connection counter (connections, and
//! its own plays/s), then N timed walks straight to the simulation (default 20), whose median
//! and range are reported; every walk's requests are checked. The client and the simulation
//! share the process (the simulation's server runs on a thread of its own), so plays per
//! second is that of the whole loop, server included.

use std::process::ExitCode;
use std::time::Duration;

use benchmarks::walk::{
    AmazonMusicWalk, Route, SEED, SpotifyWalk, WALK_PLAYS, WalkError, Walked, fewest_requests,
};

const USAGE: &str = "usage: walk [--walks N] [spotify|amazon]";

fn main() -> ExitCode {
    let mut walks = 20;
    let mut services = vec![Service::Spotify, Service::Amazon];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--walks" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => walks = n,
                _ => return usage(),
            },
            "spotify" => services = vec![Service::Spotify],
            "amazon" => services = vec![Service::Amazon],
            _ => return usage(),
        }
    }
    // One thread for the client, as most callers run it; the simulation's server has its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds");

    println!(
        "{WALK_PLAYS} plays per walk, page size at its maximum, a new client per walk; \
         plays/s: median and range of {walks} direct walks"
    );
    println!(
        "{:<8} {:>5} {:>9} {:>12} {:>9} {:>18} {:>16}",
        "service", "page", "requests", "connections", "plays/s", "range", "through counter"
    );
    let mut failed = false;
    for service in services {
        match runtime.block_on(service.measure(walks)) {
            Ok(measured) => failed |= !measured.report(service),
            Err(e) => {
                eprintln!("error: {}: {e}", service.name());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::FAILURE
}

#[derive(Clone, Copy)]
enum Service {
    Spotify,
    Amazon,
}

/// The walks of one service.
struct Measured {
    page: usize,
    counted: Walked,
    timed: Vec<Walked>,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Self::Spotify => "spotify",
            Self::Amazon => "amazon",
        }
    }

    async fn measure(self, walks: usize) -> Result<Measured, WalkError> {
        match self {
            Self::Spotify => {
                let bench = SpotifyWalk::start(WALK_PLAYS, SEED).await?;
                run(walks, SpotifyWalk::PAGE_SIZE, |route| bench.walk(route)).await
            }
            Self::Amazon => {
                let bench = AmazonMusicWalk::start(WALK_PLAYS, SEED).await?;
                run(walks, AmazonMusicWalk::PAGE_SIZE, |route| bench.walk(route)).await
            }
        }
    }
}

async fn run<F, Fut>(walks: usize, page: usize, walk: F) -> Result<Measured, WalkError>
where
    F: Fn(Route) -> Fut,
    Fut: Future<Output = Result<Walked, WalkError>>,
{
    walk(Route::Direct).await?;
    let counted = walk(Route::ThroughCounter).await?;
    let mut timed = Vec::with_capacity(walks);
    for _ in 0..walks {
        timed.push(walk(Route::Direct).await?);
    }
    Ok(Measured {
        page,
        counted,
        timed,
    })
}

impl Measured {
    /// Prints one line; `false` if a walk took more requests or connections than it needs.
    fn report(&self, service: Service) -> bool {
        let name = service.name();
        let fewest = fewest_requests(WALK_PLAYS, self.page);
        let mut times: Vec<Duration> = self.timed.iter().map(|w| w.elapsed).collect();
        times.sort();
        let rate = |elapsed: Duration| WALK_PLAYS as f64 / elapsed.as_secs_f64();
        let median = rate(times[times.len() / 2]);
        let range = format!("{:.0}..{:.0}", rate(times[times.len() - 1]), rate(times[0]));
        let requests: Vec<usize> = self
            .timed
            .iter()
            .chain([&self.counted])
            .map(|w| w.requests)
            .collect();
        let (least, most) = (requests.iter().min(), requests.iter().max());
        let requests_shown = match (least, most) {
            (Some(least), Some(most)) if least != most => format!("{least}..{most}"),
            _ => self.counted.requests.to_string(),
        };
        let connections = self.counted.connections.unwrap_or_default();
        println!(
            "{name:<8} {:>5} {requests_shown:>9} {connections:>12} {median:>9.0} {range:>18} {:>16.0}",
            self.page,
            self.counted.plays_per_second(),
        );
        let mut ok = true;
        if requests.iter().any(|&r| r != fewest) {
            eprintln!("error: {name}: {requests_shown} requests per walk; the fewest is {fewest}");
            ok = false;
        }
        if connections != 1 {
            eprintln!("error: {name}: {connections} connections in one walk, expected 1");
            ok = false;
        }
        ok
    }
}
