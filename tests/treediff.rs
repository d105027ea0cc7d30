//! `treediff` against libgit2: the hand-written differ reads raw tree bytes
//! for speed, so every answer it gives is checked here against
//! `Repository::diff_tree_to_tree` over thousands of random pairs of trees,
//! built by hand so they hold what old or odd tools write (040000 folders,
//! symlinks, submodule links, names that sort around `name/`).
//!
//! How a libgit2 delta maps onto treediff's `Changed { path, old, new }`:
//! - treediff lists files, never folders: a side that is a folder counts as
//!   absent, so a file that becomes a folder is the file deleted plus every
//!   file under the folder added (libgit2, without typechange, reports the
//!   same split);
//! - every entry that is not a folder is a file: blobs, executables,
//!   symlinks (120000) and submodule links (160000, whose id is a commit
//!   that need not exist here). libgit2 reports a link with mode `Commit`
//!   and its commit id, as a change like any other;
//! - a change of kind between two non-folders (a file becoming a symlink or
//!   a link) is split by libgit2 into a deletion and an addition at one
//!   path; both halves are one change of that path;
//! - treediff compares ids, not modes: a change of mode alone (100644 to
//!   100755, or a file becoming a symlink to the same blob) changes no
//!   register file's content, so a libgit2 delta whose two ids are the same
//!   is not a change;
//! - only paths under `layout::ROOTS` count.

use std::collections::BTreeMap;

use git2::{Delta, DiffOptions, FileMode, ObjectType, Oid, Repository, Tree};
use practice::layout::ROOTS as REGISTER_ROOTS;
use practice::treediff::{Changed, Differ, touches_register};
use tempfile::TempDir;

/// A small, seeded PRNG (splitmix64): the same seed always gives the same
/// trees, so a failure names the seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A tree as the test means it; written to the object database raw.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A blob entry: `mode` is 100644, 100755 or 120000.
    File { mode: &'static str, body: Vec<u8> },
    /// A submodule link to a commit id (which need not exist).
    Link(Oid),
    /// A folder; `mode` is 40000 (what git writes) or 040000 (what some
    /// old tools wrote, and git still reads).
    Dir {
        mode: &'static str,
        children: BTreeMap<String, Node>,
    },
}

/// Top-level names: the register's roots, names close to them (which must
/// be ignored), and ordinary source files.
const ROOT_NAMES: &[&str] = &[
    "register.yaml",
    "submissions",
    "reviews",
    "published",
    "register.yaml~",
    "submissions.old",
    "review",
    "Reviews",
    "published-2",
    "README.md",
    "src",
];

/// Names below the top: `a`, `a-b`, `a.b`, `a0` sort around a folder `a`
/// (which git orders as `a/`), and `a b`, `a!` sort before `a/` too.
const NAMES: &[&str] = &[
    "a",
    "a-b",
    "a.b",
    "a0",
    "a b",
    "a!",
    "ab",
    "b",
    "activity.yaml",
    "round-1",
    "z",
];

/// Few distinct bodies, so the same blob often sits at both sides under
/// another mode or name.
const BODIES: &[&[u8]] = &[b"one\n", b"two\n", b"title: x\n", b"", b"a"];

struct Repo {
    _dir: TempDir,
    repo: Repository,
    /// How many 040000 entries were written.
    legacy: std::cell::Cell<usize>,
}

impl Repo {
    fn new() -> Repo {
        let dir = TempDir::new().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        // Objects kept in memory: thousands of trees are written and none
        // need outlive the test.
        repo.odb().unwrap().add_new_mempack_backend(1000).unwrap();
        Repo {
            _dir: dir,
            repo,
            legacy: Default::default(),
        }
    }

    /// Write `node` (a folder) and everything in it; its id.
    fn write(&self, node: &Node) -> Oid {
        match node {
            Node::File { body, .. } => self.repo.blob(body).unwrap(),
            Node::Link(id) => *id,
            Node::Dir { children, .. } => {
                // git's order: a folder sorts as if its name ended in `/`.
                let mut entries: Vec<(Vec<u8>, &str, &Node)> = children
                    .iter()
                    .map(|(name, child)| {
                        let mut key = name.as_bytes().to_vec();
                        if matches!(child, Node::Dir { .. }) {
                            key.push(b'/');
                        }
                        (key, name.as_str(), child)
                    })
                    .collect();
                entries.sort_by(|x, y| x.0.cmp(&y.0));
                let mut raw = Vec::new();
                for (_, name, child) in entries {
                    let mode = match child {
                        Node::File { mode, .. } | Node::Dir { mode, .. } => *mode,
                        Node::Link(_) => "160000",
                    };
                    self.legacy
                        .set(self.legacy.get() + usize::from(mode == "040000"));
                    raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
                    raw.extend_from_slice(self.write(child).as_bytes());
                }
                self.repo
                    .odb()
                    .unwrap()
                    .write(ObjectType::Tree, &raw)
                    .unwrap()
            }
        }
    }

    fn tree(&self, node: &Node) -> Tree<'_> {
        self.repo.find_tree(self.write(node)).unwrap()
    }
}

fn dir(children: BTreeMap<String, Node>, rng: &mut Rng) -> Node {
    Node::Dir {
        mode: if rng.chance(25) { "040000" } else { "40000" },
        children,
    }
}

fn random_file(rng: &mut Rng, known: &[Oid]) -> Node {
    match rng.below(10) {
        0 => Node::File {
            mode: "100755",
            body: rng.pick(BODIES).to_vec(),
        },
        1 => Node::File {
            mode: "120000",
            body: rng.pick(BODIES).to_vec(),
        },
        // A link to a made-up commit, or to an id this repository holds
        // as a blob or a folder: only the entry's kind tells them apart.
        2 if !known.is_empty() && rng.chance(50) => Node::Link(*rng.pick(known)),
        2 => {
            // Made-up ids that differ in one byte anywhere, the last too:
            // two versions of a folder then share all but that byte, and
            // the skip over shared bytes must stop at the entry before.
            let mut id = [0xab; 20];
            id[rng.below(20)] = rng.below(3) as u8;
            Node::Link(Oid::from_bytes(&id).unwrap())
        }
        _ => Node::File {
            mode: "100644",
            body: rng.pick(BODIES).to_vec(),
        },
    }
}

fn random_node(rng: &mut Rng, depth: usize, known: &[Oid]) -> Node {
    if depth < 5 && rng.chance(40) {
        random_dir(rng, depth + 1, known)
    } else {
        random_file(rng, known)
    }
}

fn random_dir(rng: &mut Rng, depth: usize, known: &[Oid]) -> Node {
    let mut children = BTreeMap::new();
    // Deeper folders hold fewer entries, so the trees stay small; a few
    // are empty, which only plumbing can commit.
    for _ in 0..rng.below(6usize.saturating_sub(depth)) + usize::from(rng.chance(85)) {
        children.insert(rng.pick(NAMES).to_string(), random_node(rng, depth, known));
    }
    dir(children, rng)
}

fn random_root(rng: &mut Rng, known: &[Oid]) -> Node {
    let mut children = BTreeMap::new();
    // Each root often, other top-level names now and then.
    let names = REGISTER_ROOTS
        .iter()
        .filter(|_| rng.chance(60))
        .copied()
        .collect::<Vec<_>>();
    let others = (0..rng.below(4))
        .map(|_| *rng.pick(ROOT_NAMES))
        .collect::<Vec<_>>();
    for name in names.into_iter().chain(others) {
        let name = name.to_string();
        // The roots are folders most of the time, as in a register.
        let node = if name != "register.yaml" && rng.chance(75) {
            random_dir(rng, 1, known)
        } else {
            random_node(rng, 1, known)
        };
        children.insert(name, node);
    }
    dir(children, rng)
}

/// `node` changed a little, as one commit changes a tree: most entries
/// kept as they are (so raw trees share long runs of bytes), some edited,
/// deleted, added, turned from file to folder or back, rewritten with the
/// other folder mode, or replaced by a link to their own id.
fn mutate(rng: &mut Rng, repo: &Repo, node: &Node, depth: usize, known: &[Oid]) -> Node {
    let Node::Dir { mode, children } = node else {
        unreachable!("only folders are mutated")
    };
    let names = if depth == 0 { ROOT_NAMES } else { NAMES };
    let mut out = BTreeMap::new();
    for (name, child) in children {
        // At the top most roots change, or most pairs would be equal.
        let keep = if depth == 0 { 20 } else { 60 };
        let roll = rng.below(100);
        let roll = if roll < keep {
            0
        } else {
            60 + (roll - keep) * 40 / (100 - keep)
        };
        let changed = match roll {
            0..=59 => Some(child.clone()),
            60..=67 => None,
            68..=75 => Some(match child {
                Node::Dir { .. } => mutate(rng, repo, child, depth + 1, known),
                // A link moved to a commit whose id differs in one byte,
                // often the last: the folders' bytes then differ in that
                // byte alone.
                Node::Link(id) => {
                    let mut id = id.as_bytes().to_vec();
                    let at = if rng.chance(50) { 19 } else { rng.below(20) };
                    id[at] ^= 1 + rng.below(255) as u8;
                    Node::Link(Oid::from_bytes(&id).unwrap())
                }
                _ => random_file(rng, known),
            }),
            76..=81 => Some(match child {
                Node::File { mode, body } => Node::File {
                    mode: match *mode {
                        "100644" => "100755",
                        "100755" => "120000",
                        _ => "100644",
                    },
                    body: body.clone(),
                },
                Node::Dir { mode, children } => Node::Dir {
                    mode: if *mode == "40000" { "040000" } else { "40000" },
                    children: children.clone(),
                },
                Node::Link(_) => random_file(rng, known),
            }),
            82..=87 => Some(match child {
                Node::Dir { .. } => random_file(rng, known),
                _ => random_dir(rng, depth + 1, known),
            }),
            88..=91 => Some(Node::Link(repo.write(child))),
            _ => Some(match child {
                Node::Dir { .. } => mutate(rng, repo, child, depth + 1, known),
                _ => child.clone(),
            }),
        };
        if let Some(c) = changed {
            out.insert(name.clone(), c);
        }
    }
    for _ in 0..rng.below(3) {
        if rng.chance(40) {
            out.insert(
                rng.pick(names).to_string(),
                random_node(rng, depth + 1, known),
            );
        }
    }
    Node::Dir {
        mode: if depth == 0 || rng.chance(90) {
            mode
        } else if *mode == "40000" {
            "040000"
        } else {
            "40000"
        },
        children: out,
    }
}

/// Each register path's (old, new) file, as libgit2's diff reports them.
type Files = BTreeMap<String, (Option<Oid>, Option<Oid>)>;

/// How often the random pairs met each case the comparison is about, so a
/// generator that stopped making one fails the test instead of passing it
/// by never trying.
#[derive(Debug, Default)]
struct Seen {
    links: usize,
    executables: usize,
    symlinks: usize,
    /// Changes of kind split by libgit2 into a deletion and an addition.
    splits: usize,
    /// Deltas of mode alone, which are no change to treediff.
    mode_only: usize,
    /// A file at one side where the other has a folder of files.
    file_and_folder: usize,
    /// A register root that is itself a file.
    root_files: usize,
    /// Paths five or more names deep.
    deep: usize,
    /// Deltas outside the register's roots, left out.
    outside: usize,
}

fn libgit2_changes(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    seen: &mut Seen,
) -> Files {
    let mut opts = DiffOptions::new();
    // Said outright, though these are libgit2's defaults: a change of kind
    // is split into a deletion and an addition, and links are compared.
    opts.include_typechange(false).ignore_submodules(false);
    let diff = repo
        .diff_tree_to_tree(old, Some(new), Some(&mut opts))
        .unwrap();
    let mut files = Files::new();
    for delta in diff.deltas() {
        let (o, n) = (delta.old_file(), delta.new_file());
        let path = o.path().or(n.path()).unwrap().to_str().unwrap().to_string();
        let root = path.split('/').next().unwrap();
        if !REGISTER_ROOTS.contains(&root) {
            seen.outside += 1;
            continue;
        }
        let modes = [o.mode(), n.mode()];
        seen.links += usize::from(modes.contains(&FileMode::Commit));
        seen.executables += usize::from(modes.contains(&FileMode::BlobExecutable));
        seen.symlinks += usize::from(modes.contains(&FileMode::Link));
        seen.root_files += usize::from(path == root);
        seen.deep += usize::from(path.split('/').count() >= 5);
        let file = |side: &git2::DiffFile<'_>, absent: Delta| {
            (delta.status() != absent && !matches!(side.mode(), FileMode::Tree)).then(|| side.id())
        };
        assert!(
            matches!(
                delta.status(),
                Delta::Added | Delta::Deleted | Delta::Modified
            ),
            "{path}: {:?}",
            delta.status()
        );
        let (was, is) = (file(&o, Delta::Added), file(&n, Delta::Deleted));
        let slot = files.entry(path.clone()).or_default();
        seen.splits += usize::from(*slot != (None, None));
        // The two halves of a split change fill one side each.
        assert!(was.is_none() || slot.0.is_none(), "{path}: two old sides");
        assert!(is.is_none() || slot.1.is_none(), "{path}: two new sides");
        slot.0 = slot.0.or(was);
        slot.1 = slot.1.or(is);
    }
    let before = files.len();
    files.retain(|_, (was, is)| was != is);
    seen.mode_only += before - files.len();
    for (path, (was, is)) in &files {
        let under = format!("{path}/");
        let folder = |side: fn(&(Option<Oid>, Option<Oid>)) -> bool| {
            files
                .range(under.clone()..)
                .take_while(|(p, _)| p.starts_with(&under))
                .any(|(_, f)| side(f))
        };
        if (was.is_some() && folder(|f| f.1.is_some()))
            || (is.is_some() && folder(|f| f.0.is_some()))
        {
            seen.file_and_folder += 1;
        }
    }
    files
}

/// treediff's answer, checked for what it promises on its own: each path
/// once, root by root in `layout::ROOTS` order and in path order within
/// a root, and really changed.
fn treediff_changes(repo: &Repository, old: Option<&Tree<'_>>, new: &Tree<'_>) -> Files {
    let changes = Differ::new(repo)
        .unwrap()
        .register_changes(old, new)
        .unwrap();
    let key = |c: &Changed| {
        let root = c.path.split('/').next().unwrap();
        let at = REGISTER_ROOTS.iter().position(|r| *r == root);
        (at.expect("under a register root"), c.path.clone())
    };
    for pair in changes.windows(2) {
        assert!(key(&pair[0]) < key(&pair[1]), "out of order: {pair:?}");
    }
    changes
        .into_iter()
        .map(|Changed { path, old, new }| {
            assert_ne!(old, new, "{path} listed unchanged");
            (path, (old, new))
        })
        .collect()
}

/// Compare the two differs on one pair; `what` says which pair.
fn agree(repo: &Repo, old: Option<&Node>, new: &Node, what: &str) -> usize {
    agree_seen(repo, old, new, what, &mut Seen::default())
}

fn agree_seen(repo: &Repo, old: Option<&Node>, new: &Node, what: &str, seen: &mut Seen) -> usize {
    let old_tree = old.map(|o| repo.tree(o));
    let new_tree = repo.tree(new);
    let want = libgit2_changes(&repo.repo, old_tree.as_ref(), &new_tree, seen);
    let got = treediff_changes(&repo.repo, old_tree.as_ref(), &new_tree);
    assert_eq!(
        got, want,
        "{what}: treediff (left) and libgit2 (right) disagree\nold: {old:#?}\nnew: {new:#?}"
    );
    // The cheap check may say yes when nothing a listing holds changed
    // (an empty folder, a mode), never no when something did.
    if !touches_register(old_tree.as_ref(), &new_tree) {
        assert!(want.is_empty(), "{what}: touches_register missed {want:?}");
    }
    want.len()
}

fn file(mode: &'static str, body: &[u8]) -> Node {
    Node::File {
        mode,
        body: body.to_vec(),
    }
}

fn folder(mode: &'static str, entries: &[(&str, Node)]) -> Node {
    Node::Dir {
        mode,
        children: entries
            .iter()
            .map(|(n, c)| (n.to_string(), c.clone()))
            .collect(),
    }
}

#[test]
fn raw_trees_are_written_as_git_writes_them() {
    // The test writes every tree by hand; with git's own mode they must be
    // the very trees libgit2's builder makes, or the comparison below would
    // be about trees git never writes.
    let repo = Repo::new();
    let node = folder(
        "40000",
        &[
            ("a-b", file("100755", b"two\n")),
            ("a.b", file("120000", b"a")),
            ("a0", Node::Link(Oid::from_bytes(&[7; 20]).unwrap())),
            ("a", folder("40000", &[("z", file("100644", b""))])),
        ],
    );
    let r = &repo.repo;
    let mut inner = r.treebuilder(None).unwrap();
    inner
        .insert("z", r.blob(b"").unwrap(), FileMode::Blob.into())
        .unwrap();
    let inner = inner.write().unwrap();
    let mut outer = r.treebuilder(None).unwrap();
    for (name, id, mode) in [
        ("a", inner, FileMode::Tree),
        ("a-b", r.blob(b"two\n").unwrap(), FileMode::BlobExecutable),
        ("a.b", r.blob(b"a").unwrap(), FileMode::Link),
        ("a0", Oid::from_bytes(&[7; 20]).unwrap(), FileMode::Commit),
    ] {
        outer.insert(name, id, mode.into()).unwrap();
    }
    assert_eq!(repo.write(&node), outer.write().unwrap());
    let names: Vec<String> = repo
        .tree(&node)
        .iter()
        .map(|e| e.name().unwrap().to_string())
        .collect();
    assert_eq!(names, ["a-b", "a.b", "a", "a0"], "git's order");
}

#[test]
fn the_same_folder_under_either_mode_is_no_change() {
    let repo = Repo::new();
    let inner = |mode| {
        folder(
            "40000",
            &[(
                "submissions",
                folder(
                    mode,
                    &[(
                        "x",
                        folder(mode, &[("activity.yaml", file("100644", b"one\n"))]),
                    )],
                ),
            )],
        )
    };
    let (old, new) = (inner("040000"), inner("40000"));
    assert_ne!(repo.write(&old), repo.write(&new), "different trees");
    assert_eq!(agree(&repo, Some(&old), &new, "040000 to 40000"), 0);
    assert_eq!(agree(&repo, None, &old, "an 040000 register"), 1);
}

#[test]
fn a_file_beside_a_folder_of_its_name_is_told_apart() {
    // `a` the file sorts before `a-b`, `a.b` and `a/`; `a` the folder after
    // them: one merge over both sides has to meet each where it sorts.
    let repo = Repo::new();
    let around = |a: Node| {
        folder(
            "40000",
            &[(
                "reviews",
                folder(
                    "40000",
                    &[
                        ("a", a),
                        ("a-b", file("100644", b"one\n")),
                        ("a.b", file("100644", b"two\n")),
                        ("a0", file("100644", b"a")),
                    ],
                ),
            )],
        )
    };
    let as_file = around(file("100644", b"one\n"));
    let as_folder = around(folder("40000", &[("b", file("100644", b"one\n"))]));
    assert_eq!(
        agree(&repo, Some(&as_file), &as_folder, "file to folder"),
        2
    );
    assert_eq!(
        agree(&repo, Some(&as_folder), &as_file, "folder to file"),
        2
    );
}

#[test]
fn a_submodule_link_is_a_file_whose_id_is_a_commit() {
    let repo = Repo::new();
    let commit = |n: u8| Node::Link(Oid::from_bytes(&[n; 20]).unwrap());
    let at = |link: Node| folder("40000", &[("published", folder("40000", &[("x", link)]))]);
    let (old, new) = (at(commit(1)), at(commit(2)));
    let old_tree = repo.tree(&old);
    let new_tree = repo.tree(&new);
    // What libgit2 reports, spelt out: one modified delta of mode Commit.
    let diff = repo
        .repo
        .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)
        .unwrap();
    let deltas: Vec<_> = diff
        .deltas()
        .map(|d| (d.status(), d.old_file().mode(), d.new_file().mode()))
        .collect();
    assert_eq!(
        deltas,
        [(Delta::Modified, FileMode::Commit, FileMode::Commit)]
    );
    assert_eq!(agree(&repo, Some(&old), &new, "a link moved"), 1);
}

#[test]
fn a_root_folder_replaced_by_a_link_to_its_own_id_is_a_change() {
    // The same id at both sides, a folder at one and a submodule link at
    // the other: the folder's files are gone from the tree. (git accepts
    // such a link: `git update-index --cacheinfo 160000,<tree>,reviews`.)
    let repo = Repo::new();
    let reviews = folder("40000", &[("x", file("100644", b"one\n"))]);
    let old = folder("40000", &[("reviews", reviews.clone())]);
    let new = folder("40000", &[("reviews", Node::Link(repo.write(&reviews)))]);
    assert_eq!(agree(&repo, Some(&old), &new, "folder to link"), 2);
    assert_eq!(agree(&repo, Some(&new), &old, "link to folder"), 2);
    // Below the top the two sort apart (`reviews/` and `reviews`); outside
    // the roots neither counts.
    let under =
        |top: &str, n: &Node| folder("40000", &[(top, folder("40000", &[("r", n.clone())]))]);
    let (o, n) = (under("published", &old), under("published", &new));
    assert_eq!(agree(&repo, Some(&o), &n, "nested"), 2);
    let (o, n) = (under("src", &old), under("src", &new));
    assert_eq!(agree(&repo, Some(&o), &n, "outside"), 0);
}

#[test]
fn treediff_agrees_with_libgit2_on_random_trees() {
    let repo = Repo::new();
    let mut rng = Rng(0x5eed_1234);
    let (mut pairs, mut changes, mut empty) = (0, 0, 0);
    let mut seen = Seen::default();
    // Ids this repository holds, for links to point at.
    let mut known: Vec<Oid> = Vec::new();
    for seed in 0..2000u64 {
        rng.0 = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let old = random_root(&mut rng, &known);
        let new = match rng.below(10) {
            0 => random_root(&mut rng, &known),
            _ => mutate(&mut rng, &repo, &old, 0, &known),
        };
        let what = format!("seed {seed}");
        let n = agree_seen(&repo, Some(&old), &new, &what, &mut seen);
        agree_seen(&repo, Some(&new), &old, &what, &mut seen);
        if seed % 8 == 0 {
            agree_seen(&repo, None, &new, &what, &mut seen);
        }
        pairs += 1;
        changes += n;
        empty += usize::from(n == 0);
        if known.len() < 64 {
            known.push(repo.write(&old));
            if let Node::Dir { children, .. } = &old {
                known.extend(children.values().map(|c| repo.write(c)));
            }
        }
    }
    // The pairs must have been worth comparing: mostly changed, not all.
    assert!(changes > pairs, "{changes} changes in {pairs} pairs");
    assert!(
        empty > 0 && empty < pairs / 4,
        "{empty} of {pairs} unchanged"
    );
    let Seen {
        links,
        executables,
        symlinks,
        splits,
        mode_only,
        file_and_folder,
        root_files,
        deep,
        outside,
    } = seen;
    for (case, n) in [
        ("links", links),
        ("executables", executables),
        ("symlinks", symlinks),
        ("splits", splits),
        ("mode_only", mode_only),
        ("file_and_folder", file_and_folder),
        ("root_files", root_files),
        ("deep", deep),
        ("outside", outside),
        ("040000 folders", repo.legacy.get()),
    ] {
        assert!(n >= 20, "only {n} {case} in {pairs} pairs");
    }
}
