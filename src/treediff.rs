//! Which register files a commit changed, by libgit2's tree diff limited to
//! the register's folders: no file contents are compared, only ids, and a
//! folder whose id is unchanged is never entered.

use git2::{DiffOptions, Oid, Repository, Tree};

use crate::Result;

/// The top-level names that belong to the register; anything else in the
/// repository (source code, say) is not the register's business.
pub const REGISTER_ROOTS: [&str; 4] = ["register.yaml", "submissions", "reviews", "published"];

/// A file that differs between two trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    /// The blob before (`None`: added).
    pub old: Option<Oid>,
    /// The blob after (`None`: deleted).
    pub new: Option<Oid>,
}

/// The register files that differ from `old` (`None`: an empty tree) to `new`.
pub fn register_changes(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
) -> Result<Vec<Changed>> {
    if !touches_register(old, new) {
        return Ok(vec![]);
    }
    let mut options = DiffOptions::new();
    for root in REGISTER_ROOTS {
        options.pathspec(root);
    }
    // Only which files changed matters: no content diff, no rename search.
    options.skip_binary_check(true).include_typechange(true);
    let diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut options))?;
    let blob = |f: git2::DiffFile<'_>| Some(f.id()).filter(|id| !id.is_zero());
    Ok(diff
        .deltas()
        .filter_map(|d| {
            let path = d.new_file().path().or_else(|| d.old_file().path())?;
            Some(Changed {
                path: path.to_string_lossy().replace('\\', "/"),
                old: blob(d.old_file()),
                new: blob(d.new_file()),
            })
        })
        .collect())
}

/// Whether any register file differs; cheaper than listing them.
pub fn touches_register(old: Option<&Tree<'_>>, new: &Tree<'_>) -> bool {
    REGISTER_ROOTS.iter().any(|root| {
        old.and_then(|t| t.get_name(root).map(|e| e.id())) != new.get_name(root).map(|e| e.id())
    })
}
