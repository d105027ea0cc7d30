//! What editors do with the roster: add and remove partner reviewers and
//! editors.

use crate::action::{ActionKind, Change};
use crate::identity::Actor;
use crate::layout::CONFIG;
use crate::model::{self, RegisterConfig, RosterEntry, Signatures};
use crate::pipeline::rules;
use crate::register::State;
use crate::signature::RosterKey;
use crate::{Error, Result};

/// A change to the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterChange {
    /// Add a reviewer to `partner`, or an editor when `partner` is `None`.
    Add {
        partner: Option<String>,
        entry: RosterEntry,
    },
    /// Remove `email` from `partner`'s reviewers, or from the editors when
    /// `editor`; from everywhere it appears when neither is given.
    Remove {
        email: String,
        partner: Option<String>,
        editor: bool,
    },
    /// Set or replace (rotate) the key of `email`, wherever they appear.
    Key { email: String, key: RosterKey },
    /// Require signed actions of reviewers and editors, or stop requiring them.
    Signatures(Signatures),
    /// Change someone's email, name or key wherever they are on the roster,
    /// without removing them: what they did stays attributed as it was made.
    Update {
        email: String,
        new_email: Option<String>,
        name: Option<String>,
        key: Option<RosterKey>,
    },
}

pub fn roster(state: &State, actor: &Actor, change: &RosterChange) -> Result<Change> {
    rules::require_editor(&state.config, &actor.person, "change the roster")?;
    let mut config = state.config.clone();
    let commit = match change {
        RosterChange::Add { partner, entry } => {
            let mut entry = entry.clone();
            entry.name = entry.name.trim().to_string();
            entry.email = entry.email.trim().to_string();
            entry.person().check("--name/--email", "new person")?;
            let (list, role) = match partner {
                Some(p) => {
                    state.config.require_partner(p)?;
                    let partner = config
                        .partners
                        .iter_mut()
                        .find(|x| &x.id == p)
                        .expect("checked");
                    (&mut partner.reviewers, format!("{p} reviewer"))
                }
                None => (&mut config.editors, "editor".to_string()),
            };
            if list
                .iter()
                .any(|e| e.email.eq_ignore_ascii_case(&entry.email))
            {
                return Err(Error::bad(format!(
                    "{} is already a {role}; nothing to change",
                    entry.email
                )));
            }
            // A person has one key: one added in a second role keeps it.
            let known = state.config.key_of(&entry.email);
            match (entry.key.as_deref(), &known) {
                (None, known) => entry.key = known.as_ref().map(RosterKey::to_line),
                (Some(line), known) => {
                    let key =
                        RosterKey::parse(line).map_err(|m| Error::bad(format!("--key {m}")))?;
                    if let Some(known) = known.as_ref().filter(|k| !k.same_key(&key)) {
                        return Err(Error::bad(format!(
                            "{} already signs with {known}; a person has one key (replace it with `practice roster key --email {} --key KEY`)",
                            entry.email, entry.email
                        )));
                    }
                    if let Some(owner) = state.config.owner_of(&key)
                        && !owner.email.eq_ignore_ascii_case(&entry.email)
                    {
                        return Err(Error::bad(format!(
                            "the key {key} already belongs to {}; each person signs with a key of their own",
                            owner.person()
                        )));
                    }
                    entry.key = Some(key.to_line());
                }
            }
            let who = entry.person().to_string();
            list.push(entry);
            let c = Change::new(
                ActionKind::Roster,
                None,
                format!("roster: add {who} as {role}"),
            )
            .trailer("Change", "add");
            match partner {
                Some(p) => c.trailer("Partner", p).trailer("Role", "reviewer"),
                None => c.trailer("Role", "editor"),
            }
            .trailer("Email", &who)
        }
        RosterChange::Remove {
            email,
            partner,
            editor,
        } => {
            if let Some(p) = partner {
                state.config.require_partner(p)?;
            }
            let everywhere = partner.is_none() && !editor;
            let mut removed = Vec::new();
            let keep = |list: &mut Vec<RosterEntry>| {
                let before = list.len();
                list.retain(|e| !e.email.eq_ignore_ascii_case(email));
                before != list.len()
            };
            for p in &mut config.partners {
                if (everywhere || partner.as_deref() == Some(p.id.as_str()))
                    && keep(&mut p.reviewers)
                {
                    removed.push(format!("{} reviewer", p.id));
                }
            }
            if (everywhere || *editor) && keep(&mut config.editors) {
                removed.push("editor".to_string());
            }
            if removed.is_empty() {
                return Err(Error::bad(format!(
                    "{email} is not on the roster there; `practice roster list` shows who is"
                )));
            }
            if config.editors.is_empty() {
                return Err(Error::bad(format!(
                    "{email} is the last editor; add another editor before removing them"
                )));
            }
            let mut c = Change::new(
                ActionKind::Roster,
                None,
                format!("roster: remove {email} as {}", removed.join(", ")),
            )
            .trailer("Change", "remove");
            if let Some(p) = partner {
                c = c.trailer("Partner", p);
            }
            c.trailer("Email", email)
        }
        RosterChange::Key { email, key } => set_key(&mut config, email, key)?,
        RosterChange::Update {
            email,
            new_email,
            name,
            key,
        } => update(
            &mut config,
            email,
            new_email.as_deref(),
            name.as_deref(),
            key.as_ref(),
        )?,
        RosterChange::Signatures(policy) => {
            if config.signatures.unwrap_or(Signatures::Optional) == *policy {
                return Err(Error::bad(format!(
                    "signatures are {policy} already; nothing to change"
                )));
            }
            if *policy == Signatures::Required && config.editors.iter().all(|e| e.key.is_none()) {
                return Err(Error::bad(
                    "no editor has a key on the roster, so no editor could act once signatures are required; add yours first with `practice roster key --email YOU --key YOUR.pub`",
                ));
            }
            config.signatures = Some(*policy);
            Change::new(
                ActionKind::Roster,
                None,
                format!("roster: signatures {policy}"),
            )
            .trailer("Change", "signatures")
            .trailer("Signatures", policy)
        }
    };
    config.validate()?;
    Ok(commit.write(CONFIG, model::to_yaml(&config)))
}

/// Change the person `email` wherever they are on the roster.
fn update(
    config: &mut RegisterConfig,
    email: &str,
    new_email: Option<&str>,
    name: Option<&str>,
    key: Option<&RosterKey>,
) -> Result<Change> {
    if new_email.is_none() && name.is_none() && key.is_none() {
        return Err(Error::Missing {
            what: "what to change".into(),
            flag: "--new-email E, --name N or --key K".into(),
        });
    }
    if !config.on_roster(email) {
        return Err(Error::bad(format!(
            "{email} is not on the roster; `practice roster list` shows who is"
        )));
    }
    let mut change = Change::new(ActionKind::Roster, None, format!("roster: update {email}"))
        .trailer("Change", "update")
        .trailer("Email", email);
    let mut said = Vec::new();
    // The key first, while the entries still carry the old email.
    if let Some(key) = key {
        set_key(config, email, key)?;
        said.push(format!("key {key}"));
        change = change.trailer("Key", key);
    }
    let current = config
        .everyone()
        .find(|e| e.email.eq_ignore_ascii_case(email))
        .map(RosterEntry::person)
        .expect("on the roster");
    let person = model::Person::new(
        name.map(str::trim).unwrap_or(&current.name),
        new_email.map(str::trim).unwrap_or(&current.email),
    );
    person.check("--name/--new-email", "person")?;
    if let Some(new) = new_email {
        let new = new.trim();
        if !new.eq_ignore_ascii_case(email) && config.on_roster(new) {
            return Err(Error::bad(format!(
                "{new} is on the roster already, as someone else; each person has one email"
            )));
        }
        said.push(format!("email {new}"));
        change = change.trailer("New-Email", new);
    }
    if let Some(name) = name {
        said.push(format!("name {}", name.trim()));
        change = change.trailer("Name", name.trim());
    }
    for entry in config
        .partners
        .iter_mut()
        .flat_map(|p| p.reviewers.iter_mut())
        .chain(config.editors.iter_mut())
        .filter(|e| e.email.eq_ignore_ascii_case(email))
    {
        entry.name = person.name.clone();
        entry.email = person.email.clone();
    }
    change.subject = format!("roster: update {email}: {}", said.join(", "));
    Ok(change)
}

/// Give `email` the key `key` wherever they are on the roster.
fn set_key(config: &mut RegisterConfig, email: &str, key: &RosterKey) -> Result<Change> {
    if !config.on_roster(email) {
        return Err(Error::bad(format!(
            "{email} is not on the roster; add them first with `practice roster add`"
        )));
    }
    if let Some(owner) = config.owner_of(key)
        && !owner.email.eq_ignore_ascii_case(email)
    {
        return Err(Error::bad(format!(
            "the key {key} already belongs to {}; each person signs with a key of their own",
            owner.person()
        )));
    }
    let old = config.key_of(email);
    if old.as_ref().is_some_and(|old| old.same_key(key)) {
        return Err(Error::bad(format!(
            "{email} already has the key {key}; nothing to change"
        )));
    }
    let line = key.to_line();
    for entry in config
        .partners
        .iter_mut()
        .flat_map(|p| p.reviewers.iter_mut())
        .chain(config.editors.iter_mut())
        .filter(|e| e.email.eq_ignore_ascii_case(email))
    {
        entry.key = Some(line.clone());
    }
    let verb = if old.is_some() { "rotate" } else { "set" };
    Ok(Change::new(
        ActionKind::Roster,
        None,
        format!("roster: {verb} the key of {email} to {key}"),
    )
    .trailer("Change", "key")
    .trailer("Email", email)
    .trailer("Key", key))
}
