//! One module per command.

pub mod amend;
pub mod audit;
pub mod bank;
pub mod fields;
pub mod history;
pub mod init;
pub mod list;
pub mod publish;
pub mod retract;
pub mod review;
pub mod roster;
pub mod show;
pub mod submit;
pub mod sync;
pub mod withdraw;
pub mod write_up;

use practice::action::Landed;

/// Say what an action did: its subject and commit, on stderr, so stdout stays
/// for data.
pub fn report(landed: &Landed) {
    let short = &landed.commit.to_string()[..10];
    eprintln!("{} [{short}]", landed.subject);
    if let Some(err) = &landed.worktree_error {
        eprintln!(
            "practice: warning: committed, but the working tree could not be updated ({err}); run `git checkout HEAD -- .` to bring it up to date"
        );
    }
}
