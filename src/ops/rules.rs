//! What editors change of the register's rules. Each change is one
//! `Action: rules` commit whose `Rule` trailer names the rule, judged by
//! the audit like any action.

use crate::action::{ActionKind, Change};
use crate::id::is_slug;
use crate::identity::Actor;
use crate::layout::CONFIG;
use crate::model::{self, GuardRules, Partner, RegisterConfig};
use crate::pipeline::effects::{self, Restaged};
use crate::pipeline::rules;
use crate::register::State;
use crate::{Error, Result};

/// A change an editor makes to the register's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleChange {
    /// How many partners must find an activity suitable.
    MinSuitable(usize),
    /// How many days after it opens a round is due.
    ReviewDays(u32),
    TopicAdd(String),
    TopicRename {
        from: String,
        to: String,
    },
    TopicRetire(String),
    /// A partner organisation more, which reviews from now on.
    PartnerAdd {
        id: String,
        name: String,
    },
    /// A partner that reviews no more; its decisions stay on the record.
    PartnerRetire(String),
    /// Let the guard on a shared remote take pushes to `pattern` (a ref
    /// name or a folder of them, `refs/tags/*`) besides the register
    /// branch, or, when `allow` is false, stop taking them.
    GuardRef {
        pattern: String,
        allow: bool,
    },
    /// Who publishes the website: its name, contact and accessibility
    /// statement.
    Publisher(crate::model::Publisher),
}

/// The register's rules changed by `change`, as one `Action: rules`
/// commit whose body lists the activities whose stage it changes.
pub fn rules_change(state: &State, actor: &Actor, change: &RuleChange) -> Result<Change> {
    plan(state, actor, change).map(|(commit, _)| commit)
}

/// The same, with the activities whose stage it changes, for a person to
/// confirm before it lands.
pub fn plan(state: &State, actor: &Actor, change: &RuleChange) -> Result<(Change, Vec<Restaged>)> {
    rules::require_editor(&state.config, &actor.person, "change the register's rules")?;
    let mut config = state.config.clone();
    let Applied {
        rule,
        subject,
        details,
    } = apply(&mut config, change)?;
    config.validate()?;
    let moved = if effects::stages_may_differ(&state.config, &config) {
        let (items, _) = state.items()?;
        effects::restaged(&items, &state.config, &config)
    } else {
        Vec::new()
    };
    if let Some(r) = moved.iter().find(|r| r.undoes_an_outcome()) {
        return Err(Error::bad(format!(
            "this would move `{}` from {} to {}, and its round has come to its outcome; a change of the rules applies to rounds still open, so publish, bank or reopen it first (or let its submitter answer)",
            r.id, r.from, r.to
        )));
    }
    let body = (!moved.is_empty()).then(|| {
        let lines: Vec<String> = moved.iter().map(Restaged::line).collect();
        format!("Stages this changes:\n{}", lines.join("\n"))
    });
    let mut commit = Change::new(ActionKind::Rules, None, subject)
        .body(body.as_deref())
        .trailer("Rule", rule);
    for (key, value) in details {
        commit = commit.trailer(key, value);
    }
    Ok((commit.write(CONFIG, model::to_yaml(&config)), moved))
}

/// What [`apply`] did, for the commit that records it.
struct Applied {
    /// The `Rule` trailer's word for the rule changed.
    rule: &'static str,
    subject: String,
    /// The trailers that say what changed.
    details: Vec<(&'static str, String)>,
}

/// `change` made to `config`.
fn apply(config: &mut RegisterConfig, change: &RuleChange) -> Result<Applied> {
    let unchanged = |what: String| Err(Error::bad(format!("{what}; nothing to change")));
    let find_topic = |topics: &[String], name: &str| {
        topics
            .iter()
            .position(|t| t.eq_ignore_ascii_case(name.trim()))
    };
    Ok(match change {
        RuleChange::MinSuitable(n) => {
            if config.approval.min_suitable == *n {
                return unchanged(format!("min-suitable is {n} already"));
            }
            let active = config.partner_ids().len();
            if *n == 0 || *n > active {
                return Err(Error::bad(format!(
                    "min-suitable must be between 1 and the {active} partners that review; {n} is not"
                )));
            }
            let was = config.approval.min_suitable;
            config.approval.min_suitable = *n;
            Applied {
                rule: "min-suitable",
                subject: format!("rules: min-suitable {was} -> {n}"),
                details: vec![("Value", n.to_string())],
            }
        }
        RuleChange::ReviewDays(days) => {
            if config.approval.review_days == Some(*days) {
                return unchanged(format!("review-days is {days} already"));
            }
            if *days == 0 {
                return Err(Error::bad(
                    "review-days must be 1 or more; a round needs at least a day",
                ));
            }
            config.approval.review_days = Some(*days);
            Applied {
                rule: "review-days",
                subject: format!("rules: review-days {days}"),
                details: vec![("Value", days.to_string())],
            }
        }
        RuleChange::TopicAdd(name) => {
            let name = plain_topic(name)?;
            if find_topic(&config.topics, &name).is_some() {
                return unchanged(format!("`{name}` is a topic already"));
            }
            // A retired topic taken up again leaves the retired list.
            if let Some(i) = find_topic(&config.retired_topics, &name) {
                config.retired_topics.remove(i);
            }
            config.topics.push(name.clone());
            Applied {
                rule: "topics",
                subject: format!("rules: add topic {name}"),
                details: vec![("Change", "add".into()), ("Topic", name)],
            }
        }
        RuleChange::TopicRename { from, to } => {
            let to = plain_topic(to)?;
            let Some(i) = find_topic(&config.topics, from) else {
                return Err(no_topic(config, from));
            };
            let from = config.topics[i].clone();
            let listed = find_topic(&config.topics, &to).is_some()
                || find_topic(&config.retired_topics, &to).is_some();
            if listed && !from.eq_ignore_ascii_case(&to) {
                return Err(Error::bad(format!(
                    "`{to}` is a topic already, or a retired one; rename `{from}` to a new name, or retire it"
                )));
            }
            if from == to {
                return unchanged(format!("the topic is called `{to}` already"));
            }
            // Activities filed under the old name keep it: it stays valid
            // as a retired topic, unless only its spelling changed.
            config.topics[i] = to.clone();
            if !from.eq_ignore_ascii_case(&to) {
                config.retired_topics.push(from.clone());
            }
            Applied {
                rule: "topics",
                subject: format!("rules: rename topic {from} to {to}"),
                details: vec![
                    ("Change", "rename".into()),
                    ("Topic", from),
                    ("Renamed-To", to),
                ],
            }
        }
        RuleChange::TopicRetire(name) => {
            let Some(i) = find_topic(&config.topics, name) else {
                return Err(no_topic(config, name));
            };
            if config.topics.len() == 1 {
                return Err(Error::bad(format!(
                    "`{name}` is the last topic; add another before retiring it"
                )));
            }
            let name = config.topics.remove(i);
            config.retired_topics.push(name.clone());
            Applied {
                rule: "topics",
                subject: format!("rules: retire topic {name}"),
                details: vec![("Change", "retire".into()), ("Topic", name)],
            }
        }
        RuleChange::PartnerAdd { id, name } => {
            if !is_slug(id) {
                return Err(Error::bad(format!(
                    "`{id}` is not a partner id: lowercase words joined by dashes (`fire-service`)"
                )));
            }
            let name = name.trim();
            if name.is_empty() || name.contains(char::is_control) {
                return Err(Error::bad(
                    "--name is blank or holds control characters; give the organisation's name",
                ));
            }
            if let Some(p) = config.partner(id) {
                let state = if p.retired {
                    "a retired partner"
                } else {
                    "a partner already"
                };
                return Err(Error::bad(format!(
                    "`{id}` is {state}; partner ids are never reused, so the record keeps one meaning for each"
                )));
            }
            config.partners.push(Partner {
                id: id.clone(),
                name: name.to_string(),
                reviewers: Vec::new(),
                retired: false,
            });
            Applied {
                rule: "partners",
                subject: format!("rules: add partner {id} ({name})"),
                details: vec![("Change", "add".into()), ("Partner-Id", id.clone())],
            }
        }
        RuleChange::GuardRef { pattern, allow } => {
            GuardRules::check_pattern(pattern).map_err(Error::bad)?;
            let guard = config.guard.get_or_insert_with(GuardRules::default);
            let listed = guard.other_refs.iter().any(|p| p == pattern);
            let subject = match (allow, listed) {
                (true, true) => return unchanged(format!("the guard takes {pattern} already")),
                (false, false) => {
                    return unchanged(format!(
                        "the guard does not take {pattern} (register.yaml lists what it takes under guard.other_refs)"
                    ));
                }
                (true, false) => {
                    guard.other_refs.push(pattern.clone());
                    format!("rules: the guard takes pushes to {pattern}")
                }
                (false, true) => {
                    guard.other_refs.retain(|p| p != pattern);
                    format!("rules: the guard no longer takes pushes to {pattern}")
                }
            };
            if guard.other_refs.is_empty() {
                config.guard = None;
            }
            let verb = if *allow { "allow" } else { "disallow" };
            Applied {
                rule: "guard",
                subject,
                details: vec![("Change", verb.into()), ("Ref", pattern.clone())],
            }
        }
        RuleChange::Publisher(publisher) => {
            publisher.check(|f| format!("--{f}")).map_err(Error::bad)?;
            if config.publisher.as_ref() == Some(publisher) {
                return unchanged(format!(
                    "the publisher is {} already, as given",
                    publisher.name
                ));
            }
            config.publisher = Some(publisher.clone());
            Applied {
                rule: "publisher",
                subject: format!("rules: the site is published by {}", publisher.name),
                details: vec![("Value", publisher.name.clone())],
            }
        }
        RuleChange::PartnerRetire(id) => {
            let partner = config.require_partner(id)?;
            if partner.retired {
                return unchanged(format!("`{id}` is retired already"));
            }
            let left = config.partner_ids().len() - 1;
            if left == 0 {
                return Err(Error::bad(format!(
                    "`{id}` is the last partner that reviews; add another before retiring it"
                )));
            }
            if config.approval.min_suitable > left {
                return Err(Error::bad(format!(
                    "retiring `{id}` would leave {left} partners that review, fewer than min-suitable {}; lower it first with `practice rules set min-suitable {left}`",
                    config.approval.min_suitable
                )));
            }
            if let Some(p) = config.partners.iter_mut().find(|p| &p.id == id) {
                p.retired = true;
            }
            Applied {
                rule: "partners",
                subject: format!("rules: retire partner {id}"),
                details: vec![("Change", "retire".into()), ("Partner-Id", id.clone())],
            }
        }
    })
}

/// A topic's name as given, trimmed, or why it cannot be one.
fn plain_topic(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_control) {
        return Err(Error::bad(
            "the topic is blank or holds control characters; name it plainly",
        ));
    }
    Ok(name.to_string())
}

fn no_topic(config: &RegisterConfig, name: &str) -> Error {
    Error::bad(format!(
        "`{name}` is not a topic new submissions take; use one of: {}",
        config.topics.join(", ")
    ))
}
