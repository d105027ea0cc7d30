//! `practice init`: a new register, as its first action.

use std::path::Path;

use git2::Repository;

use crate::action::{self, ActionKind, Base, Change, Landed};
use crate::identity::Actor;
use crate::model::{self, CONFIG_PATH, RegisterConfig};
use crate::{Error, Result};

/// The folders of a register; git keeps no empty folder, so each starts with a
/// placeholder file.
const FOLDERS: [&str; 3] = ["submissions", "reviews", "published"];

/// Make `dir` a register: `git init` it when it is not a repository yet, then
/// commit `register.yaml` and the folders as one action, with the acting
/// person as the first editor.
pub fn init(dir: &Path) -> Result<Landed> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let repo = match Repository::open(dir) {
        Ok(repo) => repo,
        Err(_) => Repository::init(dir)?,
    };
    let actor = Actor::from_env(&repo.config()?)?;
    let base = Base::of(&repo, dir)?;
    let committed = match base.head {
        Some(head) => repo
            .find_commit(head)?
            .tree()?
            .get_path(Path::new(CONFIG_PATH))
            .is_ok(),
        None => false,
    };
    if committed || dir.join(CONFIG_PATH).exists() {
        return Err(Error::AlreadyRegister(dir.to_path_buf()));
    }
    let config = RegisterConfig::new_default(&actor.person);
    let mut change = Change::new(ActionKind::Init, None, format!("init: {}", config.name))
        .write(CONFIG_PATH, model::to_yaml(&config));
    for folder in FOLDERS {
        change = change.write(format!("{folder}/.gitkeep"), Vec::new());
    }
    action::commit(&repo, &base, &change, &actor)
}
