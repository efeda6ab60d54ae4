//! Which services a run reads, and where: the built-in sandbox for all of them, or the
//! services the user configured and no other. Real and simulated plays never meet: with
//! any service configured, one that is not is skipped (and said so) rather than simulated.

use crate::env_var;
use crate::service::{Service, Target};
use crate::services;
use crate::token_file;

/// Each service's target for this run, in [`services::ALL`]'s order: `Ok(None)` when it is
/// skipped, a sentence when its configuration cannot work.
pub(crate) struct Targets {
    pub(crate) services: Vec<(&'static Service, Result<Option<Target>, String>)>,
    /// Whether this run reads the built-in sandbox.
    pub(crate) sandbox: bool,
}

/// Whether anything points `service` at the user's own account or a server of their
/// choice: a token or a base URL in the environment, or a sign-in stored by `login`.
pub(crate) fn is_configured(service: &Service) -> bool {
    [service.token_var, service.base_url_var]
        .into_iter()
        .chain(service.authorization.configuring_variables())
        .any(|var| env_var(var).is_some())
        || token_file::path(service.key).is_ok_and(|path| path.exists())
}

/// The targets of a run: the sandbox for every service when `sandbox_asked` or when no
/// service is configured; otherwise each configured service, and the others skipped with
/// a line on stderr saying so.
pub(crate) async fn choose(sandbox_asked: bool) -> Targets {
    let sandbox = sandbox_asked || !services::ALL.iter().any(|service| is_configured(service));
    let wanted = |service: &Service| sandbox || is_configured(service);
    let found = futures_util::future::join_all(services::ALL.map(|service| async move {
        match wanted(service) {
            true => service.reader.target(sandbox).await.map(Some),
            false => Ok(None),
        }
    }))
    .await;
    for service in services::ALL.into_iter().filter(|service| !wanted(service)) {
        eprintln!(
            "{}: not configured, skipped (the built-in sandbox stands in only when no \
             service is configured, so that simulated plays never join yours; sign in \
             with `recently-played login {}`).",
            service.name, service.command
        );
    }
    Targets {
        services: services::ALL.into_iter().zip(found).collect(),
        sandbox,
    }
}

impl Targets {
    /// The names of the services read from the sandbox, for its banner.
    pub(crate) fn sandboxed(&self) -> Vec<&'static str> {
        self.services
            .iter()
            .filter(|(_, target)| {
                target
                    .as_ref()
                    .is_ok_and(|t| t.as_ref().is_some_and(Target::is_sandbox))
            })
            .map(|(service, _)| service.name)
            .collect()
    }
}
