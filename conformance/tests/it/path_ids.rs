//! A user ID in `/users/{id}/recentlyPlayedEntities`, whatever it holds (any Unicode, reserved
//! characters, `/`, `?`, `#`, `%`, controls), arrives at the server as exactly one path
//! segment equal to itself — seen in the simulation's recorded requests — or, when it cannot,
//! is refused with `Error::InvalidParameter` and nothing is sent.
//!
//! The IDs that cannot are the ones the client documents: empty, `.` and `..` (URL parsers
//! remove dot segments) and any ID holding `\` (URL parsers read it as `/` in `http(s)` URLs,
//! and the generated code leaves it unescaped, so it cannot be sent as itself).

use crate::common;

use amazon_music_web_api::{Error, RetryPolicy, UserEntitiesQuery, UserId};
use common::*;
use music_history_sandbox::amazon::AmazonMusicUser;
use proptest::prelude::*;

/// IDs meant to break a path: the usual suspects, short mixes of reserved and special
/// characters, and arbitrary Unicode.
fn user_ids() -> impl Strategy<Value = String> {
    let suspects: Vec<String> = [
        "",
        ".",
        "..",
        "...",
        "./",
        "../",
        ".%2e",
        "%2e%2e",
        "a/b",
        "/",
        "//",
        "?",
        "#",
        "%",
        "%2F",
        "%252F",
        "%zz",
        "a?b=c#d",
        "\\",
        "a\\b",
        " ",
        "+",
        "é",
        "🎵",
        "\u{0}",
        "\u{7f}",
        "\n",
        ";",
        "@",
        ":",
        "[",
        "]",
        "|",
        "^",
        "{",
        "}",
        "`",
        "\"",
        "<",
        ">",
        "~",
        "&=",
        "*",
        "k35wo4lm34masdsadevrs7a",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    prop_oneof![
        2 => proptest::sample::select(suspects),
        3 => r"[./?#%\\ a-z0-9;:@&=+$,!*'()\[\]^|{}`\x22<>~é🎵\x00-\x1f\x7f]{0,8}",
        3 => any::<String>(),
    ]
}

/// Whether the client documents refusing `id`.
fn cannot_be_one_segment(id: &str) -> bool {
    matches!(id, "" | "." | "..") || id.contains('\\')
}

proptest! {
    #![proptest_config(config())]

    /// A user ID arrives as one path segment equal to itself (one request, the user's
    /// history back), or is refused with `InvalidParameter` and zero requests when it
    /// cannot be one; the same for a single page and for a walk.
    #[test]
    fn a_user_id_arrives_as_one_path_segment_equal_to_itself_or_is_refused_unsent(id in user_ids()) {
        prop_assume!(id != ME);
        let promised = "any path id arrives as one path segment equal to itself, \
                        or is refused with zero requests when it cannot be one";
        block_on(async {
            let plays = [
                EntitySpec { at: NEWEST_MS, kind: Kind::Known(ENTITY_TYPES[0]) },
                EntitySpec { at: NEWEST_MS - 1, kind: Kind::Known(ENTITY_TYPES[3]) },
            ];
            let mut user = AmazonMusicUser::new(&id, None);
            user.entities = entity_plays(&id, &plays);
            let sim = amazon_simulation(&[], &[], vec![user]).await;
            let client = amazon_client(&sim, RetryPolicy::none());

            // An ID that cannot be one segment never becomes a `UserId`, so no query, page
            // or walk can name it.
            let user = match UserId::new(id.as_str()) {
                Err(refused) => {
                    let error = Error::from(refused.clone());
                    promise(
                        cannot_be_one_segment(&id)
                            && refused.parameter == "id"
                            && refused.value == id
                            && matches!(error, Error::InvalidParameter(_))
                            && sim.requests().is_empty(),
                        promised,
                        || format!("id {id:?} was refused ({refused}) although it can be one segment"),
                    )?;
                    return Ok(());
                }
                Ok(user) => user,
            };
            promise(!cannot_be_one_segment(&id), promised, || {
                format!("id {id:?} was accepted although it cannot be sent as one segment")
            })?;
            let page = client.fetch(&UserEntitiesQuery::new(user.clone())).await;
            let mut history = client.history(UserEntitiesQuery::new(user));
            let walked = read_walk(&mut history, 10).await;
            let requests = sim.requests();

            let expected = vec![format!("{id}-play0"), format!("{id}-play1")];
            let edges = |page: &amazon_music_web_api::types::RecentlyPlayedEntitiesResponse| -> Vec<String> {
                page.edges().iter().map(|edge| edge.item().and_then(|edge| edge.id.clone()).unwrap_or_default()).collect()
            };
            promise(page.as_ref().map(edges).ok() == Some(expected.clone()), promised, || {
                format!("id {id:?}: the page call gave {:?}", page.as_ref().map(edges).map_err(ToString::to_string))
            })?;
            let walked_ids: Vec<String> = walked.items.iter().map(|edge| edge.id.clone().unwrap_or_default()).collect();
            promise(walked.error.is_none() && walked_ids == expected, promised, || {
                format!("id {id:?}: the walk gave {walked_ids:?} and {:?}", walked.error.as_ref().map(ToString::to_string))
            })?;
            let arrived: Vec<&[String]> = requests.iter().map(|r| r.path_segments.as_slice()).collect();
            let whole = ["v1", "users", id.as_str(), "recentlyPlayedEntities"];
            promise(arrived.len() == 2 && arrived.iter().all(|segments| *segments == whole), promised, || {
                format!(
                    "id {id:?}: expected two requests for {whole:?}, the simulation received {arrived:?} (raw: {:?})",
                    requests.iter().map(|r| r.path.as_str()).collect::<Vec<_>>()
                )
            })
        })?;
    }
}
