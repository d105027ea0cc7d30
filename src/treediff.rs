//! Which register files a commit changed. Two trees are compared entry by
//! entry on their raw bytes: an entry whose bytes are the same on both sides
//! (same name, mode and id) is skipped with one comparison, and a folder is
//! entered only when its id differs. A register keeps thousands of entries
//! in one folder, and a commit changes one or two of them, so this is the
//! hot loop of the audit; libgit2's diff decodes and matches every entry.

use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository, Tree};

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

/// Whether any register file differs; cheaper than listing them.
pub fn touches_register(old: Option<&Tree<'_>>, new: &Tree<'_>) -> bool {
    REGISTER_ROOTS.iter().any(|root| {
        old.and_then(|t| t.get_name(root).map(|e| e.id())) != new.get_name(root).map(|e| e.id())
    })
}

/// Compares trees, keeping the raw bytes of recently read trees: the audit
/// compares each commit with its parent, so every folder is read for one
/// commit and met again, unchanged, at the next.
pub struct Differ<'r> {
    repo: &'r Repository,
    raw: HashMap<Oid, Rc<Vec<u8>>>,
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
    let space = rest.iter().position(|b| *b == b' ')?;
    let nul = rest.iter().position(|b| *b == 0)?;
    let end = nul + 1 + 20;
    let id = Oid::from_bytes(rest.get(nul + 1..end)?).ok()?;
    Some((
        Entry {
            whole: &rest[..end],
            name: &rest[space + 1..nul],
            is_tree: &rest[..space] == b"40000",
            id,
        },
        at + end,
    ))
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
    pub fn new(repo: &'r Repository) -> Self {
        Differ {
            repo,
            raw: HashMap::new(),
        }
    }

    fn read(&mut self, id: Oid) -> Result<Rc<Vec<u8>>> {
        if let Some(data) = self.raw.get(&id) {
            return Ok(data.clone());
        }
        if self.raw.len() > 64 {
            self.raw.clear();
        }
        let odb = self.repo.odb()?;
        let data = Rc::new(odb.read(id)?.data().to_vec());
        self.raw.insert(id, data.clone());
        Ok(data)
    }

    /// The register files that differ from `old` (`None`: an empty tree) to
    /// `new`, in path order.
    pub fn register_changes(
        &mut self,
        old: Option<&Tree<'_>>,
        new: &Tree<'_>,
    ) -> Result<Vec<Changed>> {
        let mut out = Vec::new();
        for root in REGISTER_ROOTS {
            let side = |t: &Tree<'_>| {
                t.get_name(root)
                    .map(|e| (e.id(), e.kind() == Some(ObjectType::Tree)))
            };
            let (a, b) = (old.and_then(side), side(new));
            if a.map(|x| x.0) != b.map(|x| x.0) {
                self.compare(root, a, b, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Compare what `path` is on each side: (id, is a folder), or absent.
    fn compare(
        &mut self,
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
        let da = tree(a).map(|id| self.read(id)).transpose()?;
        let db = tree(b).map(|id| self.read(id)).transpose()?;
        let empty = Vec::new();
        let (da, db) = (
            da.as_deref().unwrap_or(&empty),
            db.as_deref().unwrap_or(&empty),
        );
        let (mut ia, mut ib) = (0, 0);
        loop {
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
            let name = |e: &Entry<'_>| format!("{path}/{}", String::from_utf8_lossy(e.name));
            let side = |e: &Entry<'_>| Some((e.id, e.is_tree));
            match which {
                std::cmp::Ordering::Equal => {
                    let (x, y) = (x.expect("both"), y.expect("both"));
                    if x.id != y.id || x.is_tree != y.is_tree {
                        let (p, sa, sb) = (name(x), side(x), side(y));
                        self.compare(&p, sa, sb, out)?;
                    }
                    ia = ea.as_ref().map_or(ia, |e| e.1);
                    ib = eb.as_ref().map_or(ib, |e| e.1);
                }
                std::cmp::Ordering::Less => {
                    let x = x.expect("a");
                    let (p, sa) = (name(x), side(x));
                    self.compare(&p, sa, None, out)?;
                    ia = ea.as_ref().map_or(ia, |e| e.1);
                }
                std::cmp::Ordering::Greater => {
                    let y = y.expect("b");
                    let (p, sb) = (name(y), side(y));
                    self.compare(&p, None, sb, out)?;
                    ib = eb.as_ref().map_or(ib, |e| e.1);
                }
            }
        }
        Ok(())
    }
}
