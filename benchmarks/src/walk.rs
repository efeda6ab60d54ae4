//! Whole-history walks from the local simulations, through the clients' public API, with
//! what each walk cost the service: requests received and TCP connections opened.
//!
//! Requests are the simulation's own count ([`SpotifySimulation::request_count`]). Connections
//! are counted on the service's side of the socket, by a [`ConnectionCounter`]: a forwarder
//! in front of the simulation that counts the connections it accepts. Every walk gets a new
//! client (a new, empty connection pool), so the count is what one walk opened. The forwarder
//! copies every byte once more, which slows a walk by 10 to 15 % on a 2-core machine, so timed
//! walks go [`Direct`](Route::Direct) and only counted ones go through it.
//!
//! `cargo run --release -p benchmarks --bin walk` runs these walks on 10,000 plays and
//! reports plays per second.
//!
//! ```
//! use benchmarks::walk::{Route, SpotifyWalk, fewest_requests};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
//! let bench = SpotifyWalk::start(120, 1).await?;
//! let walked = bench.walk(Route::ThroughCounter).await?;
//! assert_eq!(walked.plays, 120);
//! assert_eq!(walked.requests, fewest_requests(120, 50));
//! assert_eq!(walked.connections, Some(1));
//! # Ok::<(), benchmarks::walk::WalkError>(())
//! # })?;
//! # Ok::<(), benchmarks::walk::WalkError>(())
//! ```

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use amazon_music_web_api::{AmazonMusicClient, ApiKey, EntitiesLimit, MyEntitiesQuery};
use futures_util::TryStreamExt;
use music_history_sandbox::amazon::{self, AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{self, SpotifyHistory, SpotifySimulation};
use spotify_web_api::{AccessToken, Limit, RecentlyPlayedQuery, SpotifyClient};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How many plays the reported walks go through.
pub const WALK_PLAYS: usize = 10_000;

/// The seed of the simulated histories: every run walks the same plays.
pub const SEED: u64 = 0x5EED;

/// The fewest requests that can return `plays` plays in pages of `page_size`: one per full or
/// partial page, and one for an empty history.
///
/// ```
/// use benchmarks::walk::fewest_requests;
///
/// assert_eq!(fewest_requests(10_000, 50), 200);
/// assert_eq!(fewest_requests(10_001, 100), 101);
/// assert_eq!(fewest_requests(0, 50), 1);
/// ```
pub fn fewest_requests(plays: usize, page_size: usize) -> usize {
    plays.div_ceil(page_size).max(1)
}

/// Which way a walk's requests go to the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Straight to the simulation: what timed walks measure.
    Direct,
    /// Through the [`ConnectionCounter`] in front of it, to count connections.
    ThroughCounter,
}

/// What one walk did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walked {
    /// Plays the stream yielded.
    pub plays: usize,
    /// Requests the simulation received.
    pub requests: usize,
    /// TCP connections the client opened to the simulation; `None` for a
    /// [`Direct`](Route::Direct) walk, which does not count them.
    pub connections: Option<usize>,
    /// From the first poll of the stream to its end (the client was built before).
    pub elapsed: Duration,
}

impl Walked {
    /// Plays yielded per second of [`elapsed`](Self::elapsed).
    pub fn plays_per_second(&self) -> f64 {
        self.plays as f64 / self.elapsed.as_secs_f64()
    }
}

/// A walk that went wrong: the client failed, or not every play served came back, in order.
pub type WalkError = Box<dyn std::error::Error + Send + Sync>;

/// A TCP forwarder on `127.0.0.1` that counts the connections it accepts: put in front of a
/// server, it counts the connections clients open to that server.
///
/// It runs on the Tokio runtime it was started in and stops when dropped.
///
/// ```
/// use benchmarks::walk::ConnectionCounter;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
/// let server = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let counter = ConnectionCounter::start(server.local_addr()?).await?;
/// let _client = tokio::net::TcpStream::connect(counter.address()).await?;
/// let _ = server.accept().await?;
/// assert_eq!(counter.connections(), 1);
/// # Ok::<(), std::io::Error>(())
/// # })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct ConnectionCounter {
    address: SocketAddr,
    accepted: Arc<AtomicUsize>,
    accept_loop: JoinHandle<()>,
}

impl ConnectionCounter {
    /// Listens on a free port of `127.0.0.1` and forwards every connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&accepted);
        let accept_loop = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    // Without this, Nagle's algorithm can hold a response's last segment back
                    // until the client's delayed ACK, 40 ms later, and the walk would measure
                    // the forwarder.
                    if client.set_nodelay(true).is_ok() && server.set_nodelay(true).is_ok() {
                        // Either side closing ends the connection; how does not matter here.
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Ok(Self {
            address,
            accepted,
            accept_loop,
        })
    }

    /// Where clients connect.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }

    /// `base_url` (a simulation's, `http://127.0.0.1:<port>/v1`) with this forwarder's port.
    fn forwarded(&self, base_url: &str) -> String {
        let path = base_url
            .strip_prefix("http://")
            .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
            .unwrap_or("");
        format!("http://{}{path}", self.address)
    }

    /// Where a client taking `route` to the simulation at `base_url` sends its requests.
    fn base_url(&self, base_url: &str, route: Route) -> String {
        match route {
            Route::Direct => base_url.to_owned(),
            Route::ThroughCounter => self.forwarded(base_url),
        }
    }
}

impl Drop for ConnectionCounter {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// The address a simulation listens on, from its `http://127.0.0.1:<port>/v1` base URL.
fn listening_address(base_url: &str) -> io::Result<SocketAddr> {
    base_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .and_then(|authority| authority.parse().ok())
        .ok_or_else(|| io::Error::other(format!("not a local http base URL: {base_url}")))
}

/// The Spotify simulation with a connection counter in front, walked with
/// `client.history(RecentlyPlayedQuery::new().limit(Limit::MAX))`.
///
/// Start it, and walk it, in a Tokio runtime with the `net` and `time` drivers enabled.
#[derive(Debug)]
pub struct SpotifyWalk {
    sim: SpotifySimulation,
    counter: ConnectionCounter,
    plays: usize,
}

impl SpotifyWalk {
    /// Serves [`SpotifyHistory::realistic`]`(plays, seed)`.
    pub async fn start(plays: usize, seed: u64) -> io::Result<Self> {
        let sim = SpotifySimulation::start(SpotifyHistory::realistic(plays, seed)).await;
        let counter = ConnectionCounter::start(listening_address(sim.base_url())?).await?;
        Ok(Self {
            sim,
            counter,
            plays,
        })
    }

    /// Plays in a page of the walk: [`Limit::MAX`].
    pub const PAGE_SIZE: usize = Limit::MAX.get() as usize;

    /// Walks the whole history, newest first, with a new client, by `route`.
    ///
    /// Fails if the client does, if fewer or more plays than served come back, or if they do
    /// not come newest first.
    pub async fn walk(&self, route: Route) -> Result<Walked, WalkError> {
        let client = SpotifyClient::builder(AccessToken::new(spotify::DEFAULT_ACCESS_TOKEN)?)
            .base_url(&self.counter.base_url(self.sim.base_url(), route))
            // The simulation holds far more plays than Spotify keeps: no page budget.
            .max_pages(usize::MAX)
            .build()?;
        self.sim.clear_requests();
        let connections_before = self.counter.connections();

        let started = Instant::now();
        let mut history = client.history(RecentlyPlayedQuery::new().limit(Limit::MAX));
        let mut plays = 0;
        let mut previous = None;
        while let Some(play) = history.try_next().await? {
            if previous.is_some_and(|newer| play.played_at >= newer) {
                return Err(format!("play {plays} is not older than the one before").into());
            }
            previous = Some(play.played_at);
            plays += 1;
        }
        let elapsed = started.elapsed();

        check_count(plays, self.plays)?;
        Ok(Walked {
            plays,
            requests: self.sim.request_count(),
            connections: (route == Route::ThroughCounter)
                .then(|| self.counter.connections() - connections_before),
            elapsed,
        })
    }
}

/// The Amazon Music simulation with a connection counter in front, walked with
/// `client.history(MyEntitiesQuery::new().limit(EntitiesLimit::MAX))`.
///
/// Start it, and walk it, in a Tokio runtime with the `net` and `time` drivers enabled.
#[derive(Debug)]
pub struct AmazonMusicWalk {
    sim: AmazonMusicSimulation,
    counter: ConnectionCounter,
    plays: usize,
}

impl AmazonMusicWalk {
    /// Serves [`AmazonMusicHistory::realistic`]`(plays, seed)`, whose user "me" has `plays`
    /// entity plays.
    pub async fn start(plays: usize, seed: u64) -> io::Result<Self> {
        let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(plays, seed)).await;
        let counter = ConnectionCounter::start(listening_address(sim.base_url())?).await?;
        Ok(Self {
            sim,
            counter,
            plays,
        })
    }

    /// Entity plays in a page of the walk: [`EntitiesLimit::MAX`].
    pub const PAGE_SIZE: usize = EntitiesLimit::MAX.get() as usize;

    /// Walks the whole entity history of "me", every kind, newest first, with a new client,
    /// by `route`.
    ///
    /// Fails if the client does, if fewer or more plays than served come back, or if a play
    /// comes after an older one (two at the same instant are allowed, as served).
    pub async fn walk(&self, route: Route) -> Result<Walked, WalkError> {
        let client = AmazonMusicClient::builder(
            amazon_music_web_api::AccessToken::new(amazon::DEFAULT_ACCESS_TOKEN)?,
            ApiKey::new(amazon::DEFAULT_API_KEY)?,
        )
        .base_url(&self.counter.base_url(self.sim.base_url(), route))
        .max_pages(usize::MAX)
        .build()?;
        self.sim.clear_requests();
        let connections_before = self.counter.connections();

        let started = Instant::now();
        let mut history = client.history(MyEntitiesQuery::new().limit(EntitiesLimit::MAX));
        let mut plays = 0;
        let mut previous = None;
        while let Some(edge) = history.try_next().await? {
            if previous.is_some_and(|newer| edge.played_date > newer) {
                return Err(format!("play {plays} is newer than the one before").into());
            }
            previous = Some(edge.played_date);
            plays += 1;
        }
        let elapsed = started.elapsed();

        check_count(plays, self.plays)?;
        Ok(Walked {
            plays,
            requests: self.sim.request_count(),
            connections: (route == Route::ThroughCounter)
                .then(|| self.counter.connections() - connections_before),
            elapsed,
        })
    }
}

fn check_count(walked: usize, served: usize) -> Result<(), WalkError> {
    if walked == served {
        Ok(())
    } else {
        Err(format!("the walk yielded {walked} plays of the {served} served").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `walk`, which must end within 20 s: the longest here, 10,000 plays, takes about a
    /// second. These walks have no page budget (`max_pages(usize::MAX)`), so a walk that no
    /// longer ends would otherwise hold the test until it is killed.
    async fn within_time_limit(walk: impl Future<Output = Result<Walked, WalkError>>) -> Walked {
        tokio::time::timeout(Duration::from_secs(20), walk)
            .await
            .expect("the walk did not end within 20 s: an endless walk?")
            .unwrap()
    }

    #[tokio::test]
    async fn a_spotify_walk_yields_every_play_in_the_fewest_requests_over_one_connection() {
        // Empty, one partial page, exactly full pages, full pages and a partial one.
        for plays in [0, 1, 100, 1_234] {
            let bench = SpotifyWalk::start(plays, SEED).await.unwrap();
            let walked = within_time_limit(bench.walk(Route::ThroughCounter)).await;
            assert_eq!(
                (walked.plays, walked.requests, walked.connections),
                (plays, fewest_requests(plays, 50), Some(1)),
                "{plays} plays"
            );
        }
    }

    #[tokio::test]
    async fn an_amazon_walk_yields_every_play_in_the_fewest_requests_over_one_connection() {
        for plays in [0, 1, 200, 1_234] {
            let bench = AmazonMusicWalk::start(plays, SEED).await.unwrap();
            let walked = within_time_limit(bench.walk(Route::ThroughCounter)).await;
            assert_eq!(
                (walked.plays, walked.requests, walked.connections),
                (plays, fewest_requests(plays, 100), Some(1)),
                "{plays} plays"
            );
        }
    }

    #[tokio::test]
    async fn the_reported_walks_take_200_and_100_requests_over_one_connection_each() {
        let spotify = SpotifyWalk::start(WALK_PLAYS, SEED).await.unwrap();
        let amazon = AmazonMusicWalk::start(WALK_PLAYS, SEED).await.unwrap();
        for route in [Route::ThroughCounter, Route::Direct] {
            let walked = within_time_limit(spotify.walk(route)).await;
            assert_eq!((walked.plays, walked.requests), (WALK_PLAYS, 200));
            let walked = within_time_limit(amazon.walk(route)).await;
            assert_eq!((walked.plays, walked.requests), (WALK_PLAYS, 100));
            if route == Route::ThroughCounter {
                assert_eq!(walked.connections, Some(1));
            }
        }
    }

    #[tokio::test]
    async fn each_walk_opens_its_own_connection_and_a_direct_one_counts_none() {
        let bench = SpotifyWalk::start(60, SEED).await.unwrap();
        for _ in 0..2 {
            let walked = within_time_limit(bench.walk(Route::ThroughCounter)).await;
            assert_eq!(walked.connections, Some(1));
        }
        assert_eq!(
            within_time_limit(bench.walk(Route::Direct))
                .await
                .connections,
            None
        );
        assert_eq!(bench.counter.connections(), 2);
    }
}
