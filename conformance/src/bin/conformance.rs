//! `conformance --live`: the conformance gate against the real services (run it with
//! `cargo xtask conformance --live`). `--help` says it all.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance::live::{self, BoundsFile, Found, Options, Service};

/// The help, its services and their variables taken from [`Service::ALL`].
fn help() -> String {
    let names: Vec<&str> = Service::ALL.iter().map(|s| s.name()).collect();
    let mut environment = String::new();
    for service in Service::ALL {
        let description = service.description();
        environment.push_str(&format!(
            "    {} (--service {}; scope {}):\n",
            description.name, description.key, description.scope
        ));
        for (variable, what) in description.variables.each() {
            environment.push_str(&format!("        {variable:<30} {what}\n"));
        }
    }
    format!(
        "\
conformance --live: checks the real {services} services against the specs,
read-only, with the credentials the recently-played CLI reads, and writes a report.

USAGE:
    cargo xtask conformance --live [OPTIONS]

OPTIONS:
    --budget <N>        At most N requests per service (default {budget}). A service stops at
                        its first 429 whatever the budget.
    --service <NAME>    Only this service: {keys} (repeatable).
    --report <FILE>     The JSON report, one row per check (default
                        target/live-conformance.json).
    --record <DIR>      Also write every response, scrubbed, to DIR/<service>/, in the
                        form the offline suite replays (put a set under
                        conformance/recorded/ to make it a regression case).
    --bounds <FILE>     The bounds answers recorded before (default
                        conformance/live/bounds.json); a different answer is flagged.
    --update-bounds     Write this run's bounds answers to that file.
    -h, --help          Print this help.

ENVIRONMENT (a service without credentials is skipped, and said so): each service is
checked with an access token, else with a refresh token exchanged for one first (one
token request, outside the budget); ListenBrainz with a user token alone.
{environment}
EXIT STATUS:
    0 every check passed or was skipped; 1 a check failed or a recorded answer changed;
    2 a usage error, credentials that cannot be used or that a service refused.
",
        services = either(&names, "and"),
        keys = keys(),
        budget = live::DEFAULT_BUDGET,
    )
}

/// The keys of every service, the last after `or`.
fn keys() -> String {
    let keys: Vec<&str> = Service::ALL.iter().map(|s| s.key()).collect();
    either(&keys, "or")
}

/// `a`, `a and b`, `a, b and c`.
fn either(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [first @ .., last] => format!("{} {and} {last}", first.join(", ")),
    }
}

/// What the command line asked for.
struct Args {
    options: Options,
    services: Vec<Service>,
    report: PathBuf,
    bounds: PathBuf,
    update_bounds: bool,
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut live = false;
    let mut parsed = Args {
        options: Options::default(),
        services: Vec::new(),
        report: PathBuf::from("target/live-conformance.json"),
        bounds: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/live/bounds.json")),
        update_bounds: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--live" => live = true,
            "--budget" => {
                let budget = value("--budget")?;
                parsed.options.budget = budget
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--budget {budget}: not a positive number"))?;
            }
            "--service" => {
                let name = value("--service")?;
                parsed.services.push(
                    Service::from_key(&name)
                        .ok_or_else(|| format!("--service {name}: {}", keys()))?,
                );
            }
            "--report" => parsed.report = value("--report")?.into(),
            "--record" => parsed.options.record = Some(value("--record")?.into()),
            "--bounds" => parsed.bounds = value("--bounds")?.into(),
            "--update-bounds" => parsed.update_bounds = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if !live {
        return Err("only the live mode exists: pass --live".into());
    }
    if parsed.services.is_empty() {
        parsed.services = Service::ALL.to_vec();
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args = match parse(&args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Err(usage) => {
            eprintln!("conformance: {usage}; see --help.");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("conformance: cannot start a runtime: {e}.");
            return ExitCode::from(2);
        }
    };
    let mut targets = Vec::new();
    let mut unusable = false;
    for service in &args.services {
        match live::credentials(*service, |name| std::env::var(name).ok()) {
            Found::Check(target) => targets.push(target),
            // One token request: not an API request, so outside the budget.
            Found::Refresh(refresh) => match runtime.block_on(refresh.access_token()) {
                Ok(target) => targets.push(target),
                Err(sentence) => {
                    eprintln!("{sentence}");
                    unusable = true;
                }
            },
            Found::Skip(why) => println!("{service}: skipped: {why}."),
            Found::Invalid(sentence) => {
                eprintln!("{sentence}");
                unusable = true;
            }
        }
    }
    if unusable {
        return ExitCode::from(2);
    }
    if targets.is_empty() {
        println!("Nothing to check: no service has credentials (see --help).");
        return ExitCode::SUCCESS;
    }
    args.options.bounds = match BoundsFile::load(&args.bounds) {
        Ok(bounds) => bounds,
        Err(e) => {
            eprintln!("conformance: {e}.");
            return ExitCode::from(2);
        }
    };
    let outcome = runtime.block_on(live::run(&targets, &args.options));
    print!("{}", outcome.report.table());
    let requests: Vec<String> = outcome
        .requests
        .iter()
        .map(|(service, n)| format!("{service} {n}"))
        .collect();
    println!("Requests sent: {}.", requests.join(", "));
    let mut status = if outcome.report.flagged() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    if let Some(parent) = args.report.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(parent);
    }
    match serde_json::to_string_pretty(&outcome.report) {
        Ok(json) => match std::fs::write(&args.report, json + "\n") {
            Ok(()) => println!("Report: {}.", args.report.display()),
            Err(e) => {
                eprintln!("conformance: cannot write {}: {e}.", args.report.display());
                status = ExitCode::from(2);
            }
        },
        Err(e) => eprintln!("conformance: cannot encode the report: {e}."),
    }
    if let Some(dir) = &args.options.record {
        println!("Recorded: {}.", dir.display());
    }
    if args.update_bounds {
        let mut bounds = args.options.bounds.clone();
        for (service, answers) in &outcome.answers {
            bounds.merge(service, answers);
        }
        match bounds.save(&args.bounds) {
            Ok(()) => println!("Bounds answers written to {}.", args.bounds.display()),
            Err(e) => {
                eprintln!("conformance: {e}.");
                status = ExitCode::from(2);
            }
        }
    }
    for sentence in &outcome.report.errors {
        eprintln!("{sentence}");
        status = ExitCode::from(2);
    }
    status
}
