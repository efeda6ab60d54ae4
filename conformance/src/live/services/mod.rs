//! The services the live mode knows, as data: one module per service holds its
//! [`Description`] (names, variables, base URL, authorization server, its walk checks, how
//! its recorded responses decode and how its simulation is served), and [`Service::ALL`] is
//! the one list of them that the live mode, `conformance` and `conformance-sandbox` go
//! through. Nothing outside this folder matches on a service.
//!
//! Adding a service: its module (copy the one whose service takes an API key if it does),
//! and in this file a [`Service`] variant, its entry in [`Service::ALL`] and its arm in
//! [`Service::description`] (the compiler asks for the arm).

pub mod amazon_music;
mod description;
pub mod listenbrainz;
pub mod spotify;

use std::fmt;

pub use description::{
    AuthorizationServerAt, Boxed, Description, RefreshVariables, Served, Variables,
};

/// A service the live mode checks: the key of its [`Description`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// Spotify Web API, `GET /me/player/recently-played` ([`spotify`]).
    Spotify,
    /// Amazon Music Web API, the player history methods ([`amazon_music`]).
    AmazonMusic,
    /// ListenBrainz, a user's listens ([`listenbrainz`]).
    ListenBrainz,
}

impl Service {
    /// Every service, in the order they are checked.
    pub const ALL: [Service; 3] = [
        Service::Spotify,
        Service::AmazonMusic,
        Service::ListenBrainz,
    ];

    /// Everything the live mode knows of it.
    ///
    /// ```
    /// use conformance::live::Service;
    ///
    /// for service in Service::ALL {
    ///     let description = service.description();
    ///     assert_eq!(Service::from_key(description.key), Some(service));
    ///     assert!(description.variables.access_token.ends_with("_TOKEN"));
    /// }
    /// ```
    pub fn description(self) -> &'static Description {
        match self {
            Self::Spotify => &spotify::DESCRIPTION,
            Self::AmazonMusic => &amazon_music::DESCRIPTION,
            Self::ListenBrainz => &listenbrainz::DESCRIPTION,
        }
    }

    /// Its key in reports, recordings and the bounds file, and its `--service` name
    /// ([`Description::key`]).
    pub fn key(self) -> &'static str {
        self.description().key
    }

    /// Its name for people ([`Description::name`]).
    pub fn name(self) -> &'static str {
        self.description().name
    }

    /// Its spec's file stem (`specs/<api>.yaml`), also its client crate's name
    /// ([`Description::api`]).
    pub fn api(self) -> &'static str {
        self.description().api
    }

    /// The service with this key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|service| service.key() == key)
    }

    /// The variable that holds its access token ([`Variables::access_token`]).
    pub fn token_var(self) -> &'static str {
        self.description().variables.access_token
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::{Found, Options, credentials, run};

    #[test]
    fn keys_names_and_variables_are_each_one_service_s() {
        let mut seen = std::collections::BTreeSet::new();
        for service in Service::ALL {
            let d = service.description();
            for name in [d.key, d.name, d.api, d.default_base_url] {
                assert!(seen.insert(name), "{name} is named by two services");
            }
            for (variable, _) in d.variables.each() {
                assert!(seen.insert(variable), "{variable} is read by two services");
            }
            assert_eq!(
                d.authorization_server.is_some(),
                d.variables.refresh.is_some(),
                "{}: a refresh token needs an authorization server, and only it",
                d.key
            );
        }
    }

    /// Against its own simulation, reached through its own variables, each service's walk
    /// runs every check its description names (none left "not reached") and no other.
    #[test]
    fn each_service_s_walk_runs_the_checks_its_description_names_against_its_simulation() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        for service in Service::ALL {
            let d = service.description();
            let report = runtime.block_on(async {
                let served = (d.sandbox)(250, 2024).await;
                let env = d.variables.env(&served.entry, false);
                let env = |name: &str| {
                    env.iter()
                        .find(|(variable, _)| *variable == name)
                        .map(|(_, value)| value.clone())
                };
                let Found::Check(target) = credentials(service, env) else {
                    panic!("{service}: its simulation's credentials are not enough");
                };
                run(&[target], &Options::default()).await.report
            });
            for row in &report.rows {
                let named = d.checks.contains(&row.check.as_str())
                    || row.check.starts_with("bounds: ")
                    || crate::live::checks::ALWAYS.contains(&row.check.as_str());
                assert!(named, "{service}: {} is not in its checks", row.check);
                assert!(
                    !row.status.flags() && row.detail != "not reached",
                    "{service}: {row:?}"
                );
            }
        }
    }
}
