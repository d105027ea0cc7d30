//! What each action may do to the register's files, and what it must leave.
//! [`rules`](super::rules) says who may act and when; this says what acting
//! writes. The operations in [`crate::ops`] build their changes to fit (a
//! test holds every one of them to these functions), and the audit judges
//! each commit of history by them, so the two can never drift apart.

use crate::action::ActionKind;
use crate::layout::RegisterPath;
use crate::model::RegisterConfig;
use crate::pipeline::Stage;
use crate::register::Item;

/// Whether an action of `kind` about the activity `id` (none for `init`
/// and `roster`) may write the file at `path`.
pub fn may_write(kind: ActionKind, id: Option<&str>, path: &RegisterPath) -> bool {
    let mine = |of: &str| Some(of) == id;
    match (kind, path) {
        (ActionKind::Init, RegisterPath::Config | RegisterPath::FolderPlaceholder(_)) => true,
        (ActionKind::Roster | ActionKind::Rules, RegisterPath::Config) => true,
        (
            ActionKind::Submit | ActionKind::Withdraw | ActionKind::Reinstate,
            RegisterPath::Activity(of),
        ) => mine(of),
        // An amendment that answers a returned round opens the next one.
        (ActionKind::Amend, RegisterPath::Activity(of))
        | (ActionKind::Amend, RegisterPath::RoundPlaceholder { id: of, .. })
        | (ActionKind::Amend, RegisterPath::Reply { id: of, .. }) => mine(of),
        // Reopening opens the next round, and writes nothing else.
        (ActionKind::Reopen, RegisterPath::RoundPlaceholder { id: of, .. }) => mine(of),
        (ActionKind::Review, RegisterPath::SignOff { id: of, .. }) => mine(of),
        (
            ActionKind::Attach,
            RegisterPath::Evidence { id: of, .. } | RegisterPath::EvidenceList(of),
        )
        | (ActionKind::Detach, RegisterPath::EvidenceList(of)) => mine(of),
        (ActionKind::WriteUp, RegisterPath::Report(of)) => mine(of),
        (
            ActionKind::Publish
            | ActionKind::Bank
            | ActionKind::Retract
            | ActionKind::Import
            | ActionKind::Revise,
            RegisterPath::Published(of),
        ) => mine(of),
        _ => false,
    }
}

/// What a refusal of [`may_write`] says an action of `kind` writes.
pub fn writes_only(kind: ActionKind, id: Option<&str>) -> String {
    match kind {
        ActionKind::Init => "an init writes only register.yaml and the empty folders".into(),
        ActionKind::Roster => "a roster change writes only register.yaml".into(),
        ActionKind::Rules => "a change of the rules writes only register.yaml".into(),
        _ => format!(
            "changes a file that a {} of `{}` does not write",
            kind.as_str(),
            id.unwrap_or_default()
        ),
    }
}

/// The `Decision` trailer of a review that takes its partner's decision
/// back, removing the sign-off. (A detached evidence file is the other
/// record an action removes.)
pub const CLEARED: &str = "cleared";

/// Whether an action of `kind`, whose `Decision` trailer is `decision`, may
/// delete the file at `path`. Only a review that clears its partner's
/// decision, and only a sign-off: the register keeps every other record,
/// and git keeps every version of this one.
pub fn may_delete(kind: ActionKind, decision: Option<&str>, path: &RegisterPath) -> bool {
    match (kind, path) {
        (ActionKind::Review, RegisterPath::SignOff { .. }) => decision == Some(CLEARED),
        (ActionKind::Detach, RegisterPath::Evidence { .. }) => true,
        _ => false,
    }
}

/// The stages an action of `kind` must leave its activity in; empty where
/// any stage the rules allow will do.
pub fn leaves(kind: ActionKind) -> &'static [Stage] {
    match kind {
        ActionKind::Publish => &[Stage::Published],
        ActionKind::Bank => &[Stage::Banked],
        ActionKind::Withdraw => &[Stage::Withdrawn],
        ActionKind::Retract => &[Stage::Retracted],
        ActionKind::Revise => &[Stage::Published, Stage::Banked],
        ActionKind::Import => &[Stage::Published, Stage::Banked],
        ActionKind::Reopen => &[Stage::Submitted],
        // Back where the withdrawal found it: anywhere but out.
        ActionKind::Reinstate => &[
            Stage::Submitted,
            Stage::InReview,
            Stage::Returned,
            Stage::NotSuitable,
            Stage::Undecided,
            Stage::Approved,
            Stage::WrittenUp,
        ],
        _ => &[],
    }
}

/// What a record an action of `kind` makes says that only a later action
/// may: a submission withdrawn or reinstated already, an import retracted,
/// approved or revised. `None` when it says none of it.
pub fn made_clean(kind: ActionKind, after: &Item) -> Option<&'static str> {
    match kind {
        ActionKind::Submit => {
            let a = after.activity.as_ref()?;
            (a.withdrawn.is_some() || a.reinstated.is_some())
                .then_some("a submission records a withdrawal or a reinstatement already")
        }
        ActionKind::Import => {
            let p = after.published.as_ref()?;
            (p.approval.is_some() || p.retracted.is_some() || !p.revisions.is_empty()).then_some(
                "an imported entry records an approval, a retraction or revisions already",
            )
        }
        _ => None,
    }
}

/// What an action of `kind` changed in a record that it must keep as it
/// was, in words; `None` when it kept everything it must. An amendment
/// keeps who submitted and when; a withdrawal only adds its `withdrawn`
/// block; a retraction only adds its `retracted` block.
pub fn altered(kind: ActionKind, before: &Item, after: &Item) -> Option<&'static str> {
    match kind {
        ActionKind::Amend => {
            let (b, a) = (before.activity.as_ref()?, after.activity.as_ref()?);
            (b.submitted != a.submitted || b.withdrawn != a.withdrawn || b.reinstated != a.reinstated)
                .then_some("an amendment changed who submitted the activity or when, or its withdrawal or reinstatement")
        }
        ActionKind::Withdraw => {
            let (b, a) = (before.activity.as_ref()?, after.activity.as_ref()?);
            let mut kept = a.clone();
            kept.withdrawn = None;
            (&kept != b).then_some("a withdrawal changed the activity's answers as well")
        }
        ActionKind::Reinstate => {
            let (b, a) = (before.activity.as_ref()?, after.activity.as_ref()?);
            let mut kept = a.clone();
            kept.withdrawn = b.withdrawn.clone();
            kept.reinstated = b.reinstated.clone();
            (&kept != b || a.reinstated.is_none())
                .then_some("a reinstatement changed the activity's answers as well, or recorded no reinstatement")
        }
        ActionKind::Revise => {
            let (b, a) = (before.published.as_ref()?, after.published.as_ref()?);
            revision_keeps(b, a)
        }
        ActionKind::Retract => {
            let (b, a) = (before.published.as_ref()?, after.published.as_ref()?);
            let mut kept = a.clone();
            kept.retracted = None;
            (&kept != b).then_some("a retraction changed the published entry as well")
        }
        _ => None,
    }
}

/// The first field of a published entry that no revision may change and
/// `after` does: its kind, approval, import, publication or retraction.
pub fn revision_changes(
    before: &crate::model::PublishedEntry,
    after: &crate::model::PublishedEntry,
) -> Option<&'static str> {
    [
        ("kind", before.kind == after.kind),
        ("approval", before.approval == after.approval),
        ("imported", before.imported == after.imported),
        (
            "published",
            before.published == after.published || source_date_corrected(before, after),
        ),
        ("retracted", before.retracted == after.retracted),
    ]
    .into_iter()
    .find(|(_, same)| !same)
    .map(|(field, _)| field)
}

/// Whether a revision of an imported entry moved its publication back to
/// the date its source gives: an import may have recorded the day of the
/// import, and the day a source published an entry is a fact about the
/// source that can be corrected, never moved later. An entry published
/// through the register keeps the day its publication was committed.
fn source_date_corrected(
    before: &crate::model::PublishedEntry,
    after: &crate::model::PublishedEntry,
) -> bool {
    let (was, now) = (&before.published.on, &after.published.on);
    // Earlier as a day and as a moment: a time in another zone can name an
    // earlier day and still be later.
    before.imported.is_some()
        && before.published.by == after.published.by
        && now.date() < was.date()
        && now.timestamp() < was.timestamp()
}

/// What a revision changed of what it must keep: the kind, the approval or
/// import, when and by whom it was published, and every earlier revision;
/// it adds exactly one; and only a practice bank entry's rating changes.
fn revision_keeps(
    before: &crate::model::PublishedEntry,
    after: &crate::model::PublishedEntry,
) -> Option<&'static str> {
    let kept = revision_changes(before, after).is_none();
    let n = before.revisions.len();
    let one_more = after.revisions.len() == n + 1 && after.revisions[..n] == before.revisions[..];
    let rating = after.rating == before.rating || after.kind == crate::model::Kind::PracticeBank;
    if !kept {
        Some("a revision changed the entry's kind, approval, import or publication")
    } else if !one_more {
        Some("a revision must add one entry to `revisions` and keep the earlier ones")
    } else if !rating {
        Some("a revision changed a smarter practice entry's rating")
    } else {
        None
    }
}

/// Whether a roster change from `before` to `after` changed only who is on
/// the roster (and whether signatures are required, which is the roster's
/// business too: `practice roster signatures required`): a roster change
/// changes who, not the rules.
pub fn roster_keeps_rules(before: &RegisterConfig, after: &RegisterConfig) -> bool {
    rules_changed(before, after).is_empty()
}

/// The rules (as a `Rule` trailer names them) that differ between two
/// states of `register.yaml`, leaving aside who is on the roster.
pub fn rules_changed(before: &RegisterConfig, after: &RegisterConfig) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if before.name != after.name {
        changed.push("name");
    }
    let partners = |c: &RegisterConfig| -> Vec<(String, String, bool)> {
        c.partners
            .iter()
            .map(|p| (p.id.clone(), p.name.clone(), p.retired))
            .collect()
    };
    if partners(before) != partners(after) {
        changed.push("partners");
    }
    if before.approval.min_suitable != after.approval.min_suitable {
        changed.push("min-suitable");
    }
    if before.approval.review_days != after.approval.review_days {
        changed.push("review-days");
    }
    if (&before.topics, &before.retired_topics) != (&after.topics, &after.retired_topics) {
        changed.push("topics");
    }
    if before.guard.clone().unwrap_or_default() != after.guard.clone().unwrap_or_default() {
        changed.push("guard");
    }
    if before.publisher != after.publisher {
        changed.push("publisher");
    }
    changed
}

/// An activity whose stage a change of the rules changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restaged {
    pub id: String,
    pub from: Stage,
    pub to: Stage,
}

impl Restaged {
    /// As a commit's body lists it: `- ID: FROM -> TO`.
    pub fn line(&self) -> String {
        format!("- {}: {} -> {}", self.id, self.from, self.to)
    }

    /// Whether the move undoes what a round came to: a change of the rules
    /// applies to rounds still open (submitted, in review, undecided), and
    /// leaves an outcome (returned, not suitable, approved, written up) as
    /// the round reached it.
    pub fn undoes_an_outcome(&self) -> bool {
        !matches!(
            self.from,
            Stage::Submitted | Stage::InReview | Stage::Undecided
        )
    }
}

/// Whether two states of `register.yaml` can give an activity two stages:
/// only the partners that review and the quorum decide one, so a change of
/// any other rule needs no activity read.
pub fn stages_may_differ(before: &RegisterConfig, after: &RegisterConfig) -> bool {
    before.partner_ids() != after.partner_ids()
        || before.approval.min_suitable != after.approval.min_suitable
}

/// The activities of `items` whose stage `after` gives otherwise than
/// `before` does.
pub fn restaged(items: &[Item], before: &RegisterConfig, after: &RegisterConfig) -> Vec<Restaged> {
    items
        .iter()
        .filter_map(|item| {
            let (from, to) = (item.stage(before), item.stage(after));
            (from != to).then(|| Restaged {
                id: item.id.clone(),
                from,
                to,
            })
        })
        .collect()
}

/// What a change of the partners did that no change of the rules may: drop,
/// reorder or rename a partner, bring a retired one back, or add one that
/// is retired already. Partners are added at the end, and retired in place.
pub fn partners_change(before: &RegisterConfig, after: &RegisterConfig) -> Option<&'static str> {
    let n = before.partners.len();
    if after.partners.len() < n {
        return Some("a change of the partners removes one; a partner is retired, never removed");
    }
    for (b, a) in before.partners.iter().zip(&after.partners) {
        if b.id != a.id || b.name != a.name {
            return Some("a change of the partners renames, reorders or replaces one");
        }
        if b.retired && !a.retired {
            return Some("a change of the partners brings a retired partner back");
        }
    }
    if after.partners[n..].iter().any(|p| p.retired) {
        return Some("a change of the partners adds one retired already");
    }
    None
}

/// Whether a change of the rules from `before` to `after` left who is on
/// the roster, their keys and the signature policy as they were: a
/// change of the rules changes rules, not people.
pub fn rules_keep_roster(before: &RegisterConfig, after: &RegisterConfig) -> bool {
    let people = |c: &RegisterConfig| {
        // A partner added by the change comes with nobody.
        let reviewers: Vec<_> = c
            .partners
            .iter()
            .filter(|p| !p.reviewers.is_empty())
            .map(|p| (p.id.clone(), p.reviewers.clone()))
            .collect();
        (reviewers, c.editors.clone(), c.signatures)
    };
    people(before) == people(after)
}

/// Whether a commit's subject names the action its trailers say: the tool
/// writes `<action> <id>…` (`init…` and `roster…` for the register's
/// own), and for a review `review <id>: <partner> <decision> (round <n>)`,
/// so a subject that says one thing while the trailers say another is a
/// record that reads two ways.
pub fn subject_agrees(
    kind: ActionKind,
    id: Option<&str>,
    review: Option<[&str; 3]>,
    subject: &str,
) -> bool {
    let mut words = subject.split_whitespace();
    let first = words.next().unwrap_or_default();
    let Some(id) = id else {
        return first.trim_end_matches(':') == kind.as_str();
    };
    let named = words.next().unwrap_or_default().trim_end_matches(':');
    if first != kind.as_str() || named != id {
        return false;
    }
    match review {
        Some([partner, decision, round]) => {
            let said: Vec<&str> = words.collect();
            said == [partner, decision, "(round", &format!("{round})")]
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Person, RosterEntry};

    #[test]
    fn each_action_writes_only_its_own_files() {
        use RegisterPath as P;
        let a = Some("a");
        let review = ActionKind::Review;
        assert!(may_write(review, a, &P::sign_off("a", 1, "npcc")));
        assert!(!may_write(review, a, &P::sign_off("b", 1, "npcc")));
        assert!(!may_write(review, a, &P::round_placeholder("a", 1)));
        assert!(!may_write(review, a, &P::activity("a")));
        assert!(may_write(
            ActionKind::Amend,
            a,
            &P::round_placeholder("a", 2)
        ));
        assert!(!may_write(
            ActionKind::Amend,
            a,
            &P::sign_off("a", 2, "npcc")
        ));
        assert!(may_write(ActionKind::Publish, a, &P::published("a")));
        assert!(!may_write(ActionKind::Publish, a, &P::published("b")));
        assert!(may_write(ActionKind::WriteUp, a, &P::report("a")));
        assert!(!may_write(ActionKind::Submit, a, &P::Config));
        let stray = P::parse(&format!(
            "{}/notes.txt",
            crate::layout::submission_folder("a")
        ));
        assert!(matches!(stray, P::Other(_)));
        assert!(!may_write(ActionKind::Submit, a, &stray));
        let keep = P::FolderPlaceholder(crate::layout::REVIEWS);
        assert!(may_write(ActionKind::Init, None, &keep));
        assert!(may_write(ActionKind::Init, None, &P::Config));
        assert!(!may_write(ActionKind::Init, None, &P::activity("a")));
        assert!(may_write(ActionKind::Roster, None, &P::Config));
        assert!(!may_write(ActionKind::Roster, None, &keep));
        for kind in ActionKind::ALL {
            assert!(!may_delete(*kind, Some(CLEARED), &P::published("a")));
        }
    }

    #[test]
    fn a_subject_names_what_the_trailers_say() {
        let review = Some(["npcc", "suitable", "1"]);
        let id = Some("a-b");
        assert!(subject_agrees(
            ActionKind::Review,
            id,
            review,
            "review a-b: npcc suitable (round 1)"
        ));
        assert!(!subject_agrees(
            ActionKind::Review,
            id,
            review,
            "review a-b: iopc suitable (round 1)"
        ));
        assert!(!subject_agrees(
            ActionKind::Review,
            id,
            review,
            "review a-b: npcc not-suitable (round 1)"
        ));
        assert!(!subject_agrees(
            ActionKind::Review,
            id,
            review,
            "review a-c: npcc suitable (round 1)"
        ));
        assert!(!subject_agrees(
            ActionKind::Review,
            id,
            review,
            "review a-b: npcc suitable (round 2)"
        ));
        assert!(subject_agrees(
            ActionKind::Submit,
            id,
            None,
            "submit a-b: A title"
        ));
        assert!(subject_agrees(
            ActionKind::Amend,
            id,
            None,
            "amend a-b (round 2)"
        ));
        assert!(!subject_agrees(
            ActionKind::Publish,
            id,
            None,
            "bank a-b: worked"
        ));
        assert!(subject_agrees(
            ActionKind::Init,
            None,
            None,
            "init: Smarter practice register"
        ));
        assert!(subject_agrees(
            ActionKind::Roster,
            None,
            None,
            "roster: add Pat as npcc reviewer"
        ));
        assert!(!subject_agrees(ActionKind::Roster, None, None, "publish x"));
    }

    #[test]
    fn closing_actions_leave_their_stage() {
        assert_eq!(leaves(ActionKind::Publish), [Stage::Published]);
        assert_eq!(leaves(ActionKind::Retract), [Stage::Retracted]);
        assert!(leaves(ActionKind::Import).contains(&Stage::Banked));
        assert!(leaves(ActionKind::Review).is_empty());
    }

    #[test]
    fn a_roster_change_changes_people_not_rules() {
        let editor = Person::new("Sam Editor", "sam@college.police.uk");
        let before = RegisterConfig::new_default(&editor);
        let mut people = before.clone();
        people.partners[0].reviewers.push(RosterEntry {
            name: "Pat Chief".into(),
            email: "pat@npcc.police.uk".into(),
            key: None,
        });
        people.editors.clear();
        assert!(roster_keeps_rules(&before, &people));
        let mut rules = people.clone();
        rules.approval.min_suitable = 1;
        assert!(!roster_keeps_rules(&before, &rules));
        let mut topics = before.clone();
        topics.topics.push("Roads".into());
        assert!(!roster_keeps_rules(&before, &topics));
        let mut guard = before.clone();
        guard.guard = Some(crate::model::GuardRules {
            other_refs: vec!["refs/tags/*".into()],
        });
        assert!(!roster_keeps_rules(&before, &guard));
        // A change of the rules names what it changed, and keeps people.
        assert_eq!(rules_changed(&before, &guard), ["guard"]);
        assert_eq!(rules_changed(&people, &rules), ["min-suitable"]);
        assert!(rules_keep_roster(&before, &guard));
        assert!(!rules_keep_roster(&before, &people));
        // An empty list is no list.
        let mut empty = before.clone();
        empty.guard = Some(Default::default());
        assert!(rules_changed(&before, &empty).is_empty());
        let mut signing = before.clone();
        signing.signatures = Some(crate::model::Signatures::Required);
        assert!(!rules_keep_roster(&before, &signing));
    }
}
