//! THE table of documented bounds: for each operation, its page size's range and default
//! (for the operations that page: `limit`, or ListenBrainz's `count`), the range of its other
//! integer parameters (ListenBrainz's `min_ts` and `max_ts`), the OAuth scopes it needs, and
//! the status codes it is documented to answer with.
//!
//! Stated once, here, from the source documents (`shared/seeds/`, beside the workspace), each
//! row citing what it was taken from. The specs must agree with it
//! (`tests/it/documented_bounds.rs`), and tests of client behaviour take their numbers from it
//! rather than from the specs they are meant to check.
//!
//! ```
//! use conformance::bounds;
//!
//! let spotify = bounds::operation("get_recently_played").expect("a documented operation");
//! let limit = spotify.limit.expect("a paged operation");
//! assert_eq!((limit.parameter, limit.min, limit.max, limit.default), ("limit", 1, 50, 20));
//! assert_eq!(spotify.scopes, ["user-read-recently-played"]);
//!
//! let listens = bounds::operation("get_listens").expect("a documented operation");
//! assert_eq!(listens.limit.map(|count| count.parameter), Some("count"));
//! assert_eq!(listens.ranges.len(), 2);
//! ```

/// The documented range and default of an operation's page size: its `limit` query
/// parameter (ListenBrainz's `count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The query parameter's name.
    pub parameter: &'static str,
    /// The smallest `limit` the API accepts.
    pub min: u64,
    /// The largest `limit` the API accepts.
    pub max: u64,
    /// The `limit` the API uses when none is sent.
    pub default: u64,
}

/// The documented range of another integer query parameter of an operation (ListenBrainz's
/// Unix times `min_ts` and `max_ts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// The query parameter's name.
    pub parameter: &'static str,
    /// The smallest value the API reads.
    pub min: i64,
    /// The largest value the API reads.
    pub max: i64,
}

/// A status code an operation is documented to answer with, and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// The HTTP status code.
    pub code: u16,
    /// What the documentation says it means, and where it says so when that is not the
    /// operation's own page.
    pub meaning: &'static str,
}

/// What the source documents promise about one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Documented {
    /// The spec's file stem (`spotify-web-api`).
    pub api: &'static str,
    /// The operation's `operationId` in that spec.
    pub operation_id: &'static str,
    /// Who promises it, for messages: "the Spotify docs say 50".
    pub source: &'static str,
    /// The page size; `None` for an operation that answers one item and takes no `limit`
    /// (Amazon Music's `get_track`, ListenBrainz's `get_listen_count`).
    pub limit: Option<Limit>,
    /// Its other integer query parameters with a documented range.
    pub ranges: &'static [Range],
    /// The OAuth scopes a token needs for the operation.
    pub scopes: &'static [&'static str],
    /// The status codes the operation is documented to answer with.
    pub statuses: &'static [Status],
}

const SPOTIFY_DOCS: &str = "the Spotify docs";
const AMAZON_DOCS: &str = "the Amazon Music Player docs";
const LISTENBRAINZ_DOCS: &str = "the ListenBrainz API reference and server";

/// ListenBrainz's `429` and `500`, which every one of its methods may answer: the reference's
/// "Rate limiting" section, and the server's handler of uncaught exceptions
/// (`listenbrainz/webserver/errors.py` lines 180-189).
const LISTENBRAINZ_LIMITED: Status = Status {
    code: 429,
    meaning: "rate limit exceeded, wait X-RateLimit-Reset-In (reference, Rate limiting)",
};
const LISTENBRAINZ_UNCAUGHT: Status = Status {
    code: 500,
    meaning: "an uncaught exception (server, errors.py)",
};
/// The `404` of an unknown user and the `503` of the listen store offline, of both methods
/// that read a user's listens (`api.py` lines 185-187, 215-217; `decorators.py` lines 35-48).
const LISTENBRAINZ_UNKNOWN_USER: Status = Status {
    code: 404,
    meaning: "no user has this name (reference)",
};
const LISTENBRAINZ_OFFLINE: Status = Status {
    code: 503,
    meaning: "the listen store is offline (server, decorators.py)",
};

/// Amazon Music's error statuses. The Player page documents none; these are the general Amazon
/// Music Web API error responses the spec takes from the V1 errors page, which lists 400, 401,
/// 403, 404, 422, 429 and 500 (see the spec's `info.description`, "Errors").
const AMAZON_ERRORS: [Status; 7] = [
    Status {
        code: 400,
        meaning: "malformed request (general Web API error format)",
    },
    Status {
        code: 401,
        meaning: "missing or expired access token (general Web API error format)",
    },
    Status {
        code: 403,
        meaning: "scope missing or no Amazon Music account (general Web API error format)",
    },
    Status {
        code: 404,
        meaning: "resource not found (general Web API error format)",
    },
    Status {
        code: 422,
        meaning: "well formed but unprocessable (general Web API error format)",
    },
    Status {
        code: 429,
        meaning: "rate limited (general Web API error format)",
    },
    Status {
        code: 500,
        meaning: "server error (general Web API error format)",
    },
];

/// Every documented operation, one row each.
pub const OPERATIONS: &[Documented] = &[
    // shared/seeds/004_7fcb204c061c9884.txt (Spotify Web API, Get Recently Played Tracks):
    //   "limit  Optional. The maximum number of items to return. Default: 20. Minimum: 1.
    //    Maximum: 50."
    //   "The access token must have the user-read-recently-played scope authorized"
    //   "On success, the HTTP status code in the response header is 200 OK"
    //   "If private session is enabled the response will be a 204 NO CONTENT with an empty
    //    payload."
    // The error statuses are those of the Web API's general "Response Status Codes" that a
    // request to this one path can meet (the page only says "On error, the header status code
    // is an error code and the response body contains an error object"): 400, 401, 403, 429,
    // 500, 502 and 503.
    Documented {
        api: "spotify-web-api",
        operation_id: "get_recently_played",
        source: SPOTIFY_DOCS,
        limit: Some(Limit {
            parameter: "limit",
            min: 1,
            max: 50,
            default: 20,
        }),
        ranges: &[],
        scopes: &["user-read-recently-played"],
        statuses: &[
            Status {
                code: 200,
                meaning: "OK, a cursor-based page of play history",
            },
            Status {
                code: 204,
                meaning: "private session enabled, empty payload",
            },
            Status {
                code: 400,
                meaning: "bad request, e.g. limit out of range or both cursors (Web API status codes)",
            },
            Status {
                code: 401,
                meaning: "bad or expired token (Web API status codes)",
            },
            Status {
                code: 403,
                meaning: "bad OAuth request, e.g. a missing scope (Web API status codes)",
            },
            Status {
                code: 429,
                meaning: "rate limit exceeded (Web API status codes)",
            },
            Status {
                code: 500,
                meaning: "internal server error (Web API status codes)",
            },
            Status {
                code: 502,
                meaning: "bad gateway (Web API status codes)",
            },
            Status {
                code: 503,
                meaning: "service unavailable, retry after a delay (Web API status codes)",
            },
        ],
    },
    // shared/seeds/000_6d07d75f4bd8c1d9.txt (Amazon Music Web API, "Web API Player V1.0"),
    // Get Current User's Recently Played Tracks, GET /player/recentlyPlayed:
    //   "Authorization Scope: [music::history]"
    //   "limit | number | No | The maximum number of tracks to return (default: 60). Minimum of
    //    1, maximum of 60."
    Documented {
        api: "amazon-music-web-api",
        operation_id: "get_recently_played_tracks",
        source: AMAZON_DOCS,
        limit: Some(Limit {
            parameter: "limit",
            min: 1,
            max: 60,
            default: 60,
        }),
        ranges: &[],
        scopes: &["music::history"],
        statuses: &[
            Status {
                code: 200,
                meaning: "the user with a page of recently played tracks (the page's example)",
            },
            AMAZON_ERRORS[0],
            AMAZON_ERRORS[1],
            AMAZON_ERRORS[2],
            AMAZON_ERRORS[3],
            AMAZON_ERRORS[4],
            AMAZON_ERRORS[5],
            AMAZON_ERRORS[6],
        ],
    },
    // Same page, Get Current User's Recently Played Entities, GET /me/recentlyPlayedEntities:
    //   "Authorization Scope: [music::history]"
    //   "limit | number | No | The maximum number of entities to return (default: 100). Minimum
    //    of 1, maximum of 100."
    Documented {
        api: "amazon-music-web-api",
        operation_id: "get_my_recently_played_entities",
        source: AMAZON_DOCS,
        limit: Some(Limit {
            parameter: "limit",
            min: 1,
            max: 100,
            default: 100,
        }),
        ranges: &[],
        scopes: &["music::history"],
        statuses: &[
            Status {
                code: 200,
                meaning: "the user with a page of recently played entities (the page's example)",
            },
            AMAZON_ERRORS[0],
            AMAZON_ERRORS[1],
            AMAZON_ERRORS[2],
            AMAZON_ERRORS[3],
            AMAZON_ERRORS[4],
            AMAZON_ERRORS[5],
            AMAZON_ERRORS[6],
        ],
    },
    // Same page, Get User's Recently Played Entities, GET /users/{id}/recentlyPlayedEntities:
    //   "Authorization Scope: [music::catalog]" (not music::history, unlike the two above)
    //   "limit | number | No | The maximum number of entities to return (default: 100). Minimum
    //    of 1, maximum of 100."
    Documented {
        api: "amazon-music-web-api",
        operation_id: "get_user_recently_played_entities",
        source: AMAZON_DOCS,
        limit: Some(Limit {
            parameter: "limit",
            min: 1,
            max: 100,
            default: 100,
        }),
        ranges: &[],
        scopes: &["music::catalog"],
        statuses: &[
            Status {
                code: 200,
                meaning: "the user with a page of recently played entities (the page's example)",
            },
            AMAZON_ERRORS[0],
            AMAZON_ERRORS[1],
            AMAZON_ERRORS[2],
            AMAZON_ERRORS[3],
            AMAZON_ERRORS[4],
            AMAZON_ERRORS[5],
            AMAZON_ERRORS[6],
        ],
    },
    // The Amazon Music Web API's "Web API Tracks V1.0" page
    // (https://developer.amazon.com/docs/music/API_web_track.html), Get Tracks,
    // GET /tracks/{id}:
    //   "Authorization Scope: [music::catalog]"
    //   "id | string | Yes | The ID of the track to be retrieved."
    //   "mediaType | string | No | Type can be either AUDIO or VIDEO."
    // One track per request: no `limit`.
    Documented {
        api: "amazon-music-web-api",
        operation_id: "get_track",
        source: "the Amazon Music Tracks docs",
        limit: None,
        ranges: &[],
        scopes: &["music::catalog"],
        statuses: &[
            Status {
                code: 200,
                meaning: "the track (the page's example)",
            },
            AMAZON_ERRORS[0],
            AMAZON_ERRORS[1],
            AMAZON_ERRORS[2],
            AMAZON_ERRORS[3],
            AMAZON_ERRORS[4],
            AMAZON_ERRORS[5],
            AMAZON_ERRORS[6],
        ],
    },
    // ListenBrainz: no seed in shared/seeds; its source documents are the API reference
    // (https://listenbrainz.readthedocs.io/en/latest/users/api/core.html, "Core") and, where
    // the reference is silent or differs, the server's source at the commit the spec cites
    // (metabrainz/listenbrainz-server 0a119846), as quoted in specs/listenbrainz-api.yaml
    // (the reference itself was not at hand when this row was written: paraphrased, not
    // quoted). GET /1/user/(user_name)/listens:
    //   `count`: optional, default DEFAULT_ITEMS_PER_GET (25), at most MAX_ITEMS_PER_GET
    //   (1000) (`listenbrainz/webserver/views/api_tools.py` lines 48, 51). `0` is accepted
    //   by the server and answered with an empty page; the spec starts at 1, as the client.
    //   `min_ts`, `max_ts`: Unix times in seconds, read when they name a time in the years 1
    //   to 9999 (`api_tools.py` lines 469-477); negative values name no listen (listens are
    //   accepted from 2002-10-01), so 0; `max_ts` up to 9999-12-31T23:59:59Z, `min_ts` 30
    //   days less (sent alone, a 30-day window is added to it: `timescale_listenstore.py`
    //   line 301).
    //   Statuses: the reference lists 200 and 404 (an unknown user); the server adds 400
    //   (bad parameters), 503 (the listen store offline), and the 429 and 500 any method may
    //   answer. No scopes: a user token is all there is, and reading listens needs none.
    Documented {
        api: "listenbrainz-api",
        operation_id: "get_listens",
        source: LISTENBRAINZ_DOCS,
        limit: Some(Limit {
            parameter: "count",
            min: 1,
            max: 1000,
            default: 25,
        }),
        ranges: &[
            Range {
                parameter: "min_ts",
                min: 0,
                max: 253_399_708_799,
            },
            Range {
                parameter: "max_ts",
                min: 0,
                max: 253_402_300_799,
            },
        ],
        scopes: &[],
        statuses: &[
            Status {
                code: 200,
                meaning: "a page of listens, newest first (reference)",
            },
            Status {
                code: 400,
                meaning: "count, min_ts or max_ts not read, or max_ts <= min_ts (server, api_tools.py)",
            },
            LISTENBRAINZ_UNKNOWN_USER,
            LISTENBRAINZ_LIMITED,
            LISTENBRAINZ_UNCAUGHT,
            LISTENBRAINZ_OFFLINE,
        ],
    },
    // Same page, GET /1/user/(user_name)/listen-count: the user's number of listens; 200
    // and 404 in the reference, 503, 429 and 500 from the server. No parameter but the user.
    Documented {
        api: "listenbrainz-api",
        operation_id: "get_listen_count",
        source: LISTENBRAINZ_DOCS,
        limit: None,
        ranges: &[],
        scopes: &[],
        statuses: &[
            Status {
                code: 200,
                meaning: "the user's number of listens (reference)",
            },
            LISTENBRAINZ_UNKNOWN_USER,
            LISTENBRAINZ_LIMITED,
            LISTENBRAINZ_UNCAUGHT,
            LISTENBRAINZ_OFFLINE,
        ],
    },
    // Same page, GET /1/validate-token: whether a user token is valid, and whose; 200 for a
    // valid or an invalid token, 400 when none was sent; 429 and 500 from the server.
    Documented {
        api: "listenbrainz-api",
        operation_id: "validate_token",
        source: LISTENBRAINZ_DOCS,
        limit: None,
        ranges: &[],
        scopes: &[],
        statuses: &[
            Status {
                code: 200,
                meaning: "the token is valid, or invalid (\"valid\": false)",
            },
            Status {
                code: 400,
                meaning: "no token was sent",
            },
            LISTENBRAINZ_LIMITED,
            LISTENBRAINZ_UNCAUGHT,
        ],
    },
];

/// The row of the operation with this `operationId` (they are unique across the APIs).
pub fn operation(operation_id: &str) -> Option<&'static Documented> {
    OPERATIONS
        .iter()
        .find(|documented| documented.operation_id == operation_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_are_unique_so_lookup_by_id_is_unambiguous() {
        for (i, row) in OPERATIONS.iter().enumerate() {
            assert!(
                OPERATIONS[..i]
                    .iter()
                    .all(|earlier| earlier.operation_id != row.operation_id),
                "{} has two rows",
                row.operation_id
            );
        }
    }

    #[test]
    fn every_default_lies_within_its_range() {
        for row in OPERATIONS {
            let Some(Limit {
                min, max, default, ..
            }) = row.limit
            else {
                continue;
            };
            assert!(
                min <= default && default <= max,
                "{}: default {default} outside {min}..={max}",
                row.operation_id
            );
        }
    }
}
