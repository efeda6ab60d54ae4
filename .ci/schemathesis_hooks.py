"""The exceptions schemathesis.toml names, each as narrow as one predicate can make it, and
the test data the sandbox holds.

Loaded by Schemathesis through `hooks` in schemathesis.toml. A `filter_failure` hook sees
every failure Schemathesis finds and drops only those that match an exception below: the
failure is of the check the exception names, the request has the shape it describes, and the
answer is the one the service documents for it. Every other failure, of every check, still
fails the run; a dropped one is counted in Schemathesis's summary ("dropped by
filter_failure").

A `before_generate_path_parameters` hook gives Schemathesis the users the sandbox knows
(`SCHEMATHESIS_AMAZON_USER_IDS` and `SCHEMATHESIS_LISTENBRAINZ_USER_NAMES`, comma-separated,
which `.ci/schemathesis` takes from the sandbox's `--serve --json`): the operations that name
a user in their path (`/users/{id}/recentlyPlayedEntities`, `/1/user/{user_name}/...`) are
asked about them as well as about the names Schemathesis makes up, which all answer 404.
Without them, whether a run meets a 200 there at all depends on the seed, and one that does
not fails on the "missing test data" warning.
"""

import json
import os
import urllib.parse

import schemathesis
from hypothesis import strategies as st

# The failure codes of the checks an exception below excuses (`st explain <code>`).
# ST202, check positive_data_acceptance: a request valid by the schema was rejected.
SCHEMA_VALID_REQUEST_REJECTED = "ST202"
# ST201, check negative_data_rejection: a request the schema refuses was accepted.
SCHEMA_VIOLATING_REQUEST_ACCEPTED = "ST201"
# ST101, check not_a_server_error: a 5xx, documented or not.
SERVER_ERROR = "ST101"
# ST107, check response_headers_conformance: a required response header is missing.
REQUIRED_RESPONSE_HEADER_MISSING = "ST107"
# ST203, check missing_required_header: a request without its credential got no 401.
MISSING_CREDENTIAL_NOT_401 = "ST203"
# ST401, check ignored_auth: a request without its credential got neither 401 nor 403.
AUTH_NOT_ANSWERED_401_OR_403 = "ST401"

AMAZON_OPERATIONS = {
    "get_recently_played_tracks",
    "get_my_recently_played_entities",
    "get_user_recently_played_entities",
}

LISTENBRAINZ_USER_OPERATIONS = {"get_listens", "get_listen_count"}

# The seconds the ListenBrainz server reads as listen times: those of the years 1 to 9999,
# which Python's `datetime` holds (specs/listenbrainz-api.yaml, `min_ts` and `max_ts`).
LISTENBRAINZ_FIRST_SECOND = -62_135_596_800
LISTENBRAINZ_LAST_SECOND = 253_402_300_799


def _operation_id(case):
    return case.operation.definition.raw.get("operationId")


def _schema_bounds(case, name):
    """The `minimum` and `maximum` of the query parameter `name` of the case's operation, as
    its spec gives them."""
    for parameter in case.operation.definition.raw.get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("name") == name:
            schema = parameter["schema"]
            return schema["minimum"], schema["maximum"]
    raise KeyError(f"{_operation_id(case)} has no query parameter {name!r}")


def _body(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _error_message(response):
    """The `error.message` of a JSON error body, or "" when there is none."""
    try:
        return str(_body(response)["error"]["message"])
    except (KeyError, TypeError):
        return ""


def _listenbrainz_error(response):
    """The `error` of ListenBrainz's error body (`{"code": ..., "error": "..."}`), or ""."""
    body = _body(response)
    if isinstance(body, dict) and body.get("code") == response.status_code:
        return str(body.get("error", ""))
    return ""


def _sent_query(response):
    """The query as it went on the wire: each name with the values sent for it. What the
    server reads, whatever Schemathesis generated (an empty list or object sends nothing, a
    list sends the name once per item)."""
    query = urllib.parse.urlsplit(response.request.url).query
    return urllib.parse.parse_qs(query, keep_blank_values=True)


def _once_each(query):
    """`query` with each name's one value, or None if a name was sent more than once (which
    value the server then reads is no fact of the spec's)."""
    if any(len(values) != 1 for values in query.values()):
        return None
    return {name: values[0] for name, values in query.items()}


def _sent_user_name(response):
    """The `user_name` of a `/1/user/{user_name}/...` request as the server reads it (its
    router sees the path percent-decoded), or None."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(response.request.url).path)
    prefix = "/1/user/"
    for method in ("/listens", "/listen-count"):
        if path.startswith(prefix) and path.endswith(method):
            return path[len(prefix) : -len(method)]
    return None


def _python_int(text):
    """The integer the ListenBrainz server reads from a query value, or None: it reads its
    parameters with Python's own `int()` (`api_tools.py`, as the spec cites it), so this is
    that."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def spotify_after_and_before(failure, case, response):
    """Spotify answers 400 to a request with both `after` and `before`, which exclude each
    other; OpenAPI 3.0 cannot say so, so the request is valid by the schema."""
    query = case.query or {}
    return (
        failure.code == SCHEMA_VALID_REQUEST_REJECTED
        and _operation_id(case) == "get_recently_played"
        and "after" in query
        and "before" in query
        and response.status_code == 400
    )


def amazon_opaque_cursor(failure, case, response):
    """Amazon Music answers 400 to a non-empty `cursor` it did not issue (for this method,
    user and `entityTypes`); no schema can say "issued by the server". An empty cursor is not
    excused: the schema says it is invalid (`minLength: 1`). The answer must say that the
    cursor is what it refused, so that a 400 for another parameter of the same request still
    fails the run."""
    query = case.query or {}
    return (
        failure.code == SCHEMA_VALID_REQUEST_REJECTED
        and _operation_id(case) in AMAZON_OPERATIONS
        and query.get("cursor") not in (None, "")
        and response.status_code == 400
        and "cursor" in _error_message(response)
    )


def listenbrainz_bounds_out_of_order(failure, case, response):
    """ListenBrainz answers 400 "max_ts should be greater than min_ts" when both bounds are
    sent and `max_ts <= min_ts`; each is valid alone, and OpenAPI 3.0 cannot order two
    parameters (the spec says it in prose and in `x-ordered-parameters`)."""
    query = _once_each(_sent_query(response)) or {}
    min_ts, max_ts = _python_int(query.get("min_ts")), _python_int(query.get("max_ts"))
    return (
        failure.code == SCHEMA_VALID_REQUEST_REJECTED
        and _operation_id(case) == "get_listens"
        and min_ts is not None
        and max_ts is not None
        and max_ts <= min_ts
        and response.status_code == 400
        and _listenbrainz_error(response) == "max_ts should be greater than min_ts"
    )


def _read_by_the_listenbrainz_server(name, value):
    """Whether the server serves `get_listens` with this value, as the spec documents:
    `count` 0 (an empty page), above 1000 (served as 1000) or empty (the default);
    `min_ts` and `max_ts` negative or above the schema's maximum but within the years 1 to
    9999."""
    if name == "count":
        if value == "":
            return True
        count = _python_int(value)
        return count is not None and count >= 0
    if name in ("min_ts", "max_ts"):
        seconds = _python_int(value)
        return seconds is not None and LISTENBRAINZ_FIRST_SECOND <= seconds <= LISTENBRAINZ_LAST_SECOND
    return False


def listenbrainz_lenient_parameters(failure, case, response):
    """ListenBrainz serves (200) some values its spec's schema refuses, as the spec's
    parameter descriptions say: the schema holds what is useful to send, the server reads
    more. Every query value sent must be one of those, or valid by the schema, each name sent
    once."""
    query = _once_each(_sent_query(response))
    return (
        failure.code == SCHEMA_VIOLATING_REQUEST_ACCEPTED
        and _operation_id(case) == "get_listens"
        and response.status_code == 200
        and query is not None
        and all(_read_by_the_listenbrainz_server(name, value) for name, value in query.items())
    )


def listenbrainz_timestamps_beyond_the_years(failure, case, response):
    """ListenBrainz answers 500 (an exception it does not catch) to a `min_ts` or `max_ts`
    far beyond the years 1 to 9999, or whose first 30-day search window leaves them (`min_ts`
    alone within 30 days of the year 10000, `max_ts` alone within 30 days of the year 1); the
    schema refuses every such value, so a 500 for a value it accepts still fails the run."""
    query = _sent_query(response)

    def refused_by_the_schema(name, text):
        seconds = _python_int(text)
        low, high = _schema_bounds(case, name)
        return seconds is not None and not low <= seconds <= high

    return (
        failure.code == SERVER_ERROR
        and _operation_id(case) == "get_listens"
        and response.status_code == 500
        and _listenbrainz_error(response) == "An unknown error occured."
        and any(
            refused_by_the_schema(name, text)
            for name in ("min_ts", "max_ts")
            for text in query.get(name, [])
        )
    )


def listenbrainz_unrouted_user_name(failure, case, response):
    """A ListenBrainz user name of one character, or one that starts or ends with `/`,
    matches no route of the server: 404 with its generic not-found message and without the
    X-RateLimit-* headers, which the spec requires of the method's own 404 (an unknown user)
    and cannot make optional for some 404s only."""
    name = _sent_user_name(response)
    return (
        failure.code == REQUIRED_RESPONSE_HEADER_MISSING
        and _operation_id(case) in LISTENBRAINZ_USER_OPERATIONS
        and name is not None
        and (len(name) < 2 or name.startswith("/") or name.endswith("/"))
        and response.status_code == 404
        and _listenbrainz_error(response).startswith("The requested URL was not found on the server.")
        and not any(header.lower().startswith("x-ratelimit-") for header in response.headers)
    )


def listenbrainz_token_is_not_a_credential(failure, case, response):
    """ListenBrainz's validate-token answers a request without a token 400 "You need to
    provide an Authorization token." (not 401): the token is what the method examines, not
    what admits the request. OpenAPI 3.0 cannot say that a missing credential is answered
    otherwise than 401."""
    if _operation_id(case) != "validate_token":
        return False
    if failure.code == MISSING_CREDENTIAL_NOT_401:
        return (
            getattr(failure, "header_name", "").lower() == "authorization"
            and response.status_code == 400
            and _listenbrainz_error(response) == "You need to provide an Authorization token."
        )
    if failure.code == AUTH_NOT_ANSWERED_401_OR_403:
        # Schemathesis's probe without the credential; the failure carries its status only.
        return failure.title == "Unexpected response to a request without authentication" and (
            "got `400 Bad Request`" in failure.message
        )
    return False


EXCEPTIONS = {
    "spotify-after-and-before": spotify_after_and_before,
    "amazon-opaque-cursor": amazon_opaque_cursor,
    "listenbrainz-bounds-out-of-order": listenbrainz_bounds_out_of_order,
    "listenbrainz-lenient-parameters": listenbrainz_lenient_parameters,
    "listenbrainz-timestamps-beyond-the-years": listenbrainz_timestamps_beyond_the_years,
    "listenbrainz-unrouted-user-name": listenbrainz_unrouted_user_name,
    "listenbrainz-token-is-not-a-credential": listenbrainz_token_is_not_a_credential,
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but those an exception of schemathesis.toml names."""
    return not any(matches(failure, case, response) for matches in EXCEPTIONS.values())


def _known(variable):
    return [value for value in os.environ.get(variable, "").split(",") if value]


# The path parameters that name a user, per operation: the parameter, and the users the
# sandbox knows (comma-separated in the environment variable .ci/schemathesis sets from the
# sandbox's `--serve --json`).
KNOWN_USERS = {
    "get_user_recently_played_entities": ("id", _known("SCHEMATHESIS_AMAZON_USER_IDS")),
    "get_listens": ("user_name", _known("SCHEMATHESIS_LISTENBRAINZ_USER_NAMES")),
    "get_listen_count": ("user_name", _known("SCHEMATHESIS_LISTENBRAINZ_USER_NAMES")),
}


@schemathesis.hook
def before_generate_path_parameters(context, strategy):
    """The path parameter that names a user: made up as the schema allows (404 but by
    chance), or, as often, a user the sandbox knows (200)."""
    operation = context.operation
    if operation is None:
        return strategy
    parameter, users = KNOWN_USERS.get(operation.definition.raw.get("operationId"), (None, []))
    if not users:
        return strategy
    return st.one_of(strategy, st.sampled_from([{parameter: user} for user in users]))
