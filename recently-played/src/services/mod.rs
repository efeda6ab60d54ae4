//! The services the program reads, each a module that describes it ([`Service`]) and says
//! how to walk and sync it ([`Reader`](crate::service::Reader)), and the one list of them
//! that walk, login, logout, sync and export go through.

pub(crate) mod amazon;
pub(crate) mod listenbrainz;
pub(crate) mod spotify;

use crate::service::Service;

/// Every service the program reads, in the order it reads them.
pub(crate) const ALL: [&Service; 3] = [
    &spotify::SPOTIFY,
    &amazon::AMAZON_MUSIC,
    &listenbrainz::LISTENBRAINZ,
];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_describes_every_variable_it_reads_and_no_other() {
        for service in ALL {
            let mut read = service.variables();
            read.sort_unstable();
            let mut described: Vec<&str> = service
                .help
                .variables
                .iter()
                .map(|(name, _)| *name)
                .collect();
            described.sort_unstable();
            assert_eq!(read, described, "{}", service.name);
        }
    }

    #[test]
    fn no_two_services_share_a_name_or_a_variable() {
        // A service's key and command-line name may be one word; another's may not.
        let mut names: Vec<&str> = ALL
            .iter()
            .flat_map(|service| {
                let mut own = vec![service.name, service.key, service.command];
                own.dedup();
                own
            })
            .collect();
        let mut variables: Vec<&str> = ALL.iter().flat_map(|s| s.variables()).collect();
        for list in [&mut names, &mut variables] {
            let all = list.len();
            list.sort_unstable();
            list.dedup();
            assert_eq!(list.len(), all, "{list:?}");
        }
    }
}
