use practice::Result;
use practice::model::RosterEntry;
use practice::ops::{self, RosterChange};

use crate::{Context, table};

/// Who reviews for each partner, and who edits (editors change it).
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show each partner's reviewers and the editors
    ///
    /// Example: practice roster list
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add a reviewer to a partner, or an editor
    ///
    /// Example: practice roster add --partner npcc --name "Pat Chief" --email pat.chief@npcc.police.uk
    Add {
        /// The partner they review for
        #[arg(long, required_unless_present = "editor", conflicts_with = "editor")]
        partner: Option<String>,
        /// Add an editor instead of a reviewer
        #[arg(long)]
        editor: bool,
        /// Their name
        #[arg(long)]
        name: String,
        /// Their email: the one their git commits carry
        #[arg(long)]
        email: String,
        /// Their SSH public key, for signed actions
        #[arg(long)]
        key: Option<String>,
    },
    /// Remove someone from the roster (everywhere, unless --partner or --editor)
    ///
    /// Example: practice roster remove --email pat.chief@npcc.police.uk
    Remove {
        /// Their email
        #[arg(long)]
        email: String,
        /// Only from this partner's reviewers
        #[arg(long, conflicts_with = "editor")]
        partner: Option<String>,
        /// Only from the editors
        #[arg(long)]
        editor: bool,
    },
}

pub fn run(ctx: &Context, command: Command) -> Result<()> {
    let register = ctx.open()?;
    let change = match command {
        Command::List { json } => return list(&register, json),
        Command::Add {
            partner,
            editor: _,
            name,
            email,
            key,
        } => RosterChange::Add {
            partner,
            entry: RosterEntry { name, email, key },
        },
        Command::Remove {
            email,
            partner,
            editor,
        } => RosterChange::Remove {
            email,
            partner,
            editor,
        },
    };
    let actor = register.actor()?;
    let landed = register.act(&actor, |state| ops::roster(state, &actor, &change))?;
    super::report(&landed);
    Ok(())
}

fn list(register: &practice::register::Register, json: bool) -> Result<()> {
    let state = register.state()?;
    let config = &state.config;
    if json {
        #[derive(serde::Serialize)]
        struct Roster<'a> {
            partners: &'a [practice::model::Partner],
            editors: &'a [RosterEntry],
        }
        return table::print_json(&Roster {
            partners: &config.partners,
            editors: &config.editors,
        });
    }
    let mut t = table::new(vec!["Role", "Name", "Email"]);
    for p in &config.partners {
        if p.reviewers.is_empty() {
            t.add_row(vec![
                format!("{} reviewer", p.id),
                "(none yet)".into(),
                String::new(),
            ]);
        }
        for r in &p.reviewers {
            t.add_row(vec![
                format!("{} reviewer", p.id),
                r.name.clone(),
                r.email.clone(),
            ]);
        }
    }
    for e in &config.editors {
        t.add_row(vec!["editor".to_string(), e.name.clone(), e.email.clone()]);
    }
    println!("{t}");
    Ok(())
}
