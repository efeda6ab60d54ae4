//! Writing a generated file, or checking that the committed one is current.

use std::path::Path;

/// Whether `regen` may write files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Rewrite files whose contents differ.
    Write,
    /// Write nothing; report files whose contents differ.
    Check,
}

/// What happened to one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The file already had the expected contents.
    UpToDate,
    /// The file was rewritten (only in [`Mode::Write`]).
    Written,
    /// The file differs from the expected contents (only in [`Mode::Check`]).
    Stale {
        /// A unified diff from the committed file to the expected one.
        diff: String,
    },
}

/// Makes `path` hold `expected`, or in [`Mode::Check`] reports how it differs.
///
/// Line endings are normalised before comparing, so a checkout with CRLF endings is not
/// reported as drift.
pub fn ensure_file_contents(path: &Path, expected: &str, mode: Mode) -> Result<Outcome, String> {
    let committed = match std::fs::read_to_string(path) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if committed.as_deref() == Some(expected) {
        return Ok(Outcome::UpToDate);
    }
    match mode {
        Mode::Write => {
            std::fs::write(path, expected)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("regenerated {}", path.display());
            Ok(Outcome::Written)
        }
        Mode::Check => {
            let committed = committed.unwrap_or_default();
            let diff = similar::TextDiff::from_lines(committed.as_str(), expected)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{} (committed)", path.display()),
                    &format!("{} (from the spec)", path.display()),
                )
                .to_string();
            Ok(Outcome::Stale { diff })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_mode_reports_a_diff_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-ensure-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("generated.rs");
        std::fs::write(&file, "fn old() {}\n").unwrap();

        let outcome = ensure_file_contents(&file, "fn new() {}\n", Mode::Check).unwrap();
        let Outcome::Stale { diff } = outcome else {
            panic!("a differing file must be reported stale, got {outcome:?}");
        };
        assert!(
            diff.contains("-fn old() {}") && diff.contains("+fn new() {}"),
            "{diff}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "fn old() {}\n");

        let written = ensure_file_contents(&file, "fn new() {}\n", Mode::Write).unwrap();
        assert_eq!(written, Outcome::Written);
        let again = ensure_file_contents(&file, "fn new() {}\n", Mode::Check).unwrap();
        assert_eq!(again, Outcome::UpToDate);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn crlf_checkouts_are_not_drift() {
        let dir = std::env::temp_dir().join(format!("xtask-crlf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("generated.rs");
        std::fs::write(&file, "a\r\nb\r\n").unwrap();
        assert_eq!(
            ensure_file_contents(&file, "a\nb\n", Mode::Check).unwrap(),
            Outcome::UpToDate
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
