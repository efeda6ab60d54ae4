//! The services the program reads, each a module that describes it ([`Service`]) and says
//! how to walk and sync it ([`Reader`](crate::service::Reader)), and the one list of them
//! that walk, login, logout, sync and export go through.

pub(crate) mod amazon;
pub(crate) mod spotify;

use crate::service::Service;

/// Every service the program reads, in the order it reads them.
pub(crate) const ALL: [&Service; 2] = [&spotify::SPOTIFY, &amazon::AMAZON_MUSIC];

/// The service whose `key` (`spotify`, `amazon_music`) or command-line name
/// (`amazon-music`) is `name`.
pub(crate) fn named(name: &str) -> Option<&'static Service> {
    ALL.into_iter()
        .find(|service| service.key == name || service.command == name)
}

/// The services' command-line names: `spotify`, `amazon-music`.
pub(crate) fn commands() -> Vec<&'static str> {
    ALL.iter().map(|service| service.command).collect()
}
