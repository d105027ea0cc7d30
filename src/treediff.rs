//! Which register files a commit changed. Two trees are compared entry by
//! entry on their raw bytes: an entry whose bytes are the same on both sides
//! (same name, mode and id) is skipped with one comparison, and a folder is
//! entered only when its id differs. A register keeps thousands of entries
//! in one folder, and a commit changes one or two of them, so this is the
//! hot loop of the audit; libgit2's diff decodes and matches every entry.

use git2::{ObjectType, Odb, Oid, Repository, Tree};

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

/// Compares trees on their raw bytes, as the object database holds them.
/// The audit compares each commit with its parent, so every folder is read
/// for one commit and met again, unchanged, at the next: libgit2's cache of
/// raw objects (see `register::cache_large_trees`) keeps it, and the bytes
/// are borrowed from there, never copied.
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
    /// `new`, in path order.
    pub fn register_changes(&self, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Result<Vec<Changed>> {
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
