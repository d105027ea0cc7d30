//! `practice init`: a new register, as its first action.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::action::{self, ActionKind, Base, Change, Landed};
use crate::identity::Actor;
use crate::layout::{CONFIG, FOLDERS, RegisterPath};
use crate::model::{self, RegisterConfig};
use crate::pipeline::signing;
use crate::signature::{RosterKey, Signer};
use crate::{Error, Result};

/// Make `dir` a register: `git init` it when it is not a repository yet, then
/// commit `register.yaml` and the folders as one action, with the acting
/// person as the first editor. Everything that could refuse is checked before
/// anything is created, so a refusal leaves no folder or repository behind.
///
/// The first editor's public key is recorded with them (`key`, else the key
/// their git signs with), and the commit is signed with it, so the chain of
/// authority an audit follows starts at a signature.
/// What `practice init` may be told besides where: the first editor's key,
/// and rules other than the defaults.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub key: Option<RosterKey>,
    pub min_suitable: Option<usize>,
    /// The topics new submissions choose from, instead of the College's.
    pub topics: Option<Vec<String>>,
}

pub fn init(dir: &Path, setup: Setup) -> Result<Landed> {
    let Setup {
        key,
        min_suitable,
        topics,
    } = setup;
    crate::identity::follow_git_config_env();
    let existing = Repository::open(dir).ok();
    if existing.is_none() {
        if let Some(outer) = register_above(dir) {
            return Err(Error::bad(format!(
                "{} is inside the register at {}; make a new register in a folder outside it",
                dir.display(),
                outer.display()
            )));
        }
        if dir.join(CONFIG).exists() {
            return Err(Error::bad(format!(
                "{} holds a register.yaml that git does not track; move it away and run `practice init` again, or `git init` there and commit it",
                dir.display()
            )));
        }
    }
    let config = match &existing {
        Some(repo) => crate::identity::git_config(Some(repo))?,
        None => crate::identity::git_config(None)?,
    };
    let actor = Actor::from_env(&config)?;
    let signer = Signer::from_config(&config)?;
    let mut register = RegisterConfig::new_default(&actor.person);
    if let Some(n) = min_suitable {
        let partners = register.partner_ids().len();
        if n == 0 || n > partners {
            return Err(Error::bad(format!(
                "--min-suitable must be between 1 and the {partners} partners; {n} is not"
            )));
        }
        register.approval.min_suitable = n;
    }
    if let Some(topics) = topics {
        let topics: Vec<String> = topics.iter().map(|t| t.trim().to_string()).collect();
        if topics.is_empty() {
            return Err(Error::bad("--topics names no topic; give one or more"));
        }
        register.topics = topics;
        register.validate().map_err(|e| match e {
            Error::Invalid { message, .. } => Error::bad(format!("--topics: {message}")),
            other => other,
        })?;
    }
    let key = key.or_else(|| signer.as_ref().map(|s| s.public.clone()));
    register.editors[0].key = key.as_ref().map(RosterKey::to_line);
    let asked = config.get_bool("commit.gpgsign").unwrap_or(false);
    // The register it writes is the roster the init is judged by.
    let public = signer.as_ref().map(|s| &s.public);
    let sign = signing::must_sign(&register, &actor.person, public, asked)?;
    if let Some(repo) = &existing {
        let base = Base::of(repo, dir)?;
        let committed = match base.head {
            Some(head) => repo
                .find_commit(head)?
                .tree()?
                .get_path(Path::new(CONFIG))
                .is_ok(),
            None => false,
        };
        if committed {
            return Err(Error::AlreadyRegister(dir.to_path_buf()));
        }
        if dir.join(CONFIG).exists() {
            return Err(Error::UncommittedChanges(CONFIG.into()));
        }
    }
    let repo = match existing {
        Some(repo) => repo,
        None => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            Repository::init(dir)?
        }
    };
    let base = Base::of(&repo, dir)?;
    let mut change = Change::new(ActionKind::Init, None, format!("init: {}", register.name))
        .write(CONFIG, model::to_yaml(&register));
    // git keeps no empty folder, so each starts with a placeholder file.
    for folder in FOLDERS {
        change = change.write(RegisterPath::FolderPlaceholder(folder), Vec::new());
    }
    action::commit(
        &repo,
        &base,
        &change,
        &actor,
        signer.as_ref().filter(|_| sign),
    )
}

/// The register folder above `dir`, if `dir` lies inside one.
fn register_above(dir: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dir).ok()?;
    // `dir` may not exist yet; start from its nearest existing folder.
    let existing = absolute
        .ancestors()
        .find(|a| a.exists())?
        .canonicalize()
        .ok()?;
    existing
        .ancestors()
        .find(|a| a.join(CONFIG).is_file() && a.join(".git").exists())
        .filter(|a| *a != absolute)
        .map(Path::to_path_buf)
}
