//! Where the export's history files are: the zip Spotify sends, the folder it unpacks to,
//! or one of its files; each file read as a stream (an entry of the zip is inflated as it
//! is read), never whole.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Which export a history file belongs to, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generation {
    /// "Extended streaming history": `Streaming_History_Audio_*.json`, or the older
    /// `endsong_*.json`.
    Extended,
    /// The shorter "account data": `StreamingHistory_music_*.json` (older:
    /// `StreamingHistoryN.json`), the last year only, without URIs.
    AccountData,
}

impl Generation {
    /// The generation of the file named `name` (its last path component), if it holds
    /// listening history this program imports.
    pub(crate) fn of(name: &str) -> Option<Self> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = name.strip_suffix(".json")?;
        if stem.starts_with("Streaming_History_Audio_") || stem.starts_with("endsong_") {
            Some(Self::Extended)
        } else if stem.starts_with("StreamingHistory_music_")
            || stem
                .strip_prefix("StreamingHistory")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(Self::AccountData)
        } else {
            None
        }
    }
}

/// One history file of the export.
#[derive(Clone, Debug)]
pub(crate) struct HistoryFile {
    /// Its name as the user sees it: the path, or `zip path:entry`.
    pub(crate) shown: String,
    /// Its size, uncompressed (for the progress bar).
    pub(crate) size: u64,
    pub(crate) generation: Option<Generation>,
    at: Place,
}

#[derive(Clone, Debug)]
enum Place {
    Path(PathBuf),
    Entry(usize),
}

/// The export, opened.
pub(crate) struct Export {
    zip: Option<zip::ZipArchive<BufReader<File>>>,
    /// Its history files in the order they are imported (by name: oldest first, as
    /// Spotify numbers them).
    pub(crate) files: Vec<HistoryFile>,
    /// Account data files left out because the extended history is there too.
    pub(crate) left_out: Vec<String>,
}

/// Why the export could not be read at all.
#[derive(Debug)]
pub(crate) enum SourceError {
    /// The path could not be read.
    Unreadable { path: PathBuf, reason: String },
    /// Neither a zip nor a folder nor a JSON file holding Spotify's history.
    NoHistory { path: PathBuf },
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable { path, reason } => {
                write!(f, "cannot read {}: {reason}", path.display())
            }
            Self::NoHistory { path } => write!(
                f,
                "{} holds no Spotify listening history: expected the zip Spotify sends, the \
                 folder it unpacks to, or one of its files (Streaming_History_Audio_*.json, \
                 endsong_*.json, or StreamingHistory_music_*.json)",
                path.display()
            ),
        }
    }
}

impl Export {
    /// Opens the export at `path`: a `.zip`, a folder (searched to any depth), or one
    /// `.json` file, imported whatever its name.
    pub(crate) fn open(path: &Path) -> Result<Self, SourceError> {
        let unreadable = |e: &dyn std::fmt::Display| SourceError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let metadata = std::fs::metadata(path).map_err(|e| unreadable(&e))?;
        let mut export = if metadata.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found).map_err(|e| unreadable(&e))?;
            let files = found.into_iter().map(|(path, size)| {
                let shown = path.display().to_string();
                (shown.clone(), shown, size, Place::Path(path))
            });
            Self::of(None, files)
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let file = File::open(path).map_err(|e| unreadable(&e))?;
            let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| unreadable(&e))?;
            let mut entries = Vec::new();
            for index in 0..zip.len() {
                let entry = zip.by_index_raw(index).map_err(|e| unreadable(&e))?;
                if entry.is_file() {
                    let name = entry.name().map_err(|e| unreadable(&e))?.into_owned();
                    let shown = format!("{}:{name}", path.display());
                    entries.push((shown, name, entry.size(), Place::Entry(index)));
                }
            }
            Self::of(Some(zip), entries.into_iter())
        } else {
            let size = metadata.len();
            let shown = path.display().to_string();
            let generation = Generation::of(&shown);
            Self {
                zip: None,
                files: vec![HistoryFile {
                    shown,
                    size,
                    // A file named otherwise is read as either: each row says which.
                    generation,
                    at: Place::Path(path.to_path_buf()),
                }],
                left_out: Vec::new(),
            }
        };
        if export.files.is_empty() {
            return Err(SourceError::NoHistory {
                path: path.to_path_buf(),
            });
        }
        export.files.sort_by(|a, b| a.shown.cmp(&b.shown));
        Ok(export)
    }

    /// The history files among `entries` (shown as, named, size, where); the account data left out where the extended
    /// history is there too, since it repeats the extended history's last year, with
    /// less.
    fn of(
        zip: Option<zip::ZipArchive<BufReader<File>>>,
        entries: impl Iterator<Item = (String, String, u64, Place)>,
    ) -> Self {
        let mut files: Vec<HistoryFile> = entries
            .filter_map(|(shown, name, size, at)| {
                Generation::of(&name).map(|generation| HistoryFile {
                    shown,
                    size,
                    generation: Some(generation),
                    at,
                })
            })
            .collect();
        let mut left_out = Vec::new();
        if files
            .iter()
            .any(|f| f.generation == Some(Generation::Extended))
        {
            files.retain(|f| {
                let keep = f.generation == Some(Generation::Extended);
                if !keep {
                    left_out.push(f.shown.clone());
                }
                keep
            });
        }
        Self {
            zip,
            files,
            left_out,
        }
    }

    /// The bytes of `file`, read as they are asked for.
    pub(crate) fn read(&mut self, file: &HistoryFile) -> std::io::Result<Box<dyn Read + '_>> {
        match (&file.at, &mut self.zip) {
            (Place::Path(path), _) => Ok(Box::new(File::open(path)?)),
            (Place::Entry(index), Some(zip)) => Ok(Box::new(
                zip.by_index(*index).map_err(std::io::Error::other)?,
            )),
            (Place::Entry(_), None) => Err(std::io::Error::other("no zip is open")),
        }
    }
}

/// Every file under `folder`, to any depth, with its size.
fn walk(folder: &Path, found: &mut Vec<(PathBuf, u64)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), found)?;
        } else if kind.is_file() {
            found.push((entry.path(), entry.metadata()?.len()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_generation_is_known_by_its_file_name_and_other_files_are_not_history() {
        for (name, generation) in [
            (
                "Spotify Extended Streaming History/Streaming_History_Audio_2019-2021_0.json",
                Some(Generation::Extended),
            ),
            ("MyData/endsong_3.json", Some(Generation::Extended)),
            (
                "MyData/StreamingHistory_music_0.json",
                Some(Generation::AccountData),
            ),
            ("StreamingHistory12.json", Some(Generation::AccountData)),
            ("Streaming_History_Video_2020.json", None),
            ("StreamingHistory_podcast_0.json", None),
            ("StreamingHistory.json", None),
            ("ReadMeFirst_ExtendedStreamingHistory.pdf", None),
        ] {
            assert_eq!(Generation::of(name), generation, "{name}");
        }
    }
}
