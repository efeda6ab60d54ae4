//! How the history the real Spotify serves departs from a plain log of plays, as public
//! reports describe it (gathered in the project's notes on the real services), each under the
//! test's control:
//!
//! - **The window.** Spotify keeps only the 50 most recent plays; `before` paging never goes
//!   further back (spotify/web-api #764 and #965, answered by Spotify staff).
//!   [`SpotifySimulation::set_retention`] keeps the newest N, and a play recorded with a time
//!   older than the Nth is forgotten at once.
//! - **Lag.** New plays can appear hours late, with their own, older `played_at`
//!   (spotify/web-api #512, #531, #724, #1199, #1441 "12 hours"):
//!   [`SpotifySimulation::record_play`] inserts a play in its place by time, behind newer
//!   plays a poller may have seen already.
//! - **Relinking.** The same play can come back with another track id (spotify/web-api
//!   #1232): [`SpotifySimulation::relink`].

use super::catalogue;
use super::{Spotify, SpotifyPlay, SpotifySimulation};
use crate::server;

impl SpotifySimulation {
    /// Adds a play to the history, in its place by time (newest first): as if the user had
    /// just finished listening to it, or, with a `played_at` older than plays already served,
    /// as the real service does when a play shows up late (hours late, with its own time:
    /// spotify/web-api #512, #531, #724, #1199, #1441). The next request serves it where its
    /// time puts it, so a poller that asks only for plays after the newest one it saw never
    /// gets it. Beyond the retention ([`SpotifySimulation::set_retention`]) it is forgotten
    /// at once.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifyPlay, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(5, 1)).await;
    /// let newest = sim.plays()[0].played_at_ms();
    /// // Played 12 hours before the newest play, recorded only now.
    /// let late = newest - 12 * 3_600_000;
    /// sim.record_play(SpotifyPlay::new(late, "2gNfxysfBRfl9Lvi9T3v6R", "Disciples", "Tame Impala"));
    /// assert_eq!(sim.plays()[0].played_at_ms(), newest);
    /// assert_eq!(sim.plays().last().unwrap().played_at_ms(), late);
    /// # }
    /// ```
    pub fn record_play(&self, play: SpotifyPlay) {
        let play = SpotifyPlay {
            played_at: server::to_millis(play.played_at),
            ..play
        };
        self.sim.with_service(|s| {
            let at = s.plays.partition_point(|p| p.played_at >= play.played_at);
            s.plays.insert(at, play);
            s.forget_beyond_retention();
        });
    }

    /// Keeps only the `plays` most recent plays from now on, forgetting older ones as new
    /// plays come; a play recorded with a time older than the oldest kept is forgotten at
    /// once. The real service keeps 50 ([`spotify_web_api::DOCUMENTED_PLAYS`]; spotify/web-api
    /// #764 and #965, answered by Spotify staff: `before` never reaches further back).
    /// `None`, the default, keeps every play.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifyPlay, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sim = SpotifySimulation::start(SpotifyHistory::realistic(60, 1)).await;
    /// sim.set_retention(Some(50));
    /// assert_eq!(sim.plays().len(), 50);
    /// let oldest = sim.plays()[49].played_at_ms();
    /// sim.record_play(SpotifyPlay::new(oldest - 1, "2gNfxysfBRfl9Lvi9T3v6R", "Disciples", "Tame Impala"));
    /// assert_eq!(sim.plays()[49].played_at_ms(), oldest, "too old to be kept");
    /// # }
    /// ```
    pub fn set_retention(&self, plays: Option<usize>) {
        self.sim.with_service(|s| {
            s.retention = plays;
            s.forget_beyond_retention();
        });
    }

    /// Serves the plays at `played_at_ms` (Unix milliseconds) with track `new_track_id` from
    /// now on, as Spotify's track relinking does (spotify/web-api #1232: the same play came
    /// back with another track id): the track's `id`, `uri` (`spotify:track:<id>`), `href`
    /// (`https://api.spotify.com/v1/tracks/<id>`) and `external_urls.spotify` name the new
    /// id; everything else stays as it was. No `linked_from` names the old one: apps in
    /// Development Mode no longer receive it (since February 2026). Returns whether a play
    /// was found at that millisecond.
    ///
    /// ```
    /// use music_history_sandbox::spotify::{SpotifyHistory, SpotifyPlay, SpotifySimulation};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let play = SpotifyPlay::new(1_714_564_800_000, "2gNfxysfBRfl9Lvi9T3v6R", "Disciples", "Tame Impala");
    /// let sim = SpotifySimulation::start(SpotifyHistory::new(vec![play])).await;
    /// assert!(sim.relink(1_714_564_800_000, "6K4t31amVTZDgR3sKmwUJJ"));
    /// let track = &sim.plays()[0].track;
    /// assert_eq!(track.uri.as_deref(), Some("spotify:track:6K4t31amVTZDgR3sKmwUJJ"));
    /// assert_eq!(track.name, "Disciples");
    /// assert!(!sim.relink(1, "6K4t31amVTZDgR3sKmwUJJ"), "no play at that millisecond");
    /// # }
    /// ```
    pub fn relink(&self, played_at_ms: i64, new_track_id: &str) -> bool {
        self.sim.with_service(|s| {
            let mut found = false;
            for play in s.plays.iter_mut() {
                if play.played_at_ms() == played_at_ms {
                    catalogue::identify(&mut play.track, new_track_id);
                    play.track.linked_from = None;
                    found = true;
                }
            }
            found
        })
    }
}

impl Spotify {
    pub(super) fn forget_beyond_retention(&mut self) {
        if let Some(keep) = self.retention {
            self.plays.truncate(keep);
        }
    }
}
