"""The specs and the sandbox, held to a strict OpenAPI 3.0.3 validator that this project did not
write: openapi-spec-validator for each spec document, and openapi-schema-validator
(`OAS30Validator`, with its format checker) for every example the specs document and every
page the sandbox serves in a full walk of each service.

OAS30Validator reads `nullable` as OpenAPI 3.0.3 defines it (it adds `null` to the `type`
beside it, and does nothing without one), unlike Schemathesis and Prism, which are lenient
there; `conformance::schema`, the suite's own validator, reads it the same way.

    python strict_openapi.py examples SPEC...
        Checks each spec document and every example it documents (response examples, inline
        or `$ref`ed from components/examples) against the schema of its response.
    python strict_openapi.py walk ADDRESSES_JSON
        Walks the sandbox whose addresses `recently-played --serve --json` printed: every
        Spotify page back by `next` and forward by `after` at several limits, every Amazon
        Music page of the tracks, of the current user's entities and of the other user's, to
        the last, and every ListenBrainz page of the listens back by `max_ts`, forward by
        `min_ts` and forward with both bounds at several counts, with the listen count and
        the token's validation; each answer must be a 200 whose body validates against its
        operation's schema. Every spec in specs/ must have a walk here.

Exits 1 on the first spec error, or after listing every invalid example or page.
"""

import glob
import json
import sys
import urllib.parse
import urllib.request

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec
from openapi_spec_validator.readers import read_from_filename

SPOTIFY_SPEC = "specs/spotify-web-api.yaml"
AMAZON_SPEC = "specs/amazon-music-web-api.yaml"
LISTENBRAINZ_SPEC = "specs/listenbrainz-api.yaml"


def load(path):
    with open(path, encoding="utf-8") as file:
        return yaml.safe_load(file)


def resolve(spec, node):
    """`node`, or what its local `$ref` points at."""
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"]
        assert pointer.startswith("#/"), pointer
        node = spec
        for part in pointer[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def validator(spec, schema):
    """A strict OAS 3.0 validator of `schema`, whose references resolve into `spec`."""
    root = dict(schema)
    root["components"] = spec.get("components", {})
    return OAS30Validator(root, format_checker=oas30_format_checker)


def response_schemas(spec):
    """(operationId, status, media type, schema, examples) of every response body."""
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if method not in ("get", "put", "post", "delete", "patch", "head", "options"):
                continue
            for status, response in operation.get("responses", {}).items():
                response = resolve(spec, response)
                for media_type, media in response.get("content", {}).items():
                    if "schema" not in media:
                        continue
                    examples = {}
                    if "example" in media:
                        examples["example"] = media["example"]
                    for name, example in media.get("examples", {}).items():
                        examples[name] = resolve(spec, example)["value"]
                    yield operation["operationId"], str(status), media_type, media["schema"], examples


def problems_of(check, body):
    return [
        f"at /{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in check.iter_errors(body)
    ]


def check_examples(paths):
    failures = []
    checked = 0
    for path in paths:
        document, _ = read_from_filename(path)
        validate_spec(document)
        print(f"{path}: a valid OpenAPI {document['openapi']} document (openapi-spec-validator)")
        spec = load(path)
        before = checked
        for operation, status, media_type, schema, examples in response_schemas(spec):
            check = validator(spec, schema)
            for name, value in examples.items():
                checked += 1
                for problem in problems_of(check, value):
                    failures.append(f"{path}: {operation} {status} {media_type} example {name!r} {problem}")
        print(f"  {checked - before} documented examples")
    for failure in failures:
        print(failure)
    print(f"{checked} documented examples checked strictly, {len(failures)} violations")
    return not failures


class Walk:
    """Fetches pages and checks each against its operation's 200 schema."""

    def __init__(self):
        self.pages = 0
        self.items = 0
        self.failures = []
        # (spec, pages, items) of each service walked, in order.
        self.services = []

    def get(self, url, headers, spec, check):
        request = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
            body = json.loads(response.read())
        self.pages += 1
        if status != 200:
            self.failures.append(f"{url}: answered {status}")
        for problem in problems_of(check, body):
            self.failures.append(f"{url}: {problem}")
        return body


def walk_spotify(walk, addresses):
    spotify = addresses["spotify"]
    base = spotify["base_url"]
    spec = load(SPOTIFY_SPEC)
    schemas = {op: schema for op, status, _, schema, _ in response_schemas(spec) if status == "200"}
    check = validator(spec, schemas["get_recently_played"])
    headers = {"Authorization": f"Bearer {spotify['access_token']}"}
    endpoint = f"{base}/me/player/recently-played"
    for limit in (1, 7, 20, 50):
        for first in (f"{endpoint}?limit={limit}", f"{endpoint}?after=0&limit={limit}"):
            url, seen = first, 0
            while url:
                page = walk.get(url, headers, spec, check)
                seen += len(page.get("items") or [])
                url = page.get("next")
            walk.items += seen
    # An empty page: after the newest play.
    newest = walk.get(f"{endpoint}?limit=1", headers, spec, check)["items"][0]["played_at"]
    millis = newest_millis(newest)
    walk.get(f"{endpoint}?after={millis}", headers, spec, check)


def newest_millis(played_at):
    from datetime import datetime

    return int(datetime.fromisoformat(played_at.replace("Z", "+00:00")).timestamp() * 1000)


def walk_amazon(walk, addresses):
    amazon = addresses["amazon_music"]
    base = amazon["base_url"]
    spec = load(AMAZON_SPEC)
    schemas = {op: schema for op, status, _, schema, _ in response_schemas(spec) if status == "200"}
    headers = {
        "Authorization": f"Bearer {amazon['access_token']}",
        "x-api-key": amazon["api_key"],
    }
    other = urllib.parse.quote(amazon["other_user_id"], safe="")
    walks = [
        ("get_recently_played_tracks", "/player/recentlyPlayed", "recentTrackPlayback", (1, 60)),
        ("get_my_recently_played_entities", "/me/recentlyPlayedEntities", "recentEntitiesPlayback", (1, 100)),
        (
            "get_user_recently_played_entities",
            f"/users/{other}/recentlyPlayedEntities",
            "recentEntitiesPlayback",
            (1, 100),
        ),
    ]
    for operation, path, connection, limits in walks:
        check = validator(spec, schemas[operation])
        for limit in (*limits, 33):
            cursor = None
            while True:
                query = {"limit": limit}
                if cursor is not None:
                    query["cursor"] = cursor
                page = walk.get(f"{base}{path}?{urllib.parse.urlencode(query)}", headers, spec, check)
                info = ((page.get("data") or {}).get("user") or {}).get(connection) or {}
                walk.items += len(info.get("edges") or [])
                page_info = info.get("pageInfo") or {}
                if not page_info.get("hasNextPage") or not page_info.get("token"):
                    break
                cursor = page_info["token"]


def walk_listenbrainz(walk, addresses):
    listenbrainz = addresses["listenbrainz"]
    base = listenbrainz["base_url"]
    spec = load(LISTENBRAINZ_SPEC)
    schemas = {op: schema for op, status, _, schema, _ in response_schemas(spec) if status == "200"}
    check = validator(spec, schemas["get_listens"])
    # Reading listens needs no token (the spec: "no token is needed"); validate-token reads one.
    public = {}
    signed_in = {"Authorization": f"Token {listenbrainz['access_token']}"}
    user = f"{base}/1/user/{urllib.parse.quote(listenbrainz['user_name'], safe='')}"
    endpoint = f"{user}/listens"

    def listens(**query):
        page = walk.get(f"{endpoint}?{urllib.parse.urlencode(query)}", public, spec, check)
        found = (page.get("payload") or {}).get("listens") or []
        walk.items += len(found)
        return page.get("payload") or {}, [listen["listened_at"] for listen in found]

    walk.get(f"{user}/listen-count", public, spec, validator(spec, schemas["get_listen_count"]))
    token_check = validator(spec, schemas["validate_token"])
    walk.get(f"{base}/1/validate-token", signed_in, spec, token_check)
    walk.get(f"{base}/1/validate-token", {"Authorization": "Token not-the-users"}, spec, token_check)

    payload, _ = listens()
    oldest, latest = payload["oldest_listen_ts"], payload["latest_listen_ts"]
    # Each walk moves its bound past the seconds of the page it read, so it ends; one that
    # cuts a second loses that second's other listens, which is no matter here: each page is
    # checked, not the walk's sum (.ci/peer_clients.py and the conformance suite check that).
    for count in (1, 7, 25, 100, 1000):
        # Back, newest first, by `max_ts`, from the newest listen.
        _, times = listens(count=count)
        while times:
            _, times = listens(count=count, max_ts=min(times))
        # Forward by `min_ts` alone, from a second before the oldest listen (the spec: "send
        # `min_ts >= oldest_listen_ts - 1`"), and with both bounds, which search no windows.
        for bounds in ({}, {"max_ts": latest + 1}):
            cursor = oldest - 1
            while True:
                _, times = listens(count=count, min_ts=cursor, **bounds)
                if not times:
                    break
                cursor = max(times)
    # Empty pages: before the oldest listen, and after the newest.
    listens(max_ts=oldest)
    listens(min_ts=latest)


# Every spec in specs/ and the walk of its service; check_walk fails on a spec without one.
WALKS = {
    SPOTIFY_SPEC: walk_spotify,
    AMAZON_SPEC: walk_amazon,
    LISTENBRAINZ_SPEC: walk_listenbrainz,
}


def check_walk(addresses_file):
    with open(addresses_file, encoding="utf-8") as file:
        addresses = json.load(file)
    walk = Walk()
    for spec in sorted(glob.glob("specs/*.yaml")):
        if spec not in WALKS:
            walk.failures.append(f"{spec}: no walk of its service (add one to WALKS)")
    for spec, walk_service in WALKS.items():
        pages, items = walk.pages, walk.items
        walk_service(walk, addresses)
        walk.services.append((spec, walk.pages - pages, walk.items - items))
    for failure in walk.failures:
        print(failure)
    for spec, pages, items in walk.services:
        print(f"  {spec}: {pages} pages ({items} plays)")
    print(
        f"full walk of the sandbox: {walk.pages} pages ({walk.items} plays) checked strictly, "
        f"{len(walk.failures)} violations"
    )
    return not walk.failures and all(pages > 0 for _, pages, _ in walk.services)


def main(argv):
    if len(argv) >= 2 and argv[0] == "examples":
        return 0 if check_examples(argv[1:]) else 1
    if len(argv) == 2 and argv[0] == "walk":
        return 0 if check_walk(argv[1]) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
