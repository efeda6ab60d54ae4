//! Amazon Music, as the promise modules need it: recently played tracks, my entities and
//! another user's entities, newest first; its simulation serves "me" and [`OTHER`].

use amazon_music_web_api::{
    AccessToken, AmazonMusicClient, ApiKey, EntitiesLimit, MyEntitiesQuery, TrackId, TrackQuery,
    TracksLimit, TracksQuery, UserEntitiesQuery,
};
use conformance::spec::Example;
use futures_util::FutureExt;
use futures_util::future::LocalBoxFuture;
use music_history_sandbox::amazon::{
    self, AmazonMusicHistory, AmazonMusicSimulation, AmazonMusicUser,
};
use music_history_sandbox::hostile::Hostile;
use music_history_sandbox::{Fault, RecordedRequest};
use proptest::strategy::{BoxedStrategy, Strategy};
use reqwest::Method;
use schemars::r#gen::SchemaGenerator;
use serde_json::{Value, json};

use super::examples::decode;
use super::exchange::{get_json, send, send_on};
use super::walk::keyed;
use super::{
    Answers, Breakage, Candidate, Captured, Client, Connection, Decoded, Documented, EndlessWalk,
    Exception, Failure,
    KeyedWalk, Misbehaviours, PageSizes, Plays, ServedPage, ServedPages, Simulation, Subject,
    TimeWindows, Traced, WholeHistories, Window, WithoutALimit, percent_encode,
};
use crate::common::{
    ENTITY_TYPES, EntitySpec, Kind, ME, NEWEST_MS, amazon_gaps, amazon_simulation, entity_plays, histories, limit_and_entity_history, limit_range, minimal_requests,
    newest_first,
};

/// The other user of every Amazon simulation a subject starts, whose entity history
/// `get_user_recently_played_entities` reads: an ID with a space, which a path must carry
/// percent-encoded.
const OTHER: &str = "listener 2";

/// The track of the first play of every Amazon simulation a subject starts (`track_plays`).
const FIRST_TRACK: &str = "T000";

/// The Amazon Music Web API's recently played tracks and entities.
pub struct AmazonMusic;

impl Subject for AmazonMusic {
    fn name(&self) -> &'static str {
        "Amazon Music"
    }

    fn api(&self) -> &'static str {
        "amazon-music-web-api"
    }


    fn path_parameters(&self, operation_id: &str) -> Vec<(&'static str, &'static str)> {
        if operation_id == "get_track" {
            vec![("{id}", FIRST_TRACK)]
        } else {
            vec![("{id}", OTHER)]
        }
    }

    fn credential_headers(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "authorization",
                self.authorization(amazon::DEFAULT_ACCESS_TOKEN),
            ),
            ("x-api-key", amazon::DEFAULT_API_KEY.to_string()),
        ]
    }

    fn issued_cursor(&self, page: &Value) -> Option<String> {
        let user = &page["data"]["user"];
        let connection = user
            .get("recentTrackPlayback")
            .or_else(|| user.get("recentEntitiesPlayback"))
            .expect("a page holds a connection");
        connection["pageInfo"]["token"].as_str().map(str::to_string)
    }

    fn walks_forward(&self) -> bool {
        false
    }

    fn time_windows(&self) -> Result<&dyn TimeWindows, &'static str> {
        Err("Amazon Music's history queries take no time bounds: a walk starts at the newest \
             play and pages back by cursor only (its filters are kinds and users)")
    }

    fn schema_exceptions(&self) -> &'static [Exception] {
        &[
            Exception {
                name: "amazon-opaque-cursor",
                reason: "a cursor must be a token the service issued; no schema can say so",
                applies: |request| {
                    request
                        .params
                        .iter()
                        .any(|(name, value)| name == "cursor" && *value == Candidate::Forged)
                },
                answered: 400,
            },
        ]
    }

    fn history_operation(&self) -> &'static str {
        "get_my_recently_played_entities"
    }

    fn simulate(&self, times: &[i64]) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        // Tracks, and entities of every documented kind in turn, for "me" and for OTHER.
        let entities: Vec<EntitySpec> = times
            .iter()
            .zip(ENTITY_TYPES.iter().cycle())
            .map(|(&at, &kind)| EntitySpec {
                at,
                kind: Kind::Known(kind),
            })
            .collect();
        let times = times.to_vec();
        async move {
            let mut other = AmazonMusicUser::new(OTHER, None);
            other.entities = entity_plays(OTHER, &entities);
            let sim = amazon_simulation(&times, &entities, vec![other]).await;
            Box::new(sim) as Box<dyn Simulation>
        }
        .boxed_local()
    }

    fn client(&self, base_url: &str, connection: Connection) -> Box<dyn Client> {
        let (token, api_key) = connection.credentials.map_or(
            (amazon::DEFAULT_ACCESS_TOKEN, amazon::DEFAULT_API_KEY),
            |credentials| (credentials.token, credentials.api_key),
        );
        let builder = AmazonMusicClient::builder(
            AccessToken::new(token).unwrap(),
            ApiKey::new(api_key).unwrap(),
        );
        Box::new(connected!(builder, base_url, connection))
    }
}

impl PageSizes for AmazonMusic {
    fn fetch_without_a_limit(&self) -> WithoutALimit {
        WithoutALimit::SendsNone
    }

    fn walk_without_a_limit(&self) -> WithoutALimit {
        WithoutALimit::SendsNone
    }
}

impl Traced for AmazonMusic {
    fn traced_as(&self) -> &'static str {
        "amazon_music"
    }

    fn cursor_parameter(&self) -> &'static str {
        "cursor"
    }

    fn simulated_secrets(&self) -> Vec<&'static str> {
        vec![amazon::DEFAULT_ACCESS_TOKEN, amazon::DEFAULT_API_KEY]
    }
}

impl Documented for AmazonMusic {
    fn response_types(&self, generator: &mut SchemaGenerator) {
        // The queries' kinds and media types too, and each kind of entity (reached in the
        // spec through `EntityNode`, which the client replaces with a hand-written type).
        use conformance::generated::amazon_music::types as t;
        generator.subschema_for::<t::RecentlyPlayedTracksResponse>();
        generator.subschema_for::<t::RecentlyPlayedEntitiesResponse>();
        generator.subschema_for::<t::TrackResponse>();
        generator.subschema_for::<t::ErrorResponse>();
        generator.subschema_for::<t::MediaType>();
        generator.subschema_for::<t::EntityType>();
        generator.subschema_for::<t::Album>();
        generator.subschema_for::<t::Artist>();
        generator.subschema_for::<t::Category>();
        generator.subschema_for::<t::Playlist>();
        generator.subschema_for::<t::PodcastEpisode>();
        generator.subschema_for::<t::PodcastShow>();
        generator.subschema_for::<t::Track>();
        generator.subschema_for::<t::User>();
    }

    fn decode_example(&self, example: &Example) -> Option<Result<Decoded, String>> {
        use amazon_music_web_api::types as t;
        Some(
            match (example.operation_id.as_str(), example.status.as_str()) {
                ("get_recently_played_tracks", "200") => {
                    decode::<t::RecentlyPlayedTracksResponse>(example)
                }
                (
                    "get_my_recently_played_entities" | "get_user_recently_played_entities",
                    "200",
                ) => decode::<t::RecentlyPlayedEntitiesResponse>(example),
                ("get_track", "200") => decode::<t::TrackResponse>(example),
                (
                    "get_recently_played_tracks"
                    | "get_my_recently_played_entities"
                    | "get_user_recently_played_entities"
                    | "get_track",
                    "400" | "401" | "403" | "404" | "429" | "500",
                ) => decode::<t::ErrorResponse>(example),
                _ => return None,
            },
        )
    }

    fn deep_breakages(&self, example: &Example) -> Vec<(&'static str, Breakage)> {
        let remove = |pointer: &str| Breakage::Remove(pointer.into());
        let replace = |pointer: &str, value: Value| Breakage::Replace(pointer.into(), value);
        match (example.operation_id.as_str(), example.status.as_str()) {
            ("get_recently_played_tracks", "200") => vec![
                (
                    "a track without its required `id`",
                    remove("/data/user/recentTrackPlayback/edges/0/node/id"),
                ),
                (
                    "a `hasNextPage` that is a string",
                    replace(
                        "/data/user/recentTrackPlayback/pageInfo/hasNextPage",
                        json!("true"),
                    ),
                ),
                (
                    "a `playedAt` that is not a date-time",
                    replace(
                        "/data/user/recentTrackPlayback/edges/1/playedAt",
                        json!("29/03/2022"),
                    ),
                ),
            ],
            ("get_track", "200") => vec![
                (
                    "a track without its required `id`",
                    remove("/data/track/id"),
                ),
                (
                    "a `duration` that is not an integer",
                    replace("/data/track/duration", json!("3:52")),
                ),
                (
                    "an artist without its required `id`",
                    remove("/data/track/artists/0/id"),
                ),
                (
                    "a `releaseDate` that is not a date-time",
                    replace("/data/track/releaseDate", json!("June 2013")),
                ),
            ],
            (_, "200") => vec![
                (
                    "an entity whose `_type` is not a string",
                    replace(
                        "/data/user/recentEntitiesPlayback/edges/1/node/_type",
                        json!(42),
                    ),
                ),
                (
                    "an edge without its required `playedDate`",
                    remove("/data/user/recentEntitiesPlayback/edges/0/playedDate"),
                ),
                (
                    "a negative `edgeCount`",
                    replace("/data/user/recentEntitiesPlayback/edgeCount", json!(-1)),
                ),
            ],
            _ => vec![(
                "an error `status` that is a number (Amazon's is a string)",
                replace("/error/status", json!(401)),
            )],
        }
    }
}

impl Answers for AmazonMusic {
    fn every_kind_of_response(&self) -> LocalBoxFuture<'static, Vec<Captured>> {
        every_kind_of_response().boxed_local()
    }

    fn realistic_walks(
        &self,
        plays: usize,
        seed: u64,
        operation_id: &'static str,
        page_size: u32,
        max_pages: usize,
    ) -> LocalBoxFuture<'static, Vec<Vec<Captured>>> {
        let spec_path = self.path(operation_id);
        async move {
            let history = AmazonMusicHistory::realistic(plays, seed);
            // Another user's history is the realistic history's other user's.
            let path = spec_path.replace(&percent_encode(OTHER), &percent_encode(&history.users[1].id));
            let sim = AmazonMusicSimulation::start(history).await;
            let http = client_support::http::client_builder().build().unwrap();
            vec![follow_tokens(&http, sim.base_url(), &path, page_size, max_pages).await]
        }
        .boxed_local()
    }

    fn unreachable_statuses(&self) -> &'static [(&'static str, u16, &'static str)] {
        &[
            (
                "get_track",
                422,
                "the errors page gives no case of it for the catalog: the simulation answers \
                 every malformed parameter with 400",
            ),
            (
                "get_recently_played_tracks",
                404,
                "the current user's history always exists: nothing on this path can be missing",
            ),
            (
                "get_my_recently_played_entities",
                404,
                "the current user's history always exists: nothing on this path can be missing",
            ),
            (
                "get_recently_played_tracks",
                422,
                "the errors page gives no case of it for the Player methods: the simulation \
                 answers every malformed parameter with 400",
            ),
            (
                "get_my_recently_played_entities",
                422,
                "the errors page gives no case of it for the Player methods: the simulation \
                 answers every malformed parameter with 400",
            ),
            (
                "get_user_recently_played_entities",
                422,
                "the errors page gives no case of it for the Player methods: the simulation \
                 answers every malformed parameter with 400",
            ),
        ]
    }
}

impl ServedPages for AmazonMusic {
    fn broken_item_walks(&self) -> BoxedStrategy<(u32, Plays)> {
        limit_and_entity_history(1..=100)
            .prop_filter("an edge to break", |(_, specs)| !specs.is_empty())
            .prop_map(|(limit, specs)| {
                let times = specs.iter().map(|spec| spec.at).collect();
                let kinds = specs.iter().map(|spec| spec.kind).collect();
                (limit, Plays { times, kinds })
            })
            .boxed()
    }

    fn simulate_plays(&self, plays: &Plays) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        let specs = entity_specs(plays);
        async move {
            let sim = amazon_simulation(&[], &specs, Vec::new()).await;
            Box::new(sim) as Box<dyn Simulation>
        }
        .boxed_local()
    }

    fn expected_keys(&self, plays: &Plays) -> Vec<String> {
        entity_keys(ME, plays)
    }

    fn pages(&self, plays: &Plays, page_size: u32) -> usize {
        // The page holding the last edge says `hasNextPage: false`.
        minimal_requests(plays.times.len(), page_size)
    }

    fn served_page<'a>(
        &'a self,
        base_url: &'a str,
        _plays: &'a Plays,
        page_size: u32,
        page: usize,
    ) -> LocalBoxFuture<'a, ServedPage> {
        async move {
            // Follow the tokens, as a walk does.
            let headers = self.credential_headers();
            let first = format!("{base_url}/me/recentlyPlayedEntities?limit={page_size}");
            let mut body = get_json(&first, &headers).await;
            for _ in 0..page {
                let token = self.issued_cursor(&body).expect("a next page");
                let url =
                    reqwest::Url::parse_with_params(&first, [("cursor", token)]).expect("a URL");
                body = get_json(url.as_str(), &headers).await;
            }
            ServedPage {
                body,
                yielded_before: page * page_size as usize,
            }
        }
        .boxed_local()
    }

    fn items_of<'a>(&self, page: &'a mut Value) -> &'a mut Vec<Value> {
        page["data"]["user"]["recentEntitiesPlayback"]["edges"]
            .as_array_mut()
            .expect("edges")
    }

    fn time_field(&self) -> &'static str {
        "playedDate"
    }

    fn raw_key(&self, item: &Value) -> String {
        let played = item["playedDate"].as_str().expect("a playedDate");
        let played = chrono::DateTime::parse_from_rfc3339(played)
            .expect("an RFC 3339 time")
            .to_utc();
        entity_key(
            item["id"].as_str(),
            &played.to_string(),
            item["node"]["id"].as_str(),
        )
    }
}

impl WholeHistories for AmazonMusic {
    fn history_order(&self) -> &'static str {
        "newest first (plays of the same instant in the service's order)"
    }

    fn whole_histories(&self, operation_id: &str) -> BoxedStrategy<(u32, Plays)> {
        // Plays of the same instant often, which the tokens page between.
        let limits = limit_range(operation_id);
        if operation_id == "get_recently_played_tracks" {
            return histories(limits, amazon_gaps())
                .prop_map(|(limit, times)| (limit, Plays::at(times)))
                .boxed();
        }
        // Entities of every kind, kinds the spec does not know included.
        limit_and_entity_history(limits)
            .prop_map(|(limit, specs)| {
                let times = specs.iter().map(|spec| spec.at).collect();
                let kinds = specs.iter().map(|spec| spec.kind).collect();
                (limit, Plays { times, kinds })
            })
            .boxed()
    }

    fn simulate_history(
        &self,
        operation_id: &str,
        plays: &Plays,
    ) -> LocalBoxFuture<'static, Box<dyn Simulation>> {
        let (times, specs) = (plays.times.clone(), entity_specs(plays));
        let operation_id = operation_id.to_string();
        async move {
            let sim = match operation_id.as_str() {
                "get_recently_played_tracks" => amazon_simulation(&times, &[], Vec::new()).await,
                "get_my_recently_played_entities" => {
                    amazon_simulation(&[], &specs, Vec::new()).await
                }
                _ => {
                    let mut other = AmazonMusicUser::new(OTHER, None);
                    other.entities = entity_plays(OTHER, &specs);
                    amazon_simulation(&[], &[], vec![other]).await
                }
            };
            Box::new(sim) as Box<dyn Simulation>
        }
        .boxed_local()
    }

    fn history_keys(&self, operation_id: &str, plays: &Plays) -> Vec<String> {
        match operation_id {
            "get_recently_played_tracks" => {
                // `common::track_plays` names the tracks so.
                let keyed: Vec<(i64, String)> = plays
                    .times
                    .iter()
                    .enumerate()
                    .map(|(i, &at)| (at, format!("{} T{i:03}", rfc3339(at))))
                    .collect();
                newest_first(&keyed)
            }
            "get_my_recently_played_entities" => entity_keys(ME, plays),
            _ => entity_keys(OTHER, plays),
        }
    }
}

impl Misbehaviours for AmazonMusic {
    fn error_body(&self, _status: u16) -> Vec<u8> {
        br#"{"error": {"status": 400, "message": "refused"}}"#.to_vec()
    }

    fn endless_pages(&self) -> Hostile {
        Hostile::AmazonEndlessPages
    }

    fn hostile(&self, _elsewhere: &str) -> Vec<Hostile> {
        vec![
            self.endless_pages(),
            Hostile::AmazonTokenLoop,
            Hostile::AmazonUnordered,
        ]
    }

    fn endless_walk(&self) -> EndlessWalk {
        // 101 pages of 100 at most: the documented budget.
        EndlessWalk {
            page_size: None,
            max_pages: None,
            pages: 101,
        }
    }
}

impl Simulation for AmazonMusicSimulation {
    fn base_url(&self) -> &str {
        self.base_url()
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.requests()
    }

    fn request_count(&self) -> usize {
        self.request_count()
    }

    fn inject(&self, fault: Fault) {
        self.inject(fault);
    }
}

impl Client for AmazonMusicClient {
    fn fetch<'a>(
        &'a self,
        operation_id: &'a str,
        limit: Option<i64>,
    ) -> LocalBoxFuture<'a, Result<usize, Failure>> {
        async move {
            let refused = |refused| Failure::from(amazon_music_web_api::Error::from(refused));
            let page = match operation_id {
                "get_track" => {
                    let track = TrackId::new(FIRST_TRACK).expect("a track ID");
                    AmazonMusicClient::fetch(self, &TrackQuery::new(track)).await?;
                    1
                }
                "get_recently_played_tracks" => {
                    let limit = limit.map(TracksLimit::try_from).transpose();
                    AmazonMusicClient::fetch(self, &tracks(limit.map_err(refused)?))
                        .await?
                        .edges()
                        .len()
                }
                _ => {
                    let limit = limit.map(EntitiesLimit::try_from).transpose();
                    let query = entities(operation_id, limit.map_err(refused)?);
                    if operation_id == "get_my_recently_played_entities" {
                        AmazonMusicClient::fetch(self, &query).await?.edges().len()
                    } else {
                        AmazonMusicClient::fetch(self, &for_user(OTHER, query))
                            .await?
                            .edges()
                            .len()
                    }
                }
            };
            Ok(page)
        }
        .boxed_local()
    }

    fn walk(
        &self,
        operation_id: &str,
        page_size: Option<u32>,
        window: Option<Window>,
    ) -> Box<dyn KeyedWalk> {
        assert!(window.is_none(), "Amazon Music has no time windows");
        let client = self.clone();
        if operation_id == "get_recently_played_tracks" {
            let limit = page_size.map(|size| TracksLimit::new(size).expect("a page size"));
            return keyed(
                self.history(tracks(limit)),
                |edge| format!("{} {}", edge.played_at.to_rfc3339(), edge.node.id),
                move |from| client.history(tracks(limit).resume_from(from)),
            );
        }
        let limit = page_size.map(|size| EntitiesLimit::new(size).expect("a page size"));
        let query = entities(operation_id, limit);
        let key = |edge: &amazon_music_web_api::types::EntityPlaybackEdge| {
            entity_key(
                edge.id.as_deref(),
                &edge.played_date.to_string(),
                edge.node.id(),
            )
        };
        if operation_id == "get_my_recently_played_entities" {
            let resumable = query.clone();
            keyed(self.history(query), key, move |from| {
                client.history(MyEntitiesQuery {
                    from,
                    ..resumable.clone()
                })
            })
        } else {
            let query = for_user(OTHER, query);
            let resumable = query.clone();
            keyed(self.history(query), key, move |from| {
                client.history(UserEntitiesQuery {
                    from,
                    ..resumable.clone()
                })
            })
        }
    }
}

/// `query`, asked of the user `id` instead of the current user.
fn for_user(
    id: &str,
    query: amazon_music_web_api::MyEntitiesQuery,
) -> amazon_music_web_api::UserEntitiesQuery {
    amazon_music_web_api::UserEntitiesQuery {
        user: amazon_music_web_api::UserId::new(id).expect("a user ID the tests can send"),
        entity_types: query.entity_types,
        limit: query.limit,
        from: query.from,
    }
}

/// The recently played tracks, with `limit` if any.
fn tracks(limit: Option<TracksLimit>) -> TracksQuery {
    let query = TracksQuery::new();
    match limit {
        Some(limit) => query.limit(limit),
        None => query,
    }
}

/// My recently played entities (of any kind), with `limit` if any; [`for_user`] makes it
/// [`OTHER`]'s, for `get_user_recently_played_entities`.
fn entities(operation_id: &str, limit: Option<EntitiesLimit>) -> MyEntitiesQuery {
    assert!(
        matches!(
            operation_id,
            "get_my_recently_played_entities" | "get_user_recently_played_entities"
        ),
        "subjects/amazon_music.rs does not know how to call {operation_id}"
    );
    let query = MyEntitiesQuery::new();
    match limit {
        Some(limit) => query.limit(limit),
        None => query,
    }
}

/// Sends the simulation every kind of request the spec documents an answer for; the
/// answers.
async fn every_kind_of_response() -> Vec<Captured> {
    let times: Vec<i64> = (0..130).map(|i| NEWEST_MS - 60_000 * (i / 2)).collect();
    let specs: Vec<EntitySpec> = times
        .iter()
        .enumerate()
        .map(|(i, &at)| EntitySpec {
            at,
            kind: if i % 9 == 8 {
                Kind::Unknown("Audiobook")
            } else {
                Kind::Known(ENTITY_TYPES[i % 8])
            },
        })
        .collect();

    let mut other = AmazonMusicUser::new("listener 2/ü?#%", None);
    other.entities = entity_plays("listener-2", &specs[..7]);
    let lonely = AmazonMusicUser::new("lonely", Some("No Plays"));
    let sim: AmazonMusicSimulation = amazon_simulation(&times, &specs, vec![other, lonely]).await;
    let token = format!("Bearer {}", amazon::DEFAULT_ACCESS_TOKEN);
    let auth: &[(&str, &str)] = &[
        ("authorization", &token),
        ("x-api-key", amazon::DEFAULT_API_KEY),
    ];
    let paths = [
        "/player/recentlyPlayed",
        "/me/recentlyPlayedEntities",
        "/users/listener%202%2F%C3%BC%3F%23%25/recentlyPlayedEntities",
        "/users/lonely/recentlyPlayedEntities",
    ];
    let mut captured = Vec::new();
    for path in paths {
        for query in [
            "",
            "?limit=1",
            "?limit=60",
            "?limit=100",
            "?entityTypes=Album,Track&limit=3",
            "?entityTypes=User",
        ] {
            if path.contains("player") && query.contains("entityTypes") {
                continue;
            }
            captured.push(send(sim.base_url(), Method::GET, &format!("{path}{query}"), auth).await);
        }
        // Follow the tokens to the last page.
        let mut cursor: Option<String> = None;
        loop {
            let query = match &cursor {
                None => "?limit=40".to_string(),
                Some(token) => format!("?limit=40&cursor={}", percent_encode(token)),
            };
            let answer = send(sim.base_url(), Method::GET, &format!("{path}{query}"), auth).await;
            let value: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
            let connection = &value["data"]["user"];
            let page_info = connection
                .get("recentTrackPlayback")
                .or_else(|| connection.get("recentEntitiesPlayback"))
                .map(|c| c["pageInfo"].clone())
                .unwrap_or_default();
            captured.push(answer);
            match page_info["token"].as_str() {
                Some(token) if page_info["hasNextPage"] == true => cursor = Some(token.to_string()),
                _ => break,
            }
        }
        for bad in [
            "?limit=0",
            "?limit=101",
            "?limit=x",
            "?cursor=forged",
            "?limit=1&limit=2",
            "?entityTypes=Album&entityTypes=Track",
            "?entityTypes=Bogus",
        ] {
            captured.push(send(sim.base_url(), Method::GET, &format!("{path}{bad}"), auth).await);
        }
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                path,
                &[("x-api-key", amazon::DEFAULT_API_KEY)],
            )
            .await,
        );
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                path,
                &[
                    ("authorization", "Bearer stale"),
                    ("x-api-key", amazon::DEFAULT_API_KEY),
                ],
            )
            .await,
        );
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                path,
                &[("authorization", &token)],
            )
            .await,
        );
        captured.push(
            send(
                sim.base_url(),
                Method::GET,
                path,
                &[("authorization", &token), ("x-api-key", "someone else's")],
            )
            .await,
        );
        sim.inject(Fault::RateLimited {
            retry_after_secs: 30,
        });
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        sim.inject(Fault::ServerError);
        captured.push(send(sim.base_url(), Method::GET, path, auth).await);
        captured.push(send(sim.base_url(), Method::POST, path, auth).await);
    }
    captured.push(
        send(
            sim.base_url(),
            Method::GET,
            "/users/nobody/recentlyPlayedEntities",
            auth,
        )
        .await,
    );
    // The catalog: a track "me" played (`common::track_plays`), and every failure.
    let track = "/tracks/T000";
    for (path, headers) in [
        (track, auth),
        ("/tracks/T000?mediaType=AUDIO", auth),
        ("/tracks/T000?mediaType=audio", auth),
        ("/tracks/T000?mediaType=AUDIO&mediaType=VIDEO", auth),
        ("/tracks/never-played", auth),
        (track, &[("x-api-key", amazon::DEFAULT_API_KEY)][..]),
        (track, &[("authorization", token.as_str())][..]),
        (
            track,
            &[
                ("authorization", token.as_str()),
                ("x-api-key", "someone else's"),
            ][..],
        ),
    ] {
        captured.push(send(sim.base_url(), Method::GET, path, headers).await);
    }
    sim.inject(Fault::RateLimited {
        retry_after_secs: 30,
    });
    captured.push(send(sim.base_url(), Method::GET, track, auth).await);
    sim.inject(Fault::ServerError);
    captured.push(send(sim.base_url(), Method::GET, track, auth).await);
    captured.push(send(sim.base_url(), Method::POST, track, auth).await);
    captured.push(
        send(
            sim.base_url(),
            Method::GET,
            "/player/recentlyPlayedEntities",
            auth,
        )
        .await,
    );
    captured
}

/// Reads `path` with `limit`, then every page its tokens lead to, up to `max_pages + 1`
/// pages; each answer.
async fn follow_tokens(
    http: &reqwest::Client,
    base_url: &str,
    path: &str,
    limit: u32,
    max_pages: usize,
) -> Vec<Captured> {
    let token = format!("Bearer {}", amazon::DEFAULT_ACCESS_TOKEN);
    let auth: &[(&str, &str)] = &[
        ("authorization", &token),
        ("x-api-key", amazon::DEFAULT_API_KEY),
    ];
    let mut answers = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            None => format!("{path}?limit={limit}"),
            Some(token) => format!("{path}?limit={limit}&cursor={}", percent_encode(token)),
        };
        let answer = send_on(http, base_url, Method::GET, &query, auth).await;
        let page: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        answers.push(answer);
        let user = &page["data"]["user"];
        let info = user
            .get("recentTrackPlayback")
            .or_else(|| user.get("recentEntitiesPlayback"))
            .map(|c| c["pageInfo"].clone())
            .unwrap_or_default();
        match info["token"].as_str() {
            Some(token) if info["hasNextPage"] == true && answers.len() <= max_pages => {
                cursor = Some(token.to_string());
            }
            _ => return answers,
        }
    }
}

/// The key of an entity play: its edge's ID, when, and its node's ID, each of which a
/// hostile page may leave out.
fn entity_key(edge: Option<&str>, played: &str, node: Option<&str>) -> String {
    format!("{edge:?} {played} {node:?}")
}

/// The keys a walk of `owner`'s entity `plays` yields, newest first: `common::entity_plays`
/// names the edges `<owner>-play<i>` and the nodes `N<i>`.
fn entity_keys(owner: &str, plays: &Plays) -> Vec<String> {
    let keyed: Vec<(i64, String)> = plays
        .times
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            let played = chrono::DateTime::from_timestamp_millis(at).expect("a time in range");
            let (edge, node) = (format!("{owner}-play{i}"), format!("N{i:03}"));
            (
                at,
                entity_key(Some(&edge), &played.to_string(), Some(&node)),
            )
        })
        .collect();
    newest_first(&keyed)
}

/// A time (Unix milliseconds) as a walk of tracks keys it.
fn rfc3339(at: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .expect("a time in range")
        .to_rfc3339()
}

/// The entity plays of `plays`, each of its kind.
fn entity_specs(plays: &Plays) -> Vec<EntitySpec> {
    plays
        .times
        .iter()
        .zip(&plays.kinds)
        .map(|(&at, &kind)| EntitySpec { at, kind })
        .collect()
}
