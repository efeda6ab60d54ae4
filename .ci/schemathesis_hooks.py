"""The exceptions schemathesis.toml names, each as narrow as one predicate can make it, and
the test data the sandbox holds.

Loaded by Schemathesis through `hooks` in schemathesis.toml. A `filter_failure` hook sees
every failure Schemathesis finds and drops only those that match an exception below: the
request has the shape the exception describes and the answer is the 400 the service documents
for it. Every other failure, of every check, still fails the run; a dropped one is counted in
Schemathesis's summary ("dropped by filter_failure").

A `before_generate_path_parameters` hook gives Schemathesis the IDs of the users the sandbox
knows (`SCHEMATHESIS_AMAZON_USER_IDS`, comma-separated, which `.ci/schemathesis` takes from
the sandbox's `--serve --json`): `/users/{id}/recentlyPlayedEntities` is asked about them as
well as about the IDs Schemathesis makes up, which all answer 404. Without them, whether a
run meets a 200 there at all depends on the seed, and one that does not fails on the
"missing test data" warning.
"""

import json
import os

import schemathesis
from hypothesis import strategies as st

# ST202, check positive_data_acceptance: a request valid by the schema was rejected.
SCHEMA_VALID_REQUEST_REJECTED = "ST202"

AMAZON_OPERATIONS = {
    "get_recently_played_tracks",
    "get_my_recently_played_entities",
    "get_user_recently_played_entities",
}


def _error_message(response):
    """The `error.message` of a JSON error body, or "" when there is none."""
    try:
        return str(json.loads(response.content)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return ""


def spotify_after_and_before(operation_id, query, response):
    """Spotify answers 400 to a request with both `after` and `before`, which exclude each
    other; OpenAPI 3.0 cannot say so, so the request is valid by the schema."""
    return (
        operation_id == "get_recently_played"
        and "after" in query
        and "before" in query
        and response.status_code == 400
    )


def amazon_opaque_cursor(operation_id, query, response):
    """Amazon Music answers 400 to a non-empty `cursor` it did not issue (for this method,
    user and `entityTypes`); no schema can say "issued by the server". An empty cursor is not
    excused: the schema says it is invalid (`minLength: 1`). The answer must say that the
    cursor is what it refused, so that a 400 for another parameter of the same request still
    fails the run."""
    return (
        operation_id in AMAZON_OPERATIONS
        and query.get("cursor") not in (None, "")
        and response.status_code == 400
        and "cursor" in _error_message(response)
    )


EXCEPTIONS = {
    "spotify-after-and-before": spotify_after_and_before,
    "amazon-opaque-cursor": amazon_opaque_cursor,
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but those an exception of schemathesis.toml names."""
    if failure.code != SCHEMA_VALID_REQUEST_REJECTED:
        return True
    operation_id = case.operation.definition.raw.get("operationId")
    query = case.query or {}
    return not any(
        matches(operation_id, query, response) for matches in EXCEPTIONS.values()
    )


KNOWN_USER_IDS = [
    user for user in os.environ.get("SCHEMATHESIS_AMAZON_USER_IDS", "").split(",") if user
]


@schemathesis.hook
def before_generate_path_parameters(context, strategy):
    """The path parameters of `get_user_recently_played_entities`: made up as the schema
    allows (404 but by chance), or, as often, the ID of a user the sandbox knows (200)."""
    operation = context.operation
    if (
        not KNOWN_USER_IDS
        or operation is None
        or operation.definition.raw.get("operationId") != "get_user_recently_played_entities"
    ):
        return strategy
    return st.one_of(strategy, st.sampled_from([{"id": user} for user in KNOWN_USER_IDS]))
