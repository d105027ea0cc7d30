//! Every register file at one commit, path by path, with its blob. The audit
//! judges each commit against its parent and needs one activity's few files
//! on both sides. Finding them through git's trees decodes a folder of
//! thousands of entries at every commit — most of a cold audit's time on a
//! large register. A listing is built once, then moved forward by each
//! commit's changes, which the audit works out anyway. Beside it the audit
//! keeps the files it has parsed, by blob: one commit changes one file of an
//! activity, and the same files are read again at the next.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use git2::{Oid, Tree};
use serde::de::DeserializeOwned;

use crate::Result;
use crate::model::{Activity, EvidenceList, PublishedEntry, Reply, Report, SignOff};
use crate::treediff::{Changed, Differ};

/// The register's files as one commit holds them.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The commit listed; `None` before the first commit.
    at: Option<Oid>,
    files: BTreeMap<String, Oid>,
}

impl Listing {
    /// No files: what there is before a register's first commit.
    pub fn empty() -> Listing {
        Listing::default()
    }

    /// Every register file in `tree`, the tree of `commit`: what `differ`
    /// finds added to an empty tree, so a listing built afresh holds
    /// exactly what one moved forward by the same diff would.
    pub fn of(differ: &Differ<'_>, commit: Oid, tree: &Tree<'_>) -> Result<Listing> {
        let mut listing = Listing::empty();
        listing.advance(commit, &differ.register_changes(None, tree)?);
        Ok(listing)
    }

    /// The commit listed.
    pub fn at(&self) -> Option<Oid> {
        self.at
    }

    /// Move on to `commit`, which made `changes` to the commit listed.
    pub fn advance(&mut self, commit: Oid, changes: &[Changed]) {
        for c in changes {
            match c.new {
                Some(blob) => self.files.insert(c.path.clone(), blob),
                None => self.files.remove(&c.path),
            };
        }
        self.at = Some(commit);
    }
}

/// Register files parsed before, by blob. A file parses the same wherever
/// it is met; what depends on its place (its id, round, partner) is checked
/// each time it is read.
#[derive(Debug, Default)]
pub struct Parsed {
    activities: HashMap<Oid, Activity>,
    sign_offs: HashMap<Oid, SignOff>,
    reports: HashMap<Oid, Report>,
    published: HashMap<Oid, PublishedEntry>,
    replies: HashMap<Oid, Reply>,
    evidence: HashMap<Oid, EvidenceList>,
}

/// How many files of one kind are kept: enough for the activities a stretch
/// of history works on, not the whole register's.
const PARSED_KEPT: usize = 1 << 14;

/// A kind of register file that [`Parsed`] keeps.
pub trait Keep: DeserializeOwned + serde::Serialize + Clone {
    fn kept(parsed: &mut Parsed) -> &mut HashMap<Oid, Self>;
}

macro_rules! keep {
    ($($ty:ty => $field:ident),*) => {$(
        impl Keep for $ty {
            fn kept(parsed: &mut Parsed) -> &mut HashMap<Oid, Self> {
                &mut parsed.$field
            }
        }
    )*};
}
keep!(
    Activity => activities,
    SignOff => sign_offs,
    Report => reports,
    PublishedEntry => published,
    Reply => replies,
    EvidenceList => evidence
);

impl Parsed {
    fn get<T: Keep>(&mut self, blob: Oid) -> Option<T> {
        T::kept(self).get(&blob).cloned()
    }

    fn keep<T: Keep>(&mut self, blob: Oid, value: &T) {
        let kept = T::kept(self);
        if kept.len() >= PARSED_KEPT {
            kept.clear();
        }
        kept.insert(blob, value.clone());
    }
}

/// A listing as seen from one commit: the listing of its parent, plus the
/// few changes the commit made. Both sides of a judged commit are read from
/// one listing this way, without copying it.
#[derive(Debug, Clone)]
pub struct View {
    listing: Rc<Listing>,
    changes: Rc<[Changed]>,
    parsed: Rc<RefCell<Parsed>>,
}

impl View {
    /// The listed commit itself.
    pub fn of(listing: Rc<Listing>, parsed: Rc<RefCell<Parsed>>) -> View {
        View::after(listing, Rc::from([]), parsed)
    }

    /// The commit that made `changes` to the listed one.
    pub fn after(
        listing: Rc<Listing>,
        changes: Rc<[Changed]>,
        parsed: Rc<RefCell<Parsed>>,
    ) -> View {
        View {
            listing,
            changes,
            parsed,
        }
    }

    /// The file at `path` as `T`, parsed from its blob by `parse` unless
    /// the same blob was parsed before; `None` when there is no file there.
    pub fn parse<T: Keep>(
        &self,
        path: &str,
        parse: impl FnOnce(Oid) -> Result<T>,
    ) -> Result<Option<T>> {
        let Some(blob) = self.blob(path) else {
            return Ok(None);
        };
        if let Some(value) = self.parsed.borrow_mut().get(blob) {
            return Ok(Some(value));
        }
        let value = parse(blob)?;
        self.parsed.borrow_mut().keep(blob, &value);
        Ok(Some(value))
    }

    /// The blob at `path`, if there is a file there.
    pub fn blob(&self, path: &str) -> Option<Oid> {
        match self.changes.iter().find(|c| c.path == path) {
            Some(c) => c.new,
            None => self.listing.files.get(path).copied(),
        }
    }

    /// The files under `folder/`, each with its blob, in path order.
    fn under<'a>(&'a self, folder: &str) -> impl Iterator<Item = (&'a str, Oid)> + 'a {
        let prefix = format!("{folder}/");
        let listed = self
            .listing
            .files
            .range(prefix.clone()..)
            .take_while({
                let prefix = prefix.clone();
                move |(path, _)| path.starts_with(&prefix)
            })
            .map(|(path, _)| path.as_str());
        let added = self
            .changes
            .iter()
            .filter(move |c| c.path.starts_with(&prefix))
            .map(|c| c.path.as_str());
        let mut paths: Vec<&str> = listed.chain(added).collect();
        paths.sort_unstable();
        paths.dedup();
        paths
            .into_iter()
            .filter_map(|path| Some((path, self.blob(path)?)))
    }

    /// Whether there is a file or a folder at `path`.
    pub fn holds(&self, path: &str) -> bool {
        self.blob(path).is_some() || self.under(path).next().is_some()
    }

    /// The names directly in `folder`, files and folders alike, in order.
    pub fn names(&self, folder: &str) -> Vec<String> {
        let skip = folder.len() + 1;
        let mut names: Vec<String> = self
            .under(folder)
            .map(|(path, _)| {
                let rest = &path[skip..];
                rest.split('/').next().unwrap_or(rest).to_string()
            })
            .collect();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    fn listing(paths: &[(&str, u8)]) -> Rc<Listing> {
        let mut listing = Listing::empty();
        let changes: Vec<Changed> = paths
            .iter()
            .map(|(p, n)| Changed {
                path: p.to_string(),
                old: None,
                new: Some(oid(*n)),
            })
            .collect();
        listing.advance(oid(99), &changes);
        Rc::new(listing)
    }

    #[test]
    fn a_view_sees_its_commits_changes_over_the_listing() {
        use crate::layout::{self, RegisterPath as P};
        let path = |p: P| p.to_string();
        let (a_npcc, a_iopc) = (
            path(P::sign_off("a", 1, "npcc")),
            path(P::sign_off("a", 1, "iopc")),
        );
        let base = listing(&[
            (&a_npcc, 1),
            (&a_iopc, 2),
            (&path(P::sign_off("ab", 1, "npcc")), 3),
            (&path(P::activity("a")), 4),
        ]);
        let parsed = Rc::new(RefCell::new(Parsed::default()));
        let before = View::of(base.clone(), parsed.clone());
        let round_1 = layout::round_folder("a", 1);
        assert_eq!(
            before.names(&layout::reviews_folder("a")),
            [layout::round_name(1)]
        );
        assert_eq!(
            before.names(&round_1),
            [layout::sign_off_file("iopc"), layout::sign_off_file("npcc")]
        );
        assert!(before.holds(&layout::submission_folder("a")));
        assert!(!before.holds(&layout::submission_folder("ab")));

        let changes: Rc<[Changed]> = Rc::from(vec![
            Changed {
                path: path(P::round_placeholder("a", 2)),
                old: None,
                new: Some(oid(5)),
            },
            Changed {
                path: a_iopc.clone(),
                old: Some(oid(2)),
                new: None,
            },
        ]);
        let after = View::after(base, changes, parsed.clone());
        assert_eq!(
            after.names(&layout::reviews_folder("a")),
            [layout::round_name(1), layout::round_name(2)]
        );
        assert_eq!(after.names(&round_1), [layout::sign_off_file("npcc")]);
        assert_eq!(after.blob(&a_iopc), None);
        assert_eq!(after.blob(&path(P::activity("a"))), Some(oid(4)));
        // A folder whose only file went is gone.
        let published = path(P::published("a"));
        let gone = View::after(
            listing(&[(&published, 1)]),
            Rc::from(vec![Changed {
                path: published.clone(),
                old: Some(oid(1)),
                new: None,
            }]),
            parsed,
        );
        assert!(!gone.holds(layout::PUBLISHED));
    }
}
