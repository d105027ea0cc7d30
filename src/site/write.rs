//! Writing the site to a folder without losing anyone's files: a folder is
//! only ever replaced when it is new, empty, or an earlier site (it holds
//! the marker file). The new site is written beside it and swapped in, so a
//! failure part way leaves the old site as it was.

use std::fs;
use std::path::{Path, PathBuf};

use super::{MARKER, Site};
use crate::{Error, Result};

/// What is at the folder the site is to go to.
enum Existing {
    Nothing,
    Empty,
    EarlierSite,
}

fn existing(out: &Path) -> Result<Existing> {
    let refuse = |problem: &str| Error::SiteOut {
        path: out.to_path_buf(),
        problem: problem.to_string(),
    };
    // `.` or `..` cannot be swapped out from under themselves.
    if out.file_name().is_none() {
        return Err(refuse(
            "name the site's own folder, not . or ..; pass e.g. --out site",
        ));
    }
    let meta = match fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(e) => return Err(Error::io(out, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "it is a symbolic link; pass --out the folder it points to",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse("it is a file, not a folder; pass --out a folder"));
    }
    let mut entries = fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    if entries.next().is_none() {
        return Ok(Existing::Empty);
    }
    if let Ok(marker) = fs::read_to_string(out.join(MARKER)) {
        let ours: std::collections::HashSet<&str> = marker
            .lines()
            .filter(|l| !l.starts_with('#'))
            .chain([MARKER])
            .collect();
        return match stranger(out, out, &ours)? {
            None => Ok(Existing::EarlierSite),
            Some(path) => Err(Error::SiteOut {
                path: out.to_path_buf(),
                problem: format!(
                    "it holds {path}, which `practice site` did not write; move that out first, or pass --out another folder"
                ),
            }),
        };
    }
    Err(refuse(
        "it holds files that `practice site` did not make; pass --out a new or empty folder, or one an earlier `practice site` wrote",
    ))
}

/// The first file under `folder` that is not one of `ours` (paths from
/// `top`, `/`-separated), if any: what replacing the site would delete.
fn stranger(
    top: &Path,
    folder: &Path,
    ours: &std::collections::HashSet<&str>,
) -> Result<Option<String>> {
    let mut entries: Vec<_> = fs::read_dir(folder)
        .map_err(|e| Error::io(folder, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(folder, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let rel = path
            .strip_prefix(top)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/");
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            if let Some(found) = stranger(top, &path, ours)? {
                return Ok(Some(found));
            }
        } else if !ours.contains(rel.as_str()) {
            return Ok(Some(rel));
        }
    }
    Ok(None)
}

/// Write `site` to the folder `out`, replacing an earlier site there.
/// Refused, with nothing changed, when `out` holds anything else.
pub fn write(site: &Site, out: &Path) -> Result<()> {
    let found = existing(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());

    // Beside the old site, so the swap is a rename within one file system.
    let prefix = format!(".{name}.new-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        // A folder for others to read, as mkdir would make it (umask applies).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o777));
    }
    let new = builder
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    for (path, bytes) in &site.files {
        let file = new.path().join(path);
        if let Some(folder) = file.parent() {
            fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        }
        fs::write(&file, bytes).map_err(|e| Error::io(&file, e))?;
    }

    match found {
        // A rename replaces an empty folder.
        Existing::Nothing | Existing::Empty => {
            if matches!(found, Existing::Empty) && !cfg!(unix) {
                fs::remove_dir(out).map_err(|e| Error::io(out, e))?;
            }
            fs::rename(new.path(), out).map_err(|e| Error::io(out, e))?;
            let _ = new.keep();
        }
        Existing::EarlierSite => {
            if exchange(new.path(), out) {
                // `new` now holds the old site, which goes when it drops.
                return Ok(());
            }
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(&parent)
                .map_err(|e| Error::io(&parent, e))?;
            fs::rename(out, old.path()).map_err(|e| Error::io(out, e))?;
            if let Err(e) = fs::rename(new.path(), out) {
                let _ = fs::rename(old.path(), out);
                let _ = old.keep();
                return Err(Error::io(out, e));
            }
            let _ = new.keep();
        }
    }
    Ok(())
}

/// Swap two folders in one step, where the system can (Linux), so a web
/// server never sees the site missing; `false` where it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}
