//! Who may do what, and at which stage. Each rule takes the roster as it stood
//! before the action (`register.yaml` in the action's base commit), so nobody
//! adds themselves and acts in one step. Commands and the audit both call
//! these; neither re-states a rule.

use super::Stage;
use crate::model::{Partner, Person, RegisterConfig};
use crate::{Error, Result};

/// A refusal for someone without authority, naming who has it.
fn no_authority(actor: &Person, action: &str, who_may: String) -> Error {
    Error::NoAuthority {
        who: actor.to_string(),
        action: action.to_string(),
        who_may,
    }
}

fn wrong_stage(action: &'static str, id: &str, stage: Stage, why: &str) -> Error {
    Error::WrongStage {
        action,
        id: id.to_string(),
        stage: stage.to_string(),
        why: why.to_string(),
    }
}

fn editors_list(config: &RegisterConfig) -> String {
    let names: Vec<String> = config
        .editors
        .iter()
        .map(|e| e.person().to_string())
        .collect();
    if names.is_empty() {
        "the register has no editors".into()
    } else {
        format!("the editors are {}", names.join(", "))
    }
}

/// Editors keep the roster and run the published set.
pub fn require_editor(config: &RegisterConfig, actor: &Person, action: &str) -> Result<()> {
    if config.is_editor(&actor.email) {
        Ok(())
    } else {
        Err(no_authority(
            actor,
            action,
            format!("only editors may; {}", editors_list(config)),
        ))
    }
}

/// The submitter or an editor.
fn require_submitter_or_editor(
    config: &RegisterConfig,
    actor: &Person,
    submitter: Option<&Person>,
    action: &str,
) -> Result<()> {
    if config.is_editor(&actor.email) || submitter.is_some_and(|s| s.same_email(&actor.email)) {
        return Ok(());
    }
    let by = submitter.map_or_else(|| "its submitter".to_string(), |s| s.to_string());
    Err(no_authority(
        actor,
        action,
        format!("only {by} or an editor may; {}", editors_list(config)),
    ))
}

/// What an amendment does to the rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amendment {
    /// The activity is still waiting for its first decisions in this round.
    SameRound,
    /// The activity was returned: the amendment answers it and opens the next
    /// round.
    NextRound,
}

/// Only the submitter or an editor may amend, and only while submitted or
/// returned.
pub fn amend(
    config: &RegisterConfig,
    actor: &Person,
    submitter: Option<&Person>,
    id: &str,
    stage: Stage,
) -> Result<Amendment> {
    require_submitter_or_editor(config, actor, submitter, &format!("amend `{id}`"))?;
    match stage {
        Stage::Submitted => Ok(Amendment::SameRound),
        Stage::Returned => Ok(Amendment::NextRound),
        _ => Err(wrong_stage(
            "amend",
            id,
            stage,
            "only a submitted or returned activity can be amended",
        )),
    }
}

/// Only the submitter or an editor may withdraw, and not once it has left the
/// pipeline.
pub fn withdraw(
    config: &RegisterConfig,
    actor: &Person,
    submitter: Option<&Person>,
    id: &str,
    stage: Stage,
) -> Result<()> {
    require_submitter_or_editor(config, actor, submitter, &format!("withdraw `{id}`"))?;
    if stage.is_closed() {
        return Err(wrong_stage(
            "withdraw",
            id,
            stage,
            "it has already left the pipeline (an editor can `practice retract` a published entry)",
        ));
    }
    Ok(())
}

/// Only a reviewer listed under `partner` may record its decision, and only
/// until the activity is published, banked or withdrawn.
pub fn review(
    config: &RegisterConfig,
    actor: &Person,
    partner: &Partner,
    id: &str,
    stage: Stage,
) -> Result<()> {
    if !partner.has_reviewer(&actor.email) {
        let mine: Vec<&str> = config
            .partners_reviewed_by(&actor.email)
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let who_may = if mine.is_empty() {
            format!(
                "only {}'s listed reviewers may; an editor can add you with `practice roster add --partner {} --name NAME --email {}`",
                partner.id, partner.id, actor.email
            )
        } else {
            format!(
                "only {}'s listed reviewers may; you review for {}",
                partner.id,
                mine.join(", ")
            )
        };
        return Err(no_authority(
            actor,
            &format!("record {}'s decision on `{id}`", partner.id),
            who_may,
        ));
    }
    if partner.retired {
        return Err(no_authority(
            actor,
            &format!("record {}'s decision on `{id}`", partner.id),
            format!(
                "{} was retired from the register, and no round waits for its decision now (`practice rules` lists the partners that review)",
                partner.id
            ),
        ));
    }
    if stage.is_closed() {
        return Err(wrong_stage(
            "review",
            id,
            stage,
            "decisions close once an activity is published, banked or withdrawn",
        ));
    }
    Ok(())
}

/// A reviewer of `partner` may take its decision in the current round
/// back while the round has no outcome yet (in review); after that, the
/// decision is part of what the round came to, and is changed, not cleared.
pub fn clear(
    config: &RegisterConfig,
    actor: &Person,
    partner: &Partner,
    id: &str,
    stage: Stage,
) -> Result<()> {
    review(config, actor, partner, id, stage)?;
    if stage != Stage::InReview {
        return Err(wrong_stage(
            "clear a decision on",
            id,
            stage,
            "a decision is taken back only while its round has no outcome yet; record another decision instead",
        ));
    }
    Ok(())
}

/// Editors reinstate a withdrawn activity, at its submitter's request.
pub fn reinstate(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("reinstate `{id}`"))?;
    if stage != Stage::Withdrawn {
        return Err(wrong_stage(
            "reinstate",
            id,
            stage,
            "only a withdrawn activity is reinstated",
        ));
    }
    Ok(())
}

/// Editors correct a published or banked entry in place.
pub fn revise(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("revise `{id}`"))?;
    if !matches!(stage, Stage::Published | Stage::Banked) {
        return Err(wrong_stage(
            "revise",
            id,
            stage,
            "only a published or banked entry is revised (a report still in the pipeline is written up again)",
        ));
    }
    Ok(())
}

/// The submitter or an editor attaches evidence to an activity, or takes
/// it off again, while the activity is open (not yet published, banked or
/// withdrawn); only an editor makes a file public.
pub fn attach(
    config: &RegisterConfig,
    actor: &Person,
    submitter: Option<&Person>,
    id: &str,
    stage: Stage,
    public: bool,
) -> Result<()> {
    require_submitter_or_editor(
        config,
        actor,
        submitter,
        &format!("attach evidence to `{id}`"),
    )?;
    if public {
        require_editor(config, actor, &format!("make evidence of `{id}` public"))?;
    }
    if stage.is_closed() {
        return Err(wrong_stage(
            "attach or detach evidence on",
            id,
            stage,
            "evidence is added or removed while the activity is open, before publication",
        ));
    }
    Ok(())
}

/// Editors write up approved activity.
pub fn write_up(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("write up `{id}`"))?;
    match stage {
        Stage::Approved | Stage::WrittenUp => Ok(()),
        _ => Err(wrong_stage(
            "write up",
            id,
            stage,
            "only an approved activity is written up",
        )),
    }
}

/// Editors publish an approved activity with a complete report.
pub fn publish(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("publish `{id}`"))?;
    match stage {
        Stage::WrittenUp => Ok(()),
        Stage::Approved => Err(wrong_stage(
            "publish",
            id,
            stage,
            "its report is not complete; finish it with `practice write-up`",
        )),
        _ => Err(wrong_stage(
            "publish",
            id,
            stage,
            "only an approved activity with a complete report is published",
        )),
    }
}

/// Editors place activity in the practice bank, while it is still in the
/// pipeline.
pub fn bank(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("bank `{id}`"))?;
    if stage.is_closed() {
        return Err(wrong_stage(
            "bank",
            id,
            stage,
            "it has already left the pipeline",
        ));
    }
    Ok(())
}

/// Editors reopen a round that cannot end (every partner decided, too few
/// found it suitable): the next round begins, with no decisions yet.
pub fn reopen(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("reopen `{id}`"))?;
    match stage {
        Stage::Undecided => Ok(()),
        _ => Err(wrong_stage(
            "reopen",
            id,
            stage,
            "only an undecided round (every partner decided, too few found it suitable) is reopened; bank it instead with `practice bank`",
        )),
    }
}

/// Editors retract a published or banked entry.
pub fn retract(config: &RegisterConfig, actor: &Person, id: &str, stage: Stage) -> Result<()> {
    require_editor(config, actor, &format!("retract `{id}`"))?;
    match stage {
        Stage::Published | Stage::Banked => Ok(()),
        _ => Err(wrong_stage(
            "retract",
            id,
            stage,
            "only a published or banked entry can be retracted",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RosterEntry;

    fn editor() -> Person {
        Person::new("Sam Editor", "sam@college.police.uk")
    }
    fn reviewer() -> Person {
        Person::new("Pat Chief", "pat@npcc.police.uk")
    }
    fn submitter() -> Person {
        Person::new("Jo Bloggs", "jo@dorset.police.uk")
    }
    fn stranger() -> Person {
        Person::new("Lee Other", "lee@kent.police.uk")
    }

    fn config() -> RegisterConfig {
        let mut c = RegisterConfig::new_default(&editor());
        c.partners[1].reviewers.push(RosterEntry {
            name: "Pat Chief".into(),
            email: "pat@npcc.police.uk".into(),
            key: None,
        });
        c
    }

    #[test]
    fn amend_is_for_the_submitter_or_an_editor_while_submitted_or_returned() {
        let c = config();
        let s = submitter();
        assert_eq!(
            amend(&c, &s, Some(&s), "x", Stage::Submitted).unwrap(),
            Amendment::SameRound
        );
        assert_eq!(
            amend(&c, &editor(), Some(&s), "x", Stage::Returned).unwrap(),
            Amendment::NextRound
        );
        let err = amend(&c, &stranger(), Some(&s), "x", Stage::Submitted).unwrap_err();
        assert!(
            err.to_string()
                .contains("only Jo Bloggs <jo@dorset.police.uk> or an editor"),
            "{err}"
        );
        for stage in [
            Stage::InReview,
            Stage::Approved,
            Stage::Published,
            Stage::Withdrawn,
        ] {
            assert!(matches!(
                amend(&c, &s, Some(&s), "x", stage),
                Err(Error::WrongStage { .. })
            ));
        }
    }

    #[test]
    fn only_a_partners_reviewer_records_its_decision_until_the_activity_closes() {
        let c = config();
        let npcc = c.partner("npcc").unwrap();
        let iopc = c.partner("iopc").unwrap();
        review(&c, &reviewer(), npcc, "x", Stage::Submitted).unwrap();
        review(&c, &reviewer(), npcc, "x", Stage::Approved).unwrap();
        let err = review(&c, &reviewer(), iopc, "x", Stage::Submitted).unwrap_err();
        assert!(err.to_string().contains("you review for npcc"), "{err}");
        let err = review(&c, &editor(), npcc, "x", Stage::Submitted).unwrap_err();
        assert!(
            err.to_string()
                .contains("practice roster add --partner npcc"),
            "{err}"
        );
        for stage in [
            Stage::Published,
            Stage::Banked,
            Stage::Withdrawn,
            Stage::Retracted,
        ] {
            assert!(matches!(
                review(&c, &reviewer(), npcc, "x", stage),
                Err(Error::WrongStage { .. })
            ));
        }
    }

    #[test]
    fn editors_alone_run_the_published_set() {
        let c = config();
        let e = editor();
        write_up(&c, &e, "x", Stage::Approved).unwrap();
        publish(&c, &e, "x", Stage::WrittenUp).unwrap();
        bank(&c, &e, "x", Stage::NotSuitable).unwrap();
        retract(&c, &e, "x", Stage::Banked).unwrap();
        reopen(&c, &e, "x", Stage::Undecided).unwrap();
        assert!(matches!(
            reopen(&c, &e, "x", Stage::InReview),
            Err(Error::WrongStage { .. })
        ));
        assert!(matches!(
            reopen(&c, &reviewer(), "x", Stage::Undecided),
            Err(Error::NoAuthority { .. })
        ));
        for who in [reviewer(), submitter()] {
            assert!(matches!(
                publish(&c, &who, "x", Stage::WrittenUp),
                Err(Error::NoAuthority { .. })
            ));
            assert!(matches!(
                bank(&c, &who, "x", Stage::Submitted),
                Err(Error::NoAuthority { .. })
            ));
            assert!(matches!(
                retract(&c, &who, "x", Stage::Published),
                Err(Error::NoAuthority { .. })
            ));
            assert!(matches!(
                write_up(&c, &who, "x", Stage::Approved),
                Err(Error::NoAuthority { .. })
            ));
            assert!(matches!(
                require_editor(&c, &who, "change the roster"),
                Err(Error::NoAuthority { .. })
            ));
        }
    }

    #[test]
    fn the_published_set_takes_only_what_is_ready() {
        let c = config();
        let e = editor();
        let err = publish(&c, &e, "x", Stage::Approved).unwrap_err();
        assert!(err.to_string().contains("report is not complete"), "{err}");
        assert!(publish(&c, &e, "x", Stage::NotSuitable).is_err());
        assert!(write_up(&c, &e, "x", Stage::InReview).is_err());
        assert!(bank(&c, &e, "x", Stage::Published).is_err());
        assert!(retract(&c, &e, "x", Stage::Approved).is_err());
        assert!(retract(&c, &e, "x", Stage::Retracted).is_err());
    }

    #[test]
    fn withdrawal_is_for_the_submitter_or_an_editor_before_the_end() {
        let c = config();
        let s = submitter();
        withdraw(&c, &s, Some(&s), "x", Stage::InReview).unwrap();
        withdraw(&c, &editor(), Some(&s), "x", Stage::Approved).unwrap();
        assert!(withdraw(&c, &stranger(), Some(&s), "x", Stage::InReview).is_err());
        assert!(withdraw(&c, &s, Some(&s), "x", Stage::Withdrawn).is_err());
        assert!(withdraw(&c, &s, Some(&s), "x", Stage::Published).is_err());
    }
}
