//! Keeps an incremental Spotify, Amazon Music and ListenBrainz history in one JSON file,
//! with the client crates alone: see README.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use amazon_music_web_api::{AmazonMusicClient, ApiKey, TracksQuery};
use futures_util::StreamExt;
use listenbrainz_api::{
    ListenBrainzClient, ListensQuery, TimeWindow, UserName, ValidateTokenQuery,
};
use serde::{Deserialize, Serialize};
use spotify_web_api::incremental::{NewestFirst, Play, Seen};
use spotify_web_api::{RecentlyPlayedQuery, SpotifyClient, UnixMillis};

/// How far below the newest play each run reads again: plays arrive late with older times
/// (hours, in public reports), so a day.
const OVERLAP: Duration = Duration::from_secs(24 * 60 * 60);

/// Everything kept between runs.
#[derive(Serialize, Deserialize)]
struct Kept {
    spotify: Seen,
    amazon_music: NewestFirst,
    /// Absent from a file written before this program read ListenBrainz: nothing seen.
    #[serde(default = "listenbrainz_seen")]
    listenbrainz: Seen,
    plays: Vec<KeptPlay>,
}

/// The ListenBrainz listens remembered: those within [`OVERLAP`] of the newest (it keeps
/// every listen, so no count is needed beyond that).
fn listenbrainz_seen() -> Seen {
    Seen::new(OVERLAP, 0)
}

/// One play, as this program keeps it.
#[derive(Serialize, Deserialize)]
struct KeptPlay {
    service: String,
    at_ms: i64,
    key: String,
    title: Option<String>,
}

impl Default for Kept {
    fn default() -> Self {
        Self {
            spotify: Seen::new(OVERLAP, spotify_web_api::DOCUMENTED_PLAYS),
            amazon_music: NewestFirst::new(OVERLAP, 0),
            listenbrainz: listenbrainz_seen(),
            plays: Vec::new(),
        }
    }
}

type Failure = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: keep-history STATE.json")?;
    let mut kept = read(&path)?;
    let spotify = spotify(&mut kept).await;
    write(&path, &kept)?;
    let amazon = amazon_music(&mut kept).await;
    write(&path, &kept)?;
    // ListenBrainz only when a token is given: its listens are the one optional history.
    let listenbrainz = match std::env::var("LISTENBRAINZ_TOKEN") {
        Ok(token) => Some(listenbrainz(&mut kept, token).await),
        Err(_) => None,
    };
    write(&path, &kept)?;
    println!("spotify: {} new", spotify?);
    println!("amazon_music: {} new", amazon?);
    if let Some(listenbrainz) = listenbrainz {
        println!("listenbrainz: {} new", listenbrainz?);
    }
    Ok(())
}

/// The ListenBrainz listens after the oldest one remembered, oldest first, each admitted
/// once; whose listens: `LISTENBRAINZ_USER`, else the token's user.
async fn listenbrainz(kept: &mut Kept, token: String) -> Result<usize, Failure> {
    let mut builder = ListenBrainzClient::builder(listenbrainz_api::AccessToken::new(token)?);
    if let Ok(url) = std::env::var("LISTENBRAINZ_API_BASE_URL") {
        builder = builder.base_url(&url);
    }
    let client = builder.build()?;
    let user = match std::env::var("LISTENBRAINZ_USER") {
        Ok(user) => user,
        Err(_) => client
            .fetch(&ValidateTokenQuery)
            .await?
            .ok_or("ListenBrainz does not know the token")?,
    };
    // A listen of whole second `s` is after `after_ms` when `s` is after it in seconds.
    let window = TimeWindow::after(kept.listenbrainz.after_ms().div_euclid(1000));
    let mut history = client.history(ListensQuery::new(UserName::new(user)?).resume_from(window));
    let mut new = 0;
    while let Some(listen) = history.next().await {
        let listen = listen?;
        let id = listen.play_id();
        if kept.listenbrainz.admit(id.clone()) {
            kept.plays.push(KeptPlay {
                service: listenbrainz_api::SERVICE.into(),
                at_ms: id.at_ms,
                key: id.key,
                title: Some(listen.track_metadata.track_name),
            });
            new += 1;
        }
    }
    Ok(new)
}

/// The Spotify plays after the oldest one remembered, each admitted once.
async fn spotify(kept: &mut Kept) -> Result<usize, Failure> {
    let token = spotify_web_api::AccessToken::new(std::env::var("SPOTIFY_ACCESS_TOKEN")?)?;
    let mut builder = SpotifyClient::builder(token);
    if let Ok(url) = std::env::var("SPOTIFY_API_BASE_URL") {
        builder = builder.base_url(&url);
    }
    let client = builder.build()?;
    let query = RecentlyPlayedQuery::after(UnixMillis::new(kept.spotify.after_ms()));
    let mut history = client.history(query);
    let mut new = 0;
    while let Some(play) = history.next().await {
        let play = play?;
        if kept.spotify.admit(play.play_id()) {
            let id = play.play_id();
            kept.plays.push(KeptPlay {
                service: spotify_web_api::SERVICE.into(),
                at_ms: id.at_ms,
                key: id.key,
                title: Some(play.track.name),
            });
            new += 1;
        }
    }
    Ok(new)
}

/// The Amazon Music track plays newest first, down to what was kept (or from where the
/// last run was cut off); an error keeps where it stood for the next run.
async fn amazon_music(kept: &mut Kept) -> Result<usize, Failure> {
    let token =
        amazon_music_web_api::AccessToken::new(std::env::var("AMAZON_MUSIC_ACCESS_TOKEN")?)?;
    let key = ApiKey::new(std::env::var("AMAZON_MUSIC_API_KEY")?)?;
    let mut builder = AmazonMusicClient::builder(token, key);
    if let Ok(url) = std::env::var("AMAZON_MUSIC_API_BASE_URL") {
        builder = builder.base_url(&url);
    }
    let client = builder.build()?;
    let query = TracksQuery::new().resume_from(kept.amazon_music.resume_point());
    let mut history = client.history(query);
    let mut walked = Vec::new();
    let mut failure = None;
    while let Some(edge) = history.next().await {
        match edge {
            Ok(edge) if kept.amazon_music.is_below_floor(&edge.play_id()) => break,
            Ok(edge) => walked.push(edge),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    // Cut off: resume there next time. Else the walk is complete.
    let after = failure
        .as_ref()
        .map(|_| history.resume_point().unwrap_or_default());
    let new = kept.amazon_music.page(walked, Play::play_id, after);
    let count = new.len();
    for edge in new {
        let id = edge.play_id();
        kept.plays.push(KeptPlay {
            service: amazon_music_web_api::SERVICE.into(),
            at_ms: id.at_ms,
            key: id.key,
            title: edge.node.title,
        });
    }
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(count),
    }
}

fn read(path: &Path) -> Result<Kept, Failure> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Kept::default()),
        Err(e) => Err(e.into()),
    }
}

/// The state and the plays together: a new file, renamed over the old one.
fn write(path: &Path, kept: &Kept) -> Result<(), Failure> {
    let next = path.with_extension("json.next");
    std::fs::write(&next, serde_json::to_vec(kept)?)?;
    std::fs::rename(&next, path)?;
    Ok(())
}
