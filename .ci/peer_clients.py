"""Clients this project did not write, against the sandbox: spotipy and tekore sign in to the
sandbox's Spotify accounts service, refresh, and walk the whole history; liblistenbrainz walks
the ListenBrainz listens and checks the token; so that the sandbox stays usable by the tools
people point at it.

    python peer_clients.py ADDRESSES_JSON

ADDRESSES_JSON is what `recently-played --serve --json` printed. The accounts service is
served at the root of the API's port (the API's base URL without `/v1`); the sandbox's one
app is `sandbox-spotify-client` (secret `sandbox-spotify-secret`), which consents at once.
Each client runs unmodified: spotipy with its URLs pointed at the sandbox, tekore with a
sender that sends what it addresses to api.spotify.com and accounts.spotify.com to the
sandbox instead.

For each client: a PKCE sign-in (authorize, the redirect's code, the token exchange), a PKCE
refresh (a new refresh token, the old one spent), a refresh with the app's secret (answered
without a refresh token: the client must keep the one it has, and use it again), and a walk
back through every play with the client's own paging, decoded by the client's own models
(tekore's are typed: local files, `null` contexts and `cursors` included). Exits 1 on the
first failure.

liblistenbrainz runs unmodified too, its API root given to its constructor (`api_base_url`,
which it joins with each method's path): it checks the token the sandbox printed as its own
`set_auth_token` does (validate-token; 0.7.0 has no `is_token_valid`), refuses another, reads
the listen count, and walks the listens back from the newest with `get_listens(max_ts=...)`,
one second of overlap and duplicates dropped, as the spec advises a client whose page may cut
a second. What it reads must be what the sandbox serves (read with plain HTTP): every listen
once, newest first, each field as sent.
"""

import json
import sys
import traceback
from importlib import metadata
import urllib.parse

import requests

CLIENT_ID = "sandbox-spotify-client"
CLIENT_SECRET = "sandbox-spotify-secret"
REDIRECT_URI = "http://127.0.0.1:8888/callback"
SCOPE = "user-read-recently-played"


def consent(authorize_url):
    """The browser's part: the sandbox consents at once; returns the redirect's URL."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=30)
    assert response.status_code in (302, 303), (response.status_code, response.text)
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI), location
    return location


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def spotipy_run(api_base, accounts, plays):
    import spotipy
    from spotipy.cache_handler import MemoryCacheHandler

    def point(auth):
        auth.OAUTH_AUTHORIZE_URL = f"{accounts}/authorize"
        auth.OAUTH_TOKEN_URL = f"{accounts}/api/token"
        return auth

    # PKCE: sign in, refresh (rotated), and walk.
    pkce = point(
        spotipy.SpotifyPKCE(
            client_id=CLIENT_ID,
            redirect_uri=REDIRECT_URI,
            scope=SCOPE,
            open_browser=False,
            cache_handler=MemoryCacheHandler(),
        )
    )
    code = pkce.parse_response_code(consent(pkce.get_authorize_url()))
    pkce.get_access_token(code, check_cache=False)
    token = pkce.cache_handler.get_cached_token()
    check(token.get("refresh_token"), f"spotipy (PKCE): no refresh token in {token}")
    refreshed = pkce.refresh_access_token(token["refresh_token"])
    check(
        refreshed["refresh_token"] != token["refresh_token"],
        "spotipy (PKCE): the refresh token was not rotated",
    )

    client = spotipy.Spotify(auth_manager=pkce, retries=0, status_retries=0)
    client.prefix = f"{api_base}/"
    page = client.current_user_recently_played(limit=50)
    walked = []
    while page:
        walked.extend(page["items"])
        page = client.next(page)
    check(
        len(walked) == plays,
        f"spotipy: walked {len(walked)} plays, the sandbox serves {plays}",
    )
    times = [item["played_at"] for item in walked]
    check(times == sorted(times, reverse=True), "spotipy: the plays are not newest first")
    check(
        any(item["track"]["is_local"] for item in walked),
        "spotipy: no local file in the walk",
    )
    empty = client.current_user_recently_played(after=epoch_millis(times[0]))
    check(
        empty["items"] == [] and empty["cursors"] is None,
        f"spotipy: after the newest play, {empty}",
    )

    # With the secret: the refresh comes back without a refresh token, and spotipy keeps
    # the one it has.
    confidential = point(
        spotipy.SpotifyOAuth(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT_URI,
            scope=SCOPE,
            open_browser=False,
            cache_handler=MemoryCacheHandler(),
        )
    )
    code = confidential.parse_response_code(consent(confidential.get_authorize_url()))
    confidential.get_access_token(code, as_dict=False, check_cache=False)
    kept = confidential.cache_handler.get_cached_token()["refresh_token"]
    for _ in range(2):
        refreshed = confidential.refresh_access_token(kept)
        check(
            refreshed["refresh_token"] == kept,
            "spotipy (secret): the refresh token it had was not kept",
        )
    client = spotipy.Spotify(auth_manager=confidential, retries=0, status_retries=0)
    client.prefix = f"{api_base}/"
    check(
        len(client.current_user_recently_played(limit=5)["items"]) == 5,
        "spotipy (secret): the refreshed token does not read the history",
    )
    print(f"spotipy {metadata.version('spotipy')}: PKCE sign-in and refresh, refresh with the secret "
          f"(refresh token kept), {len(walked)} plays walked")


def tekore_run(api_base, accounts, plays):
    import tekore as tk

    api_origin = "https://api.spotify.com/v1"
    accounts_origin = "https://accounts.spotify.com"

    class ToTheSandbox(tk.SyncSender):
        """Sends what tekore addresses to Spotify to the sandbox instead."""

        def send(self, request):
            if request.url.startswith(api_origin):
                request.url = api_base + request.url[len(api_origin):]
            elif request.url.startswith(accounts_origin):
                request.url = accounts + request.url[len(accounts_origin):]
            return super().send(request)

    sender = ToTheSandbox()
    sandbox_authorize = lambda url: url.replace(accounts_origin, accounts, 1)  # noqa: E731

    # PKCE: sign in, refresh (rotated).
    credentials = tk.Credentials(CLIENT_ID, redirect_uri=REDIRECT_URI, sender=sender)
    url, verifier = credentials.pkce_user_authorisation(scope=SCOPE)
    code = tk.parse_code_from_url(consent(sandbox_authorize(url)))
    token = credentials.request_pkce_token(code, verifier)
    check(token.uses_pkce and token.refresh_token, "tekore (PKCE): no refresh token")
    refreshed = credentials.refresh(token)
    check(
        refreshed.refresh_token != token.refresh_token,
        "tekore (PKCE): the refresh token was not rotated",
    )

    # With the secret: the refresh comes back without a refresh token; tekore keeps its own.
    confidential = tk.Credentials(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, sender=sender)
    url = confidential.user_authorisation_url(scope=SCOPE)
    code = tk.parse_code_from_url(consent(sandbox_authorize(url)))
    token = confidential.request_user_token(code)
    kept = token.refresh_token
    for _ in range(2):
        token = confidential.refresh(token)
        check(token.refresh_token == kept, "tekore (secret): the refresh token was not kept")

    # The walk, with tekore's sender and its token, each page and each play decoded by
    # tekore's typed models. tekore 6.2 types a played track as a full track with every
    # member of Spotify's reference, and a context with an `href`, so it refuses three
    # shapes the spec documents: a local file (`"album_type": null`; tekore expects none in
    # the history, where Spotify does not list local files: spotify/web-api #1533), a track
    # as apps in Development Mode receive it since February 2026 (no `popularity`), and a
    # context with no Web API link (the sandbox's Liked Songs). Every other play must
    # decode.
    headers = {"Authorization": f"Bearer {token.access_token}"}
    url = f"{api_origin}/me/player/recently-played?limit=50"
    walked, local, development_mode, no_link, others = 0, 0, 0, 0, []
    while url:
        page = sender.send(tk.Request("GET", url, headers=headers)).content
        tk.model.PlayHistoryPaging(**{**page, "items": []})
        for item in page["items"]:
            walked += 1
            try:
                tk.model.PlayHistory(**item)
            except (ValueError, AttributeError) as error:
                # A pydantic ValidationError, or tekore's enum lookup failing on `None`.
                if item["track"]["is_local"]:
                    local += 1
                elif "popularity" not in item["track"]:
                    development_mode += 1
                elif item["context"] is not None and item["context"].get("href") is None:
                    no_link += 1
                else:
                    others.append((item, str(error)[:500]))
        url = page["next"]
    check(walked == plays, f"tekore: walked {walked} plays, the sandbox serves {plays}")
    check(not others, f"tekore: refused {len(others)} other plays, first: {others[:1]}")
    decoded = walked - local - development_mode - no_link
    check(decoded > 0, "tekore: decoded no play at all")
    empty = sender.send(
        tk.Request("GET", f"{api_origin}/me/player/recently-played?after=9999999999999", headers=headers)
    ).content
    paging = tk.model.PlayHistoryPaging(**empty)
    check(paging.items == [] and paging.cursors is None, f"tekore: an empty page, {empty}")
    print(f"tekore {tk.__version__}: PKCE sign-in and refresh, refresh with the secret "
          f"(refresh token kept), {walked} plays walked, {decoded} decoded by its models; "
          f"refused as expected: {local} local files, {development_mode} Development Mode "
          f"tracks (no popularity), {no_link} contexts without href")


def epoch_millis(played_at):
    from datetime import datetime

    return int(datetime.fromisoformat(played_at.replace("Z", "+00:00")).timestamp() * 1000)


def liblistenbrainz_run(listenbrainz):
    import liblistenbrainz
    from liblistenbrainz import errors

    base, token, user = listenbrainz["base_url"], listenbrainz["access_token"], listenbrainz["user_name"]
    served = served_listens(base, user)
    client = liblistenbrainz.ListenBrainz(api_base_url=base)

    # The token: valid (its `set_auth_token` asks validate-token), and another refused.
    client.set_auth_token(token)
    try:
        liblistenbrainz.ListenBrainz(api_base_url=base).set_auth_token(f"not-{token}")
    except errors.InvalidAuthTokenException:
        pass
    else:
        raise AssertionError("liblistenbrainz: another token was taken as valid")
    check(
        client.get_user_listen_count(user) == len(served),
        f"liblistenbrainz: the listen count is not the {len(served)} listens the sandbox serves",
    )
    try:
        client.get_listens(f"{user}-nobody")
    except errors.ListenBrainzAPIException as error:
        check(error.status_code == 404, f"liblistenbrainz: an unknown user, {error.status_code}")
    else:
        raise AssertionError("liblistenbrainz: an unknown user's listens were read")

    by_key = {(listen["listened_at"], listen["recording_msid"]): listen for listen in served}
    check(len(by_key) == len(served), "the sandbox serves a listen twice")
    for count in (3, 25, 100):
        walked, pages = walk_back(client, user, count, len(served))
        check(
            len(walked) == len(served),
            f"liblistenbrainz: walked {len(walked)} listens by {count}, the sandbox serves {len(served)}",
        )
        times = [listen.listened_at for listen in walked]
        check(times == sorted(times, reverse=True), "liblistenbrainz: the listens are not newest first")
        mismatches = [problem for listen in walked for problem in as_served(listen, by_key)]
        check(not mismatches, f"liblistenbrainz: {len(mismatches)} fields differ, first: {mismatches[:3]}")
        print(f"liblistenbrainz {metadata.version('liblistenbrainz')}: {len(walked)} listens walked "
              f"newest first in {pages} pages of {count} by max_ts, each as served")
    mapped = sum(1 for listen in served if "mbid_mapping" in listen["track_metadata"])
    seconds = {}
    for listen in served:
        seconds[listen["listened_at"]] = seconds.get(listen["listened_at"], 0) + 1
    shared = sum(1 for listens in seconds.values() if listens > 1)
    print(f"liblistenbrainz {metadata.version('liblistenbrainz')}: the token checked (another "
          f"refused), the listen count, an unknown user's 404; of the listens, {mapped} mapped "
          f"to MusicBrainz, {shared} seconds holding more than one")


def walk_back(client, user, count, served):
    """The listens read back from the newest with liblistenbrainz, `count` a page: each page
    before the oldest second of the last, that second included (its other listens may be on
    the next page), duplicates dropped. A page with nothing new ends the walk, unless it is
    full: then its one second holds a page of listens, and the walk steps past it (any it
    could not read then shows in the total). Returns the listens and the pages read."""
    walked, seen, pages = [], set(), 0
    page = client.get_listens(user, count=count)
    while True:
        pages += 1
        check(pages <= served + 2, "liblistenbrainz: the walk does not end")
        times = [listen.listened_at for listen in page]
        check(times == sorted(times, reverse=True), "liblistenbrainz: a page is not newest first")
        new = [listen for listen in page if (listen.listened_at, listen.recording_msid) not in seen]
        walked.extend(new)
        seen.update((listen.listened_at, listen.recording_msid) for listen in new)
        if new:
            page = client.get_listens(user, max_ts=min(times) + 1, count=count)
        elif len(page) == count:
            page = client.get_listens(user, max_ts=min(times), count=count)
        else:
            return walked, pages


def as_served(listen, by_key):
    """How a listen liblistenbrainz decoded differs from the listen the sandbox served."""
    key = (listen.listened_at, listen.recording_msid)
    served = by_key.get(key)
    if served is None:
        return [f"{key}: not served"]
    track = served["track_metadata"]
    info = track.get("additional_info", {})
    # Each field of liblistenbrainz's Listen, and where its `_convert_api_payload_to_listen`
    # takes it from. (Its `username` reads a `username` the API does not send; the listen's
    # user is `user_name`. So it is None, and not compared.)
    decoded = {
        "track_name": (listen.track_name, track["track_name"]),
        "artist_name": (listen.artist_name, track["artist_name"]),
        "release_name": (listen.release_name, track.get("release_name")),
        "recording_mbid": (listen.recording_mbid, info.get("recording_mbid")),
        "artist_mbids": (listen.artist_mbids, info.get("artist_mbids", [])),
        "release_mbid": (listen.release_mbid, info.get("release_mbid")),
        "tracknumber": (listen.tracknumber, info.get("tracknumber")),
        "spotify_id": (listen.spotify_id, info.get("spotify_id")),
        "isrc": (listen.isrc, info.get("isrc")),
        "listening_from": (listen.listening_from, info.get("listening_from")),
        "additional_info": (listen.additional_info, info),
    }
    return [
        f"{key}: {field} {read!r} != {sent!r}"
        for field, (read, sent) in decoded.items()
        if read != sent
    ]


def served_listens(base, user):
    """Every listen the sandbox serves, newest first, read with plain HTTP: oldest first
    with both bounds (one exact query each, no search windows), a second of overlap, and
    duplicates dropped."""
    endpoint = f"{base}/1/user/{urllib.parse.quote(user, safe='')}/listens"
    first = requests.get(endpoint, params={"count": 1}, timeout=30).json()["payload"]
    if not first["listens"]:
        return []
    cursor, upper = first["oldest_listen_ts"] - 1, first["latest_listen_ts"] + 1
    listens, seen = [], set()
    while True:
        page = requests.get(
            endpoint, params={"min_ts": cursor, "max_ts": upper, "count": 1000}, timeout=30
        ).json()["payload"]["listens"]
        new = [listen for listen in page if (listen["listened_at"], listen["recording_msid"]) not in seen]
        if not new:
            break
        listens.extend(new)
        seen.update((listen["listened_at"], listen["recording_msid"]) for listen in new)
        cursor = max(listen["listened_at"] for listen in page) - 1
    return sorted(listens, key=lambda listen: listen["listened_at"], reverse=True)


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as file:
        addresses = json.load(file)
    api_base = addresses["spotify"]["base_url"]
    check(api_base.endswith("/v1"), api_base)
    accounts = api_base[: -len("/v1")]
    plays = count_plays(api_base, addresses["spotify"]["access_token"])
    runs = [
        (spotipy_run, (api_base, accounts, plays)),
        (tekore_run, (api_base, accounts, plays)),
        (liblistenbrainz_run, (addresses["listenbrainz"],)),
    ]
    failures = 0
    for run, args in runs:
        try:
            run(*args)
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failures += 1
            print(f"{run.__name__} failed:")
            traceback.print_exc(file=sys.stdout)
    return 1 if failures else 0


def count_plays(api_base, token):
    """The number of plays the sandbox serves, counted with plain HTTP."""
    url, count = f"{api_base}/me/player/recently-played?limit=50", 0
    while url:
        page = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        count += len(page["items"])
        url = page["next"]
    return count


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
