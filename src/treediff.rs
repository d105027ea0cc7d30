//! Which register files a commit changed. Two trees are compared entry by
//! entry on their raw bytes: an entry whose bytes are the same on both sides
//! (same name, mode and id) is skipped with one comparison, and a folder is
//! entered only when its id differs. A register keeps thousands of entries
//! in one folder, and a commit changes one or two of them, so this is the
//! hot loop of the audit; libgit2's diff decodes and matches every entry.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Odb, OdbObject, Oid, Repository, Tree};

use crate::Result;

/// A file that differs between two trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    /// The blob before (`None`: added).
    pub old: Option<Oid>,
    /// The blob after (`None`: deleted).
    pub new: Option<Oid>,
}

/// What a tree holds at the top-level `name`: its id and whether it is a
/// folder, or `None`. The kind counts as well as the id: a submodule link
/// may name a folder's own id, and then the folder's files are gone.
fn root_entry(tree: &Tree<'_>, name: &str) -> Option<(Oid, bool)> {
    tree.get_name(name)
        .map(|e| (e.id(), e.kind() == Some(ObjectType::Tree)))
}

/// Whether any register file differs; cheaper than listing them.
pub fn touches_register(old: Option<&Tree<'_>>, new: &Tree<'_>) -> bool {
    crate::layout::ROOTS
        .iter()
        .any(|root| old.and_then(|t| root_entry(t, root)) != root_entry(new, root))
}

/// Compares trees on their raw bytes, as the object database holds them.
/// The audit compares each commit with its parent, so every folder is read
/// for one commit and met again, unchanged, at the next; the bytes are
/// borrowed from libgit2's object, never copied.
pub struct Differ<'r> {
    odb: Odb<'r>,
}

/// One entry of a raw tree: `<mode> <name>\0<20-byte id>`.
struct Entry<'a> {
    whole: &'a [u8],
    name: &'a [u8],
    is_tree: bool,
    id: Oid,
}

fn parse(data: &[u8], at: usize) -> Option<(Entry<'_>, usize)> {
    let rest = data.get(at..)?;
    let nul = memchr::memchr(0, rest)?;
    let space = memchr::memchr(b' ', &rest[..nul])?;
    let end = nul + 1 + 20;
    let id = Oid::from_bytes(rest.get(nul + 1..end)?).ok()?;
    Some((
        Entry {
            whole: &rest[..end],
            name: &rest[space + 1..nul],
            // Some old tools wrote folders as 040000; git reads both.
            is_tree: matches!(&rest[..space], b"40000" | b"040000"),
            id,
        },
        at + end,
    ))
}

/// How many leading bytes `a` and `b` have in common.
fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    // Whole chunks first, each one `memcmp`, then the bytes of the last.
    const CHUNK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Where the last whole entry of `data` that ends by `end` ends, counting
/// from the entry at `at`.
fn whole_entries(data: &[u8], mut at: usize, end: usize) -> usize {
    while let Some(nul) = memchr::memchr(0, &data[at..end]) {
        // A name ends at its NUL and the 20 bytes of its id follow.
        let next = at + nul + 1 + 20;
        if next > end {
            break;
        }
        at = next;
    }
    at
}

/// git's order of entries: a folder sorts as if its name ended in `/`.
fn order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let key = |e: &Entry<'_>| {
        let mut k = e.name.to_vec();
        if e.is_tree {
            k.push(b'/');
        }
        k
    };
    key(a).cmp(&key(b))
}

impl<'r> Differ<'r> {
    pub fn new(repo: &'r Repository) -> Result<Self> {
        Ok(Differ { odb: repo.odb()? })
    }

    /// The register files that differ from `old` (`None`: an empty tree) to
    /// `new`: root by root in the order of [`crate::layout::ROOTS`], each root's
    /// in path order.
    pub fn register_changes(&self, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Vec<Changed>> {
        let mut out = Vec::new();
        for root in crate::layout::ROOTS {
            let (a, b) = (old.and_then(|t| root_entry(t, root)), root_entry(new, root));
            if a != b {
                self.compare(root, a, b, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Compare what `path` is on each side: (id, is a folder), or absent.
    fn compare(
        &self,
        path: &str,
        a: Option<(Oid, bool)>,
        b: Option<(Oid, bool)>,
        out: &mut Vec<Changed>,
    ) -> Result<()> {
        let blob = |s: Option<(Oid, bool)>| s.filter(|x| !x.1).map(|x| x.0);
        let tree = |s: Option<(Oid, bool)>| s.filter(|x| x.1).map(|x| x.0);
        if blob(a).is_some() || blob(b).is_some() {
            out.push(Changed {
                path: path.to_string(),
                old: blob(a),
                new: blob(b),
            });
        }
        if tree(a).is_none() && tree(b).is_none() {
            return Ok(());
        }
        let oa = tree(a).map(|id| self.odb.read(id)).transpose()?;
        let ob = tree(b).map(|id| self.odb.read(id)).transpose()?;
        differences(
            oa.as_ref().map_or(&[][..], |o| o.data()),
            ob.as_ref().map_or(&[][..], |o| o.data()),
            |name, x, y| {
                let p = format!("{path}/{}", String::from_utf8_lossy(name));
                self.compare(&p, x, y, out)
            },
        )
    }
}

/// Compares a few paths between a commit's tree and its parents', commit
/// after commit down a walk of history, reading only the folders along the
/// paths, and only where their ids differ: as `git log -- PATH` does.
pub(crate) struct AlongPaths<'o, 'r> {
    folders: &'o Odb<'r>,
    /// The folders read for this commit and for the one before. Walking
    /// newest first, a commit's parent is mostly the next commit compared,
    /// so its folders are kept one step, and read once.
    kept: RefCell<[HashMap<Oid, Rc<OdbObject<'o>>>; 2]>,
}

impl<'o, 'r> AlongPaths<'o, 'r> {
    pub fn new(folders: &'o Odb<'r>) -> Self {
        AlongPaths {
            folders,
            kept: RefCell::default(),
        }
    }

    /// Move on to the next commit: what was read for this one is kept.
    pub fn next_commit(&self) {
        let mut kept = self.kept.borrow_mut();
        kept[1] = std::mem::take(&mut kept[0]);
    }

    fn read(&self, id: Oid) -> Result<Rc<OdbObject<'o>>> {
        let mut kept = self.kept.borrow_mut();
        let object = match kept[0].get(&id) {
            Some(object) => return Ok(object.clone()),
            None => match kept[1].remove(&id) {
                Some(object) => object,
                None => Rc::new(self.folders.read(id)?),
            },
        };
        kept[0].insert(id, object.clone());
        Ok(object)
    }

    /// Which of `paths` (each split into its names, and sorted) the tree
    /// `new` holds as a different object from the one the tree `old` holds
    /// there (`None`: an empty tree): each as its position in `paths` and
    /// the id `new` holds. As git2's `get_path` has it, a folder below `new`
    /// that cannot be read holds nothing, and so does an `old` that cannot
    /// be read.
    pub fn differing(
        &self,
        new: Oid,
        old: Option<Oid>,
        paths: &[Vec<&[u8]>],
    ) -> Result<Vec<(usize, Oid)>> {
        let mut out = Vec::new();
        if old != Some(new) {
            let root = self.read(new)?;
            self.differing_in(&root, old.map(|id| (id, true)), paths, 0, 0, &mut out);
        }
        Ok(out)
    }

    /// The same within the folder `new` (its raw object) and what `old`
    /// holds at the same place, which `paths` (numbered from `first`) share
    /// their first `depth` names to.
    fn differing_in(
        &self,
        new: &OdbObject<'_>,
        old: Side,
        paths: &[Vec<&[u8]>],
        first: usize,
        depth: usize,
        out: &mut Vec<(usize, Oid)>,
    ) {
        let read = |s: Side| s.filter(|x| x.1).and_then(|x| self.read(x.0).ok());
        let old = read(old);
        let Ok(()) = differences::<std::convert::Infallible>(
            new.data(),
            old.as_ref().map_or(&[][..], |o| o.data()),
            |name, x, y| {
                // What `new` does not hold, it cannot hold differently.
                let Some((id, _)) = x else {
                    return Ok(());
                };
                let lo = paths.partition_point(|p| p[depth] < name);
                let hi = lo + paths[lo..].partition_point(|p| p[depth] == name);
                // A path ending here sorts before the longer ones it begins.
                let mut deeper = lo;
                while deeper < hi && paths[deeper].len() == depth + 1 {
                    out.push((first + deeper, id));
                    deeper += 1;
                }
                if deeper < hi
                    && let Some(folder) = read(x)
                {
                    let below = &paths[deeper..hi];
                    self.differing_in(&folder, y, below, first + deeper, depth + 1, out);
                }
                Ok(())
            },
        );
    }
}

/// What a name is on one side of two trees: (id, is a folder), or absent.
type Side = Option<(Oid, bool)>;

/// Call `each(name, a, b)` for every name whose id or kind differs between
/// the raw trees `da` and `db` (either may be empty), in git's order.
fn differences<E>(
    da: &[u8],
    db: &[u8],
    mut each: impl FnMut(&[u8], Side, Side) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let (mut ia, mut ib) = (0, 0);
    loop {
        // Two versions of a folder are mostly the same bytes: step over
        // the entries they share without reading them one by one.
        let shared = shared_prefix(&da[ia..], &db[ib..]);
        if ia + shared == da.len() && ib + shared == db.len() {
            break;
        }
        let skip = whole_entries(da, ia, ia + shared) - ia;
        ia += skip;
        ib += skip;
        let ea = parse(da, ia);
        let eb = parse(db, ib);
        let (x, y) = match (&ea, &eb) {
            (None, None) => break,
            (Some((x, _)), Some((y, _))) if x.whole == y.whole => {
                ia = ea.as_ref().map_or(ia, |e| e.1);
                ib = eb.as_ref().map_or(ib, |e| e.1);
                continue;
            }
            (x, y) => (x.as_ref().map(|e| &e.0), y.as_ref().map(|e| &e.0)),
        };
        let which = match (x, y) {
            (Some(x), Some(y)) => order(x, y),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let side = |e: &Entry<'_>| Some((e.id, e.is_tree));
        match which {
            std::cmp::Ordering::Equal => {
                let (x, y) = (x.expect("both"), y.expect("both"));
                if x.id != y.id || x.is_tree != y.is_tree {
                    each(x.name, side(x), side(y))?;
                }
                ia = ea.as_ref().map_or(ia, |e| e.1);
                ib = eb.as_ref().map_or(ib, |e| e.1);
            }
            std::cmp::Ordering::Less => {
                let x = x.expect("a");
                each(x.name, side(x), None)?;
                ia = ea.as_ref().map_or(ia, |e| e.1);
            }
            std::cmp::Ordering::Greater => {
                let y = y.expect("b");
                each(y.name, None, side(y))?;
                ib = eb.as_ref().map_or(ib, |e| e.1);
            }
        }
    }
    Ok(())
}
