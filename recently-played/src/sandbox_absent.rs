//! What stands in for the built-in sandbox in a build without the feature `sandbox`: every
//! use of it is refused in one sentence, and the binary links no simulation.

use std::process::ExitCode;

use crate::credentials::Credentials;
use crate::service::{Service, Target};

/// Why nothing here works.
const ABSENT: &str = "this recently-played was built without its sandbox (cargo feature \
                      `sandbox`): configure a service (see --help), or build it with the \
                      default features";

/// Refused: there is no simulation to start.
pub(crate) async fn target(_service: &Service) -> Result<Target, String> {
    Err(ABSENT.to_string())
}

/// Refused: a base URL without credentials would be sent the sandbox's.
pub(crate) fn fixed_credentials(
    service: &Service,
) -> Result<(Credentials, Option<String>), String> {
    Err(format!(
        "{} is set but no credentials are, and {ABSENT}",
        service.base_url_var
    ))
}

/// Never shown: no target is a sandbox in this build.
pub(crate) fn banner(_services: &[&str]) -> String {
    String::new()
}

/// `--serve`: refused.
pub(crate) async fn serve(_json: bool) -> ExitCode {
    eprintln!("recently-played: {ABSENT}.");
    ExitCode::from(2)
}
