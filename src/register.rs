//! Finding a register and reading it. A register's state is what HEAD's tree
//! says, read from git objects: the working tree may hold someone's half-typed
//! edit, and what was decided is what was committed.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository, Tree};

use crate::action::ActionKind;
use crate::action::{self, Change, Landed};
use crate::id::PracticeId;
use crate::identity::Actor;
use crate::layout::{self, CONFIG, FOLDERS, RegisterPath};
use crate::listing::{Keep, View};
use crate::model::Person;
use crate::model::{
    self, Activity, Decision, PublishedEntry, RegisterConfig, Reply, Report, SignOff,
};
use crate::pipeline::{self, Stage, signing};
use crate::signature::{RosterKey, Seal, Signer, submission_seal};
use crate::{Error, Result};

/// An open register: a git repository whose top folder holds `register.yaml`.
pub struct Register {
    repo: Repository,
    root: PathBuf,
}

/// Where an activity is in git: the ids of its `submissions/<id>` folder,
/// `reviews/<id>` folder and `published/<id>.yaml` file.
pub type Places = [Option<Oid>; 3];

/// How many times an action is planned afresh when another one lands first.
const RETRIES: usize = 5;

impl Register {
    /// Find the register as git finds a repository: `start`, then each folder
    /// above it, up to the first that holds `register.yaml`.
    pub fn discover(start: &Path) -> Result<Register> {
        let start = start.canonicalize().map_err(|_| {
            Error::bad(format!(
                "{} is not a folder that exists; pass -C the folder of a register",
                start.display()
            ))
        })?;
        let root = start
            .ancestors()
            .find(|dir| dir.join(CONFIG).is_file())
            .ok_or_else(|| match Repository::open_bare(&start) {
                // A remote's bare repository holds the register, but has no
                // working tree to act in.
                Ok(repo) if repo.is_bare() => Error::bad(format!(
                    "{} is a bare repository (a remote, with no working tree); clone it (`git clone {}`) and run practice in the clone",
                    start.display(),
                    start.display()
                )),
                _ => match Repository::discover(&start) {
                    // `git switch --orphan` empties the working tree too.
                    Ok(repo) if on_orphan_branch(&repo) => orphan_branch(),
                    _ => Error::NoRegister(start.clone()),
                },
            })?;
        Register::open(root)
    }

    /// Open the register whose top folder is `root`.
    pub fn open(root: &Path) -> Result<Register> {
        read_objects_like_git();
        let repo = Repository::open(root).map_err(|_| Error::NotGitRepository(root.into()))?;
        let top = repo
            .workdir()
            .and_then(|w| w.canonicalize().ok())
            .ok_or_else(|| Error::NotGitRepository(root.into()))?;
        if top != root.canonicalize().map_err(|e| Error::io(root, e))? {
            return Err(Error::NotGitRepository(root.into()));
        }
        Ok(Register {
            repo,
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The acting person, from git's environment and this repository's config.
    pub fn actor(&self) -> Result<Actor> {
        Actor::from_env(&crate::identity::git_config(Some(&self.repo))?)
    }

    /// Take this clone's action lock, waiting for any other `practice`
    /// process acting here, and finish an action a crash interrupted. The
    /// lock is the operating system's: it is released when its process ends,
    /// however it ends, so it never needs removing by hand.
    pub fn lock(&self) -> Result<std::fs::File> {
        let path = self.repo.path().join("practice.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        file.lock().map_err(|e| Error::io(&path, e))?;
        action::recover(&self.repo)?;
        Ok(file)
    }

    /// Refuse to act while git is part way through something of its own
    /// (a merge, a rebase, a cherry-pick …): an action's commit would land
    /// in the middle of it.
    fn ready_to_act(&self) -> Result<()> {
        use git2::RepositoryState as S;
        let advice = match self.repo.state() {
            S::Clean => return Ok(()),
            S::Merge => {
                "a merge is in progress; finish it (`git commit`) or abort it (`git merge --abort`)"
            }
            S::Rebase | S::RebaseInteractive | S::RebaseMerge => {
                "a rebase is in progress; finish it (`git rebase --continue`) or abort it (`git rebase --abort`)"
            }
            S::CherryPick | S::CherryPickSequence => {
                "a cherry-pick is in progress; finish it (`git cherry-pick --continue`) or abort it (`git cherry-pick --abort`)"
            }
            S::Revert | S::RevertSequence => {
                "a revert is in progress; finish it (`git revert --continue`) or abort it (`git revert --abort`)"
            }
            S::Bisect => "a bisect is in progress; end it with `git bisect reset`",
            S::ApplyMailbox | S::ApplyMailboxOrRebase => {
                "`git am` is in progress; finish it or abort it (`git am --abort`)"
            }
        };
        Err(Error::bad(format!(
            "no action while {advice}, then run the command again"
        )))
    }

    /// Refuse a shallow clone for a reading of the whole history (audit,
    /// history): its oldest commits are missing, and what they said with them.
    pub fn require_whole_history(&self) -> Result<()> {
        if self.repo.is_shallow() {
            return Err(Error::bad(
                "this clone is shallow, so the register's early history is missing and cannot be judged; run `git fetch --unshallow` first",
            ));
        }
        Ok(())
    }

    /// The register as HEAD has it. Reading works on a detached HEAD too (an
    /// auditor may check out an old commit); acting needs a branch.
    pub fn state(&self) -> Result<State<'_>> {
        let head = match self.repo.head() {
            Ok(head) => head.peel_to_commit()?.id(),
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                return Err(self.no_commits());
            }
            Err(e) => return Err(e.into()),
        };
        self.state_at(head)
    }

    /// Why HEAD has no commit: a register never begun, or a new branch with
    /// nothing on it yet (`git switch --orphan`) beside branches that have.
    fn no_commits(&self) -> Error {
        if on_orphan_branch(&self.repo) {
            return orphan_branch();
        }
        Error::NoCommits(self.root.clone())
    }

    /// The register as the commit `head` has it.
    fn state_at(&self, head: Oid) -> Result<State<'_>> {
        let tree = self.repo.find_commit(head)?.tree()?;
        let config = read_config(&self.repo, &tree)?.ok_or_else(|| Error::Invalid {
            path: CONFIG.into(),
            message: "is not committed on this branch; commit it, or run `practice init`".into(),
        })?;
        Ok(State::new(&self.repo, head, tree, config))
    }

    /// Carry out one action: plan it against the register as HEAD has it and
    /// write it as one commit. When another action lands first, the plan is
    /// made again against the new HEAD, so every rule is checked against the
    /// state the commit really builds on.
    pub fn act(&self, actor: &Actor, plan: impl Fn(&State) -> Result<Change>) -> Result<Landed> {
        let _lock = self.lock()?;
        self.ready_to_act()?;
        let config = crate::identity::git_config(Some(&self.repo))?;
        let signer = Signer::from_config(&config)?;
        let asked = config.get_bool("commit.gpgsign").unwrap_or(false);
        let mut tries = 0;
        loop {
            let base = action::Base::of(&self.repo, &self.root)?;
            let head = base.head.ok_or_else(|| self.no_commits())?;
            let state = self.state_at(head)?;
            let change = plan(&state)?;
            // Whether to sign is judged, like authority, by the roster the
            // action builds on.
            let public = signer.as_ref().map(|s| &s.public);
            let mut sign = signing::must_sign(&state.config, &actor.person, public, asked)?;
            if let Some(key) = submitted_with(&state, &change, &actor.person)? {
                signing::as_submitter(&key, public)?;
                sign = true;
            }
            let signer = signer.as_ref().filter(|_| sign);
            match action::commit(&self.repo, &base, &change, actor, signer) {
                Err(Error::BranchMoved) if tries < RETRIES => tries += 1,
                other => return other,
            }
        }
    }
}

/// The key the activity of `change` was submitted with, when `change` is
/// its submitter's amendment or withdrawal and the submission was signed.
fn submitted_with(state: &State, change: &Change, actor: &Person) -> Result<Option<RosterKey>> {
    if !matches!(change.kind, ActionKind::Amend | ActionKind::Withdraw) {
        return Ok(None);
    }
    let Some(id) = change.practice_id() else {
        return Ok(None);
    };
    let Ok(item) = state.load_item(id) else {
        return Ok(None);
    };
    let by = item.activity.as_ref().and_then(|a| a.submitted.as_ref());
    if !by.is_some_and(|s| s.by.same_email(&actor.email)) {
        return Ok(None);
    }
    Ok(match submission_seal(state.repo(), state.head, id)? {
        Some(Seal::Ssh {
            key,
            verified: true,
        }) => Some(key),
        _ => None,
    })
}

/// Whether HEAD is on a branch with no commits while other branches have
/// some: an orphan branch, not a register never begun.
fn on_orphan_branch(repo: &Repository) -> bool {
    let unborn = matches!(repo.head(), Err(e) if e.code() == git2::ErrorCode::UnbornBranch);
    let branches = repo.branches(Some(git2::BranchType::Local));
    unborn && branches.map(|b| b.flatten().count()).unwrap_or(0) > 0
}

fn orphan_branch() -> Error {
    Error::bad(
        "HEAD is on a branch with no commits yet (an orphan branch); switch to the register's branch, e.g. `git switch main`",
    )
}

/// A problem found while reading a register: a file that does not parse or
/// does not validate, or one that is out of place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file or folder at fault, when there is one.
    pub path: Option<String>,
    /// The whole line, path included.
    pub message: String,
}

impl Problem {
    fn at(path: String, what: &str) -> Problem {
        Problem {
            message: format!("{path}: {what}"),
            path: Some(path),
        }
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Problem {
        Problem {
            path: e.path().map(str::to_string),
            message: e.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The register at one commit.
pub struct State<'r> {
    repo: &'r Repository,
    pub head: Oid,
    tree: Tree<'r>,
    /// `submissions/`, `reviews/` and `published/`, once read.
    folders: [std::cell::OnceCell<Option<Tree<'r>>>; 3],
    /// Where the audit gives one, the register's files listed path by path:
    /// an activity's files are then found there instead of in the trees.
    files: Option<View>,
    pub config: RegisterConfig,
}

/// One activity and everything filed about it, parsed from git: what
/// actions are judged on, now and in an audit.
///
/// The same activity appears at other depths, each for one use:
/// [`Digest`](crate::digest::Digest) keeps what `list` needs, cached by the
/// object ids of its files so a large register lists without parsing;
/// [`Summary`](crate::view::Summary) and [`Detail`](crate::view::Detail) are
/// the shapes `list` and `show` print (with the stage worked out);
/// [`Waiting`](crate::inbox::Waiting) is one line of someone's inbox, with
/// how long it has waited; [`SiteEntry`](crate::site::SiteEntry) is a
/// published entry as the website shows it.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    /// Absent for entries imported into the published set.
    pub activity: Option<Activity>,
    /// Sign-offs by round, then partner. A round opened by an amendment is
    /// present with no sign-offs.
    pub rounds: BTreeMap<u32, BTreeMap<String, SignOff>>,
    /// The submitter's reply to each returned round's questions.
    pub replies: BTreeMap<u32, Reply>,
    /// The files attached as evidence, as `evidence.yaml` lists them.
    pub evidence: Vec<model::Evidence>,
    pub report: Option<Report>,
    pub published: Option<PublishedEntry>,
}

impl<'r> State<'r> {
    /// The register in `tree`, the tree of the commit `head`, whose
    /// `register.yaml` says `config`.
    pub(crate) fn new(
        repo: &'r Repository,
        head: Oid,
        tree: Tree<'r>,
        config: RegisterConfig,
    ) -> State<'r> {
        State {
            repo,
            head,
            tree,
            folders: Default::default(),
            files: None,
            config,
        }
    }

    /// The same, finding files in `files`, which lists `tree`'s.
    pub(crate) fn listed(
        repo: &'r Repository,
        head: Oid,
        tree: Tree<'r>,
        config: RegisterConfig,
        files: View,
    ) -> State<'r> {
        State {
            files: Some(files),
            ..State::new(repo, head, tree, config)
        }
    }

    /// One of the three top-level folders. Each is read once, when first
    /// needed: looking a path up from the root each time would decode a
    /// folder of thousands of entries again for every file.
    pub fn folder(&self, name: &str) -> Option<&Tree<'r>> {
        let index = FOLDERS.iter().position(|f| *f == name)?;
        self.folders[index]
            .get_or_init(|| {
                self.tree
                    .get_name(name)
                    .filter(|e| e.kind() == Some(ObjectType::Tree))
                    .and_then(|e| self.repo.find_tree(e.id()).ok())
            })
            .as_ref()
    }

    /// The tree holding `path`, and the rest of the path within it.
    fn locate<'p>(&self, path: &'p str) -> (&Tree<'r>, &'p str) {
        match path.split_once('/') {
            Some((first, rest)) if !rest.is_empty() => match self.folder(first) {
                Some(folder) => (folder, rest),
                None => (&self.tree, path),
            },
            _ => (&self.tree, path),
        }
    }

    /// The entry at `path`, if HEAD has one.
    fn entry(&self, path: &str) -> Option<git2::TreeEntry<'static>> {
        let (tree, rest) = self.locate(path);
        tree.get_path(Path::new(rest)).ok()
    }

    pub fn tree(&self) -> &Tree<'r> {
        &self.tree
    }

    pub fn repo(&self) -> &'r Repository {
        self.repo
    }

    /// The bytes of the file at `path`, if HEAD has one there.
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        if let Some(files) = &self.files {
            return match files.blob(path) {
                Some(blob) => Ok(Some(self.listed_blob(path, blob)?.content().to_vec())),
                None => Ok(None),
            };
        }
        let (tree, rest) = self.locate(path);
        read_blob(self.repo, tree, rest)
    }

    /// The file at `path` as a `T`, if HEAD has one there.
    fn parse<T: Keep>(&self, path: &str) -> Result<Option<T>> {
        match &self.files {
            Some(files) => files.parse(path, |blob| {
                model::parse(path, self.listed_blob(path, blob)?.content())
            }),
            None => match self.read(path)? {
                Some(text) => Ok(Some(model::parse(path, &text)?)),
                None => Ok(None),
            },
        }
    }

    /// The blob a listing gives for `path`. A listing knows ids, not kinds:
    /// what it lists may be a submodule's commit, or missing.
    fn listed_blob(&self, path: &str, id: Oid) -> Result<git2::Blob<'r>> {
        self.repo.find_blob(id).map_err(|e| Error::Invalid {
            path: path.to_string(),
            message: format!(
                "cannot be read as a file ({}); restore it from another clone, or remove it",
                e.message()
            ),
        })
    }

    /// The blob at `path`, if HEAD has a file there.
    /// The bytes of the file at `path` in HEAD, if there is one.
    pub fn read_file(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self.blob(path) {
            Some(blob) => Ok(Some(self.repo.find_blob(blob)?.content().to_vec())),
            None => Ok(None),
        }
    }

    fn blob(&self, path: &str) -> Option<Oid> {
        match &self.files {
            Some(files) => files.blob(path),
            None => self
                .entry(path)
                .filter(|e| e.kind() == Some(ObjectType::Blob))
                .map(|e| e.id()),
        }
    }

    /// Whether HEAD has a file at `path`, or a folder holding one: git can
    /// store an empty folder, but it holds no record (and a listing, which
    /// knows only files, must agree).
    fn holds(&self, path: &str) -> bool {
        fn holds_a_file(repo: &Repository, tree: &Tree<'_>) -> bool {
            tree.iter().any(|e| match e.kind() {
                Some(ObjectType::Tree) => repo
                    .find_tree(e.id())
                    .map_or(true, |t| holds_a_file(repo, &t)),
                _ => true,
            })
        }
        match &self.files {
            Some(files) => files.holds(path),
            None => match self.entry(path) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => self
                    .repo
                    .find_tree(e.id())
                    .map_or(true, |t| holds_a_file(self.repo, &t)),
                found => found.is_some(),
            },
        }
    }

    /// Whether `id` is taken, by a submission or a published entry.
    pub fn exists(&self, id: &PracticeId) -> bool {
        self.holds(&layout::submission_folder(id.as_str()))
            || self.holds(&RegisterPath::published(id.as_str()).to_string())
    }

    /// The activity `id`, refusing if it is absent or any of its files is
    /// damaged: an action must never be judged on half a record.
    pub fn item(&self, id: &PracticeId) -> Result<Item> {
        if !self.exists(id) {
            return Err(Error::UnknownActivity(id.to_string()));
        }
        self.load_item(id.as_str())
    }

    /// Every activity that reads cleanly, and a problem for each that does not.
    pub fn items(&self) -> Result<(Vec<Item>, Vec<Problem>)> {
        let (places, mut problems) = self.survey()?;
        let mut items = Vec::with_capacity(places.len());
        for id in places.keys() {
            match self.load_item(id) {
                Ok(item) => items.push(item),
                Err(e) => problems.push(e.into()),
            }
        }
        Ok((items, problems))
    }

    /// Every activity's places in git — the ids of its `submissions/<id>`
    /// folder, `reviews/<id>` folder and `published/<id>.yaml` file, where it
    /// has them — and a problem for each file that is out of place.
    pub fn survey(&self) -> Result<(BTreeMap<String, Places>, Vec<Problem>)> {
        let mut places: BTreeMap<String, Places> = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, kind, oid) in self.list(layout::SUBMISSIONS)? {
            if kind == Some(ObjectType::Tree) && crate::id::is_slug(&name) {
                places.entry(name).or_default()[0] = Some(oid);
            } else if !layout::is_placeholder(&name) {
                problems.push(Problem::at(
                    layout::within(layout::SUBMISSIONS, &name),
                    "not an activity folder (folder names are ids like safer-sleep-merseyside-police); move or remove it",
                ));
            }
        }
        let (published, misplaced) = self.published_entries()?;
        for (id, oid) in published {
            places.entry(id).or_default()[2] = Some(oid);
        }
        problems.extend(misplaced);
        for (name, _, oid) in self.list(layout::REVIEWS)? {
            match places.get_mut(&name) {
                Some(p) => p[1] = Some(oid),
                None if layout::is_placeholder(&name) => {}
                None => problems.push(Problem::at(
                    layout::within(layout::REVIEWS, &name),
                    "sign-offs for an activity the register does not hold",
                )),
            }
        }
        Ok((places, problems))
    }

    /// The entries of `published/`, each id with its file's blob, and a
    /// problem for each file there that is not one.
    pub fn published_entries(&self) -> Result<(BTreeMap<String, Oid>, Vec<Problem>)> {
        let mut entries = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, kind, oid) in self.list(layout::PUBLISHED)? {
            match layout::published_id(&name) {
                Some(id) if kind == Some(ObjectType::Blob) && crate::id::is_slug(id) => {
                    entries.insert(id.to_string(), oid);
                }
                _ if layout::is_placeholder(&name) => {}
                _ => problems.push(Problem::at(
                    layout::within(layout::PUBLISHED, &name),
                    "not a published entry (they are named <id>.yaml); move or remove it",
                )),
            }
        }
        Ok((entries, problems))
    }

    /// The activity `id`, however its files read, without first checking it
    /// exists (see [`State::item`]).
    pub fn load_item(&self, id: &str) -> Result<Item> {
        let activity_path = RegisterPath::activity(id).to_string();
        let activity = match self.parse::<Activity>(&activity_path)? {
            Some(a) => {
                a.validate(&activity_path)?;
                if a.id.as_deref() != Some(id) {
                    return Err(Error::Invalid {
                        path: activity_path,
                        message: format!("`id` must be `{id}`, the name of its folder"),
                    });
                }
                Some(a)
            }
            None => None,
        };
        let report = self.parse::<Report>(&RegisterPath::report(id).to_string())?;
        let published = self.parse::<PublishedEntry>(&RegisterPath::published(id).to_string())?;
        if activity.is_none() && published.is_none() {
            return Err(Error::Invalid {
                path: layout::submission_folder(id),
                message: "has no activity.yaml; restore it from git history".into(),
            });
        }
        let (rounds, replies) = self.load_rounds(id)?;
        let evidence = self.load_evidence(id)?;
        Ok(Item {
            id: id.to_string(),
            activity,
            rounds,
            replies,
            evidence,
            report,
            published,
        })
    }

    /// The evidence list of `id`, each listed file present at its size, and
    /// no file in the folder that the list does not name. (What each file's
    /// content is, the audit checks as it is attached.)
    pub fn load_evidence(&self, id: &str) -> Result<Vec<model::Evidence>> {
        let list_path = RegisterPath::evidence_list(id).to_string();
        let list: model::EvidenceList = self.parse(&list_path)?.unwrap_or_default();
        let folder = format!(
            "{}/{}",
            layout::submission_folder(id),
            layout::EVIDENCE_FOLDER
        );
        let names = self.names(&folder)?;
        let odb = self.repo.odb()?;
        for (i, e) in list.iter().enumerate() {
            let invalid = |message: String| Error::Invalid {
                path: list_path.clone(),
                message,
            };
            model::check_evidence_name(&e.name).map_err(invalid)?;
            if list[..i].iter().any(|o| o.name == e.name) {
                return Err(invalid(format!("lists {} twice", e.name)));
            }
            let path = RegisterPath::evidence(id, &e.name).to_string();
            let size = match self.blob(&path) {
                Some(blob) => odb.read_header(blob)?.0 as u64,
                None => {
                    return Err(invalid(format!(
                        "lists {}, but {path} is not there",
                        e.name
                    )));
                }
            };
            if size != e.bytes {
                return Err(invalid(format!(
                    "lists {} as {} bytes, but the file holds {size}",
                    e.name, e.bytes
                )));
            }
        }
        if let Some(stray) = names.iter().find(|n| !list.iter().any(|e| &e.name == *n)) {
            return Err(Error::Invalid {
                path: layout::within(&folder, stray),
                message: format!(
                    "is not in {list_path}; files are attached with `practice attach`, which lists them"
                ),
            });
        }
        Ok(list)
    }

    /// Each round's sign-offs, and the replies.
    #[allow(clippy::type_complexity)]
    fn load_rounds(
        &self,
        id: &str,
    ) -> Result<(
        BTreeMap<u32, BTreeMap<String, SignOff>>,
        BTreeMap<u32, Reply>,
    )> {
        let mut rounds = BTreeMap::new();
        let mut replies = BTreeMap::new();
        let folder = layout::reviews_folder(id);
        for name in self.names(&folder)? {
            if layout::is_placeholder(&name) {
                continue;
            }
            let round = layout::round_number(&name).ok_or_else(|| Error::Invalid {
                path: layout::within(&folder, &name),
                message: format!(
                    "is not a round folder ({}, {}, … up to {}); move or remove it",
                    layout::round_name(1),
                    layout::round_name(2),
                    layout::round_name(layout::MAX_ROUND)
                ),
            })?;
            let mut sign_offs = BTreeMap::new();
            let round_folder = layout::within(&folder, &name);
            for file in self.names(&round_folder)? {
                if layout::is_placeholder(&file) {
                    continue;
                }
                let path = layout::within(&round_folder, &file);
                if file == layout::REPLY_FILE {
                    let reply = match self.parse::<Reply>(&path)? {
                        Some(reply) => reply,
                        None => model::parse(&path, b"")?,
                    };
                    reply.validate(&path, id, round)?;
                    replies.insert(round, reply);
                    continue;
                }
                let partner = layout::sign_off_partner(&file);
                let Some(partner) = partner.filter(|p| self.config.partner(p).is_some()) else {
                    return Err(Error::Invalid {
                        path,
                        message: format!(
                            "is not a sign-off: files here are named after a partner ({})",
                            self.config
                                .partner_ids()
                                .iter()
                                .map(|p| layout::sign_off_file(p))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                };
                let sign_off = match self.parse::<SignOff>(&path)? {
                    Some(sign_off) => sign_off,
                    // Not a file: say why it does not read as one.
                    None => model::parse(&path, b"")?,
                };
                sign_off.validate(&path, id, round, partner)?;
                sign_offs.insert(partner.to_string(), sign_off);
            }
            rounds.insert(round, sign_offs);
        }
        Ok((rounds, replies))
    }

    /// The names in the folder `path` in HEAD.
    fn names(&self, path: &str) -> Result<Vec<String>> {
        match &self.files {
            Some(files) => Ok(files.names(path)),
            None => Ok(self.list(path)?.into_iter().map(|e| e.0).collect()),
        }
    }

    /// The names and kinds of the entries of the folder `path` in HEAD.
    fn list(&self, path: &str) -> Result<Vec<(String, Option<ObjectType>, Oid)>> {
        let found;
        let tree = match self.folder(path) {
            Some(folder) => folder,
            None => {
                let Some(entry) = self.entry(path) else {
                    return Ok(vec![]);
                };
                if entry.kind() != Some(ObjectType::Tree) {
                    return Ok(vec![]);
                }
                found = self.repo.find_tree(entry.id())?;
                &found
            }
        };
        Ok(tree
            .iter()
            .map(|e| {
                (
                    String::from_utf8_lossy(e.name_bytes()).into_owned(),
                    e.kind(),
                    e.id(),
                )
            })
            .collect())
    }

    /// The commit that first added `path`, on the line of first parents
    /// from HEAD: the oldest commit there whose parent does not hold it.
    /// Reads only the folders along the path, as raw bytes.
    pub fn added_by(&self, path: &str) -> Result<Option<Oid>> {
        if self.blob(path).is_none() {
            return Ok(None);
        }
        let names: Vec<&[u8]> = path.as_bytes().split(|b| *b == b'/').collect();
        let paths = [names];
        let odb = self.repo.odb()?;
        let along = crate::treediff::AlongPaths::new(&odb);
        let mut commit = self.repo.find_commit(self.head)?;
        loop {
            let Some(parent) = commit.parents().next() else {
                return Ok(Some(commit.id()));
            };
            let held = !along.differing(parent.tree_id(), None, &paths)?.is_empty();
            along.next_commit();
            if !held {
                return Ok(Some(commit.id()));
            }
            commit = parent;
        }
    }

    /// For each path, the commit that gave it the content it has in HEAD:
    /// the newest commit holding that content where no parent held it.
    ///
    /// Compared by ids, as `git log -- PATH` compares: a commit can only
    /// have introduced a path whose ids (the root's, then each folder's
    /// along it) differ from every parent's, so only those folders are read,
    /// as raw bytes, and no folder of thousands of entries is decoded.
    pub fn introduced_by(&self, paths: &[String]) -> Result<BTreeMap<String, Oid>> {
        let mut wanted: BTreeMap<&str, Oid> = BTreeMap::new();
        for path in paths {
            if let Some(blob) = self.blob(path) {
                wanted.insert(path, blob);
            }
        }
        // Split into names, in the names' order (as `differing` needs).
        let mut sought: Vec<(Vec<&[u8]>, &str, Oid)> = wanted
            .iter()
            .map(|(path, blob)| {
                (
                    path.as_bytes().split(|b| *b == b'/').collect(),
                    *path,
                    *blob,
                )
            })
            .collect();
        sought.sort();
        let mut seeking = Seeking {
            names: sought.iter().map(|s| s.0.clone()).collect(),
            paths: sought.iter().map(|s| s.1).collect(),
            blobs: sought.iter().map(|s| s.2).collect(),
            commits: HashMap::new(),
        };
        let mut found = BTreeMap::new();
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
        walk.push(self.head)?;
        let odb = self.repo.odb()?;
        let along = crate::treediff::AlongPaths::new(&odb);
        while !seeking.paths.is_empty() {
            let Some(oid) = walk.next() else { break };
            let oid = oid?;
            let mut introduced = seeking.introduced_at(self.repo, &along, oid)?;
            // Once each, even from a damaged tree naming a path twice.
            introduced.sort_unstable();
            introduced.dedup();
            for &i in introduced.iter().rev() {
                seeking.names.remove(i);
                seeking.blobs.remove(i);
                found.insert(seeking.paths.remove(i).to_string(), oid);
            }
        }
        Ok(found)
    }
}

/// What [`State::introduced_by`] still seeks, walking history.
struct Seeking<'p> {
    /// Each path split into its names, in order, and whole.
    names: Vec<Vec<&'p [u8]>>,
    paths: Vec<&'p str>,
    /// The content each path has in HEAD.
    blobs: Vec<Oid>,
    /// The tree and parents of commits the walk will reach, read when they
    /// were met as a parent: each commit is read once.
    commits: HashMap<Oid, (Oid, Vec<Oid>)>,
}

impl Seeking<'_> {
    /// The paths (by position) that the commit `oid` holds with the sought
    /// content where no parent held it.
    fn introduced_at(
        &mut self,
        repo: &Repository,
        along: &crate::treediff::AlongPaths<'_, '_>,
        oid: Oid,
    ) -> Result<Vec<usize>> {
        let read = |id: Oid| -> Result<(Oid, Vec<Oid>)> {
            let commit = repo.find_commit(id)?;
            Ok((commit.tree_id(), commit.parent_ids().collect()))
        };
        let (tree, parent_ids) = match self.commits.remove(&oid) {
            Some(known) => known,
            None => read(oid)?,
        };
        // A parent that cannot be read holds nothing, and a root commit is
        // compared with an empty tree.
        let mut parents: Vec<Option<Oid>> = Vec::with_capacity(parent_ids.len().max(1));
        for parent in &parent_ids {
            if !self.commits.contains_key(parent)
                && let Ok(known) = read(*parent)
            {
                self.commits.insert(*parent, known);
            }
            parents.push(self.commits.get(parent).map(|known| known.0));
        }
        if parents.is_empty() {
            parents.push(None);
        }
        // Those that differ from the first parent with the sought content,
        // then those of them that differ from each other parent too.
        let mut introduced: Vec<usize> = along
            .differing(tree, parents[0], &self.names)?
            .into_iter()
            .filter(|&(i, id)| id == self.blobs[i])
            .map(|(i, _)| i)
            .collect();
        for &parent in &parents[1..] {
            introduced.sort_unstable();
            introduced.dedup();
            let some: Vec<Vec<&[u8]>> = introduced.iter().map(|&i| self.names[i].clone()).collect();
            introduced = along
                .differing(tree, parent, &some)?
                .into_iter()
                .map(|(i, _)| introduced[i])
                .collect();
        }
        along.next_commit();
        Ok(introduced)
    }
}

impl Item {
    /// The highest round, or 1 before any decision.
    pub fn current_round(&self) -> u32 {
        self.rounds.keys().next_back().copied().unwrap_or(1)
    }

    /// Each partner's decision in the current round.
    pub fn decisions(&self) -> BTreeMap<String, Decision> {
        self.rounds
            .get(&self.current_round())
            .map(|r| r.iter().map(|(p, s)| (p.clone(), s.decision)).collect())
            .unwrap_or_default()
    }

    pub fn stage(&self, config: &RegisterConfig) -> Stage {
        pipeline::stage_under(
            config,
            &self.decisions(),
            self.report_complete(),
            self.is_withdrawn(),
            self.publication(),
        )
    }

    /// Whether the report holds every section.
    pub fn report_complete(&self) -> bool {
        self.report
            .as_ref()
            .is_some_and(|r| r.missing_sections().is_empty())
    }

    pub fn is_withdrawn(&self) -> bool {
        self.activity
            .as_ref()
            .is_some_and(|a| a.withdrawn.is_some())
    }

    /// The published entry's kind, and whether it was retracted.
    pub fn publication(&self) -> Option<(crate::model::Kind, bool)> {
        self.published
            .as_ref()
            .map(|p| (p.kind, p.retracted.is_some()))
    }

    pub fn title(&self) -> &str {
        match (&self.activity, &self.published) {
            (Some(a), _) => &a.title,
            (None, Some(p)) => &p.title,
            (None, None) => "",
        }
    }

    pub fn organisations(&self) -> &[String] {
        match (&self.activity, &self.published) {
            (Some(a), _) => &a.organisations,
            (None, Some(p)) => &p.organisations,
            (None, None) => &[],
        }
    }

    pub fn topic(&self) -> Option<&str> {
        match (&self.activity, &self.published) {
            (Some(a), _) => Some(&a.topic),
            (None, Some(p)) => p.topic.as_deref(),
            (None, None) => None,
        }
    }

    /// Partners that have not decided in the current round.
    pub fn awaiting<'c>(&self, config: &'c RegisterConfig) -> Vec<&'c str> {
        pipeline::awaiting(config, &self.decisions())
    }
}

/// Read objects as git does: without hashing each one again (an object's
/// id is its hash when written, and `git fsck` checks it).
///
/// libgit2's object cache is left as it comes, caching commits and small
/// trees but no folder of thousands of entries: every reader here compares
/// each folder once with the next version of it, and libgit2 evicts from a
/// full cache by scanning it from the start on every store, under one budget
/// for all of a process's repositories. Caching large folders (96 MiB of
/// them, as until 2026-12-02) made the first audit at 10,000 activities
/// 36.7 s against 34.5 s without, and `publish` 12.6 s against 9.6 s.
/// Set once per process, before any repository is read.
pub(crate) fn read_objects_like_git() {
    crate::identity::follow_git_config_env();
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

/// The validated `register.yaml` of `tree`, if it has one.
pub(crate) fn read_config(repo: &Repository, tree: &Tree<'_>) -> Result<Option<RegisterConfig>> {
    let Some(text) = read_blob(repo, tree, CONFIG)? else {
        return Ok(None);
    };
    let config: RegisterConfig = model::parse(CONFIG, &text)?;
    config.validate()?;
    Ok(Some(config))
}

pub(crate) fn read_blob(repo: &Repository, tree: &Tree<'_>, path: &str) -> Result<Option<Vec<u8>>> {
    match tree.get_path(Path::new(path)) {
        Ok(entry) if entry.kind() == Some(ObjectType::Blob) => {
            Ok(Some(repo.find_blob(entry.id())?.content().to_vec()))
        }
        Ok(_) => Ok(None),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    /// A tree of `files` (path → content) written into `repo`.
    fn tree(repo: &Repository, files: &BTreeMap<&str, &str>) -> Oid {
        let mut here = repo.treebuilder(None).unwrap();
        let mut below: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
        for (path, content) in files {
            match path.split_once('/') {
                Some((folder, rest)) => {
                    below.entry(folder).or_default().insert(rest, content);
                }
                None => {
                    let blob = repo.blob(content.as_bytes()).unwrap();
                    here.insert(path, blob, 0o100644).unwrap();
                }
            }
        }
        for (folder, files) in below {
            here.insert(folder, tree(repo, &files), 0o040000).unwrap();
        }
        here.write().unwrap()
    }

    fn commit(repo: &Repository, at: i64, parents: &[Oid], files: &BTreeMap<&str, &str>) -> Oid {
        let who = git2::Signature::new("A", "a@x.uk", &git2::Time::new(at, 0)).unwrap();
        let tree = repo.find_tree(tree(repo, files)).unwrap();
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        repo.commit(None, &who, &who, "c", &tree, &parents).unwrap()
    }

    /// The definition, read plainly: the newest commit in the walk whose
    /// tree holds the path's blob in HEAD where no parent's tree held it.
    fn by_definition(repo: &Repository, head: Oid, path: &str) -> Option<Oid> {
        let at = |t: &Tree<'_>| t.get_path(Path::new(path)).ok().map(|e| e.id());
        let blob = at(&repo.find_commit(head).unwrap().tree().unwrap())?;
        let mut walk = repo.revwalk().unwrap();
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
            .unwrap();
        walk.push(head).unwrap();
        walk.map(|c| repo.find_commit(c.unwrap()).unwrap())
            .find(|c| {
                at(&c.tree().unwrap()) == Some(blob)
                    && !c.parents().any(|p| at(&p.tree().unwrap()) == Some(blob))
            })
            .map(|c| c.id())
    }

    #[test]
    fn introduced_by_keeps_its_definition_across_fresh_databases() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut files: BTreeMap<&str, &str> = BTreeMap::new();
        files.insert("reviews/a/round-1/npcc.yaml", "suitable");
        files.insert("reviews/b/round-1/npcc.yaml", "suitable");
        files.insert("submissions/a/activity.yaml", "a");
        let root = commit(&repo, 100, &[], &files);
        files.insert("reviews/a/round-1/npcc.yaml", "not-suitable");
        let changed = commit(&repo, 200, &[root], &files);
        // Back to the first content: introduced again, here.
        files.insert("reviews/a/round-1/npcc.yaml", "suitable");
        files.insert("reviews/a/round-1/iopc.yaml", "suitable");
        let back = commit(&repo, 300, &[changed], &files);
        // Two branches, one adding a file the other lacks, both adding
        // another to the byte; merged.
        let mut left = files.clone();
        left.insert("reviews/b/round-1/iopc.yaml", "left");
        left.insert("reviews/c/round-1/npcc.yaml", "same");
        let left = commit(&repo, 400, &[back], &left);
        let mut right = files.clone();
        right.insert("reviews/c/round-1/npcc.yaml", "same");
        right.insert("submissions/a/activity.yaml", "a, amended");
        let right = commit(&repo, 500, &[back], &right);
        files.insert("reviews/b/round-1/iopc.yaml", "left");
        files.insert("reviews/c/round-1/npcc.yaml", "same");
        files.insert("submissions/a/activity.yaml", "a, amended");
        let merge = commit(&repo, 600, &[left, right], &files);
        // A file moved away and back under a folder that changed between.
        files.remove("reviews/b/round-1/npcc.yaml");
        let gone = commit(&repo, 700, &[merge], &files);
        files.insert("reviews/b/round-1/npcc.yaml", "suitable");
        files.insert("register.yaml", "x");
        let head = commit(&repo, 800, &[gone], &files);

        let config = RegisterConfig::new_default(&Person::new("E", "e@x.uk"));
        let tree = repo.find_commit(head).unwrap().tree().unwrap();
        let state = State::new(&repo, head, tree, config);
        let mut paths: Vec<String> = files.keys().map(|p| p.to_string()).collect();
        paths.push("reviews/a/round-1/hmicfrs.yaml".into());
        paths.push("reviews/a".into());
        let all = state.introduced_by(&paths).unwrap();
        for path in &paths {
            let alone = state.introduced_by(std::slice::from_ref(path)).unwrap();
            let expected = by_definition(&repo, head, path).filter(|_| state.blob(path).is_some());
            assert_eq!(all.get(path).copied(), expected, "{path}");
            assert_eq!(alone.get(path).copied(), expected, "{path} alone");
        }
        assert_eq!(all["reviews/a/round-1/npcc.yaml"], back);
        assert_eq!(all["reviews/b/round-1/iopc.yaml"], left);
        assert_eq!(all["submissions/a/activity.yaml"], right);
        // Both parents of the merge held it: the newer of its two makers.
        assert_eq!(all["reviews/c/round-1/npcc.yaml"], right);
        assert_eq!(all["reviews/b/round-1/npcc.yaml"], head);
        assert!(!all.contains_key("reviews/a"), "a folder is not a file");
    }
}
