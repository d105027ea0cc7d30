use practice::Result;
use practice::model::{RosterEntry, Signatures};
use practice::ops::{self, RosterChange};
use practice::signature::{RosterKey, key_argument};

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
        /// Their SSH public key, for signed actions: the key line, or the
        /// path of its .pub file
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
    /// Set or replace someone's SSH public key (a rotation keeps what the
    /// old key signed while it was theirs)
    ///
    /// Example: practice roster key --email pat.chief@npcc.police.uk --key ~/pat.pub
    Key {
        /// Their email
        #[arg(long)]
        email: String,
        /// The key line, or the path of its .pub file
        #[arg(long, value_name = "KEY")]
        key: String,
    },
    /// Change someone's email, name or key wherever they are on the roster,
    /// without removing them (their earlier decisions stay as they were made)
    ///
    /// Example: practice roster update --email pat.chief@npcc.police.uk --new-email pat.chief@npcc.uk
    Update {
        /// Their email now
        #[arg(long)]
        email: String,
        /// Their new email
        #[arg(long, value_name = "E")]
        new_email: Option<String>,
        /// Their name, as it should read
        #[arg(long, value_name = "N")]
        name: Option<String>,
        /// Their new SSH public key: the key line, or the path of its .pub file
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
    /// Require every action by a reviewer or an editor to be signed by the
    /// key the roster lists for them, or stop requiring it
    ///
    /// Example: practice roster signatures required
    Signatures {
        /// required | optional
        policy: Signatures,
    },
    /// Write git's allowed_signers file for every key the roster has held,
    /// each with the period it was listed for, so plain git verifies the
    /// register's signatures offline
    ///
    /// Example: practice roster allowed-signers --out allowed_signers &&
    /// git -c gpg.ssh.allowedSignersFile=allowed_signers log --format='%h %G? %GS %ae'
    AllowedSigners {
        /// Write it to this file instead of standard output
        #[arg(long, value_name = "F")]
        out: Option<std::path::PathBuf>,
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
            entry: RosterEntry {
                name,
                email,
                key: key
                    .as_deref()
                    .map(key_argument)
                    .transpose()?
                    .map(|k| k.to_line()),
            },
        },
        Command::Key { email, key } => RosterChange::Key {
            email,
            key: key_argument(&key)?,
        },
        Command::Signatures { policy } => RosterChange::Signatures(policy),
        Command::Update {
            email,
            new_email,
            name,
            key,
        } => RosterChange::Update {
            email,
            new_email,
            name,
            key: key.as_deref().map(key_argument).transpose()?,
        },
        Command::AllowedSigners { out } => return allowed_signers(&register, out.as_deref()),
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
    let fingerprint = |e: &RosterEntry| {
        e.key
            .as_deref()
            .and_then(|k| RosterKey::parse(k).ok())
            .map(|k| k.fingerprint())
    };
    if json {
        #[derive(serde::Serialize)]
        struct Person<'a> {
            #[serde(flatten)]
            entry: &'a RosterEntry,
            fingerprint: Option<String>,
        }
        #[derive(serde::Serialize)]
        struct Partner<'a> {
            id: &'a str,
            name: &'a str,
            reviewers: Vec<Person<'a>>,
        }
        #[derive(serde::Serialize)]
        struct Roster<'a> {
            partners: Vec<Partner<'a>>,
            editors: Vec<Person<'a>>,
            signatures: &'static str,
        }
        let person = |entry| Person {
            entry,
            fingerprint: fingerprint(entry),
        };
        return table::print_json(&Roster {
            partners: config
                .partners
                .iter()
                .map(|p| Partner {
                    id: &p.id,
                    name: &p.name,
                    reviewers: p.reviewers.iter().map(person).collect(),
                })
                .collect(),
            editors: config.editors.iter().map(person).collect(),
            signatures: policy(config),
        });
    }
    let mut t = table::new(vec!["Role", "Name", "Email", "Key"]);
    let key = |e: &RosterEntry| fingerprint(e).unwrap_or_else(|| "-".into());
    for p in &config.partners {
        if p.reviewers.is_empty() {
            t.add_row(vec![
                format!("{} reviewer", p.id),
                "(none yet)".into(),
                String::new(),
                String::new(),
            ]);
        }
        for r in &p.reviewers {
            t.add_row(vec![
                format!("{} reviewer", table::shown(&p.id)),
                table::shown(&r.name),
                table::shown(&r.email),
                key(r),
            ]);
        }
    }
    for e in &config.editors {
        t.add_row(vec![
            "editor".to_string(),
            table::shown(&e.name),
            table::shown(&e.email),
            key(e),
        ]);
    }
    println!("{t}");
    println!("Signatures: {}", policy(config));
    Ok(())
}

fn allowed_signers(
    register: &practice::register::Register,
    out: Option<&std::path::Path>,
) -> Result<()> {
    let periods = practice::signature::key_periods(register.repo())?;
    let text = practice::signature::allowed_signers(&periods);
    match out {
        Some(path) => std::fs::write(path, text).map_err(|e| practice::Error::io(path, e)),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// What the register says of signatures, in its words.
fn policy(config: &practice::model::RegisterConfig) -> &'static str {
    if config.requires_signatures() {
        "required"
    } else {
        "optional"
    }
}
