//! The operations and `pipeline::effects` must agree: every change an
//! operation builds writes only files its action may write, keeps what its
//! action must keep and leaves the stage its action must leave, and the
//! audit's judge finds nothing in the commit it lands as. The operations are
//! driven through the library on a register made by the built binary, one of
//! every kind of action, and checked with plain git as well.

mod common;

use std::collections::BTreeSet;

use common::{EDITOR, REVIEWERS, Reg, SAMPLE_ACTIVITY, SUBMITTER, Who};
use practice::action::{ActionKind, Change};
use practice::identity::Actor;
use practice::layout::RegisterPath;
use practice::model::{self, Decision, Rating, Report, RosterEntry};
use practice::ops::{self, Amendment, RosterChange, Source};
use practice::pipeline::effects;
use practice::register::{Register, State};

fn actor(who: Who) -> Actor {
    let config = git2::Config::new().unwrap();
    let env = |name: &str| match name {
        "GIT_AUTHOR_NAME" | "GIT_COMMITTER_NAME" => Some(who.name.to_string()),
        "GIT_AUTHOR_EMAIL" | "GIT_COMMITTER_EMAIL" => Some(who.email.to_string()),
        _ => None,
    };
    Actor::from_lookup(&config, env).unwrap()
}

/// Lands operations one at a time, holding each to `effects`.
struct Acting {
    register: Register,
    kinds: BTreeSet<&'static str>,
}

impl Acting {
    /// Plan `plan` as `who`, check its change against `effects`, land it,
    /// and check what it left.
    fn act(&mut self, who: Who, plan: impl Fn(&State, &Actor) -> practice::Result<Change>) {
        let actor = actor(who);
        let state = self.register.state().unwrap();
        let change = plan(&state, &actor).unwrap();
        let id = change.practice_id().map(str::to_string);
        for (path, _) in &change.files {
            assert!(
                effects::may_write(change.kind, id.as_deref(), &RegisterPath::parse(path)),
                "a {} of {id:?} wrote {path}, which effects does not allow",
                change.kind
            );
        }
        let decision = change
            .trailers
            .iter()
            .find(|(k, _)| k == "Decision")
            .map(|(_, v)| v.as_str());
        for path in &change.removed {
            assert!(
                effects::may_delete(change.kind, decision, &RegisterPath::parse(path)),
                "a {} of {id:?} removed {path}, which effects does not allow",
                change.kind
            );
        }
        let before = id
            .as_deref()
            .filter(|id| state.exists(&practice::id::PracticeId::parse(id).unwrap()))
            .map(|id| state.load_item(id).unwrap());
        drop(state);
        let landed = self
            .register
            .act(&actor, |state| plan(state, &actor))
            .unwrap();
        let findings = practice::audit::judge(self.register.repo(), landed.commit).unwrap();
        assert!(findings.is_empty(), "{}: {findings:?}", change.subject);
        if let Some(id) = &id {
            let state = self.register.state().unwrap();
            let after = state.load_item(id).unwrap();
            if let Some(before) = &before {
                assert_eq!(effects::altered(change.kind, before, &after), None);
            }
            let leaves = effects::leaves(change.kind);
            let stage = after.stage(&state.config);
            assert!(
                leaves.is_empty() || leaves.contains(&stage),
                "a {} left {id} {stage}",
                change.kind
            );
        }
        self.kinds.insert(change.kind.as_str());
    }
}

fn flags() -> Source {
    Source::flags()
}

fn sample(title: &str) -> model::Activity {
    model::parse(
        "sample",
        SAMPLE_ACTIVITY
            .replace("Enhanced video response (EVR)", title)
            .as_bytes(),
    )
    .unwrap()
}

fn submit(acting: &mut Acting, title: &str) -> String {
    acting.act(SUBMITTER, |s, a| {
        ops::submit(s, a, sample(title), None, &flags())
    });
    let state = acting.register.state().unwrap();
    let (items, _) = state.items().unwrap();
    items
        .into_iter()
        .find(|i| i.title() == title)
        .map(|i| i.id)
        .unwrap()
}

fn all_decide(acting: &mut Acting, id: &str, decision: Decision) {
    for (partner, who) in REVIEWERS {
        acting.act(who, |s, a| {
            let decided = ops::Decided {
                decision,
                partner: Some(partner),
                comment: Some("Reviewed."),
                replace: false,
            };
            ops::review(s, a, id, &decided)
        });
    }
}

#[test]
fn every_operation_writes_only_what_its_action_may_and_leaves_its_stage() {
    let reg = Reg::init();
    // `init` lands on its own; its files, as plain git lists them.
    let listed = reg.git(&["show", "--name-only", "--format=", "HEAD"]);
    for path in listed.lines() {
        assert!(
            effects::may_write(ActionKind::Init, None, &RegisterPath::parse(path)),
            "init wrote {path}"
        );
    }
    let mut acting = Acting {
        register: Register::open(reg.path()).unwrap(),
        kinds: BTreeSet::from(["init"]),
    };
    for (partner, who) in REVIEWERS {
        let add = RosterChange::Add {
            partner: Some(partner.to_string()),
            entry: RosterEntry {
                name: who.name.into(),
                email: who.email.into(),
                key: None,
            },
        };
        acting.act(EDITOR, |s, a| ops::roster(s, a, &add));
    }

    // Submitted, amended in its round, returned, answered in a new round,
    // approved, written up, published and retracted.
    let id = submit(&mut acting, "Enhanced video response (EVR)");
    let mut changed = sample("Enhanced video response (EVR)");
    changed.evidence = Some("An evaluation is under way.\n".into());
    let amendment = Amendment::Replace(Box::new(changed.clone()));
    acting.act(SUBMITTER, |s, a| {
        ops::amend(s, a, &id, amendment.clone(), &flags(), None)
    });
    let (npcc, pat) = REVIEWERS[1];
    acting.act(pat, |s, a| {
        let decided = ops::Decided {
            decision: Decision::MoreInformation,
            partner: Some(npcc),
            comment: Some("Costs?"),
            replace: false,
        };
        ops::review(s, a, &id, &decided)
    });
    changed.evidence = Some("It cost one licence.\n".into());
    let answer = Amendment::Replace(Box::new(changed));
    acting.act(SUBMITTER, |s, a| {
        ops::amend(
            s,
            a,
            &id,
            answer.clone(),
            &flags(),
            Some("It cost one licence."),
        )
    });
    assert!(
        reg.git(&["show", "--name-only", "--format=", "HEAD"])
            .contains(&RegisterPath::round_placeholder(&id, 2).to_string()),
        "answering a returned round opens round 2"
    );
    all_decide(&mut acting, &id, Decision::Suitable);
    let state = acting.register.state().unwrap();
    let mut report = Report::draft_from(state.load_item(&id).unwrap().activity.as_ref().unwrap());
    drop(state);
    report.learning = "Start with one shift.\n".into();
    report.resources = "A video licence.\n".into();
    acting.act(EDITOR, |s, a| {
        ops::write_up(s, a, &id, Some(report.clone()), &flags())
    });
    acting.act(EDITOR, |s, a| ops::publish(s, a, &id));
    acting.act(EDITOR, |s, a| {
        let mut entry = s
            .item(&practice::id::PracticeId::parse(&id)?)?
            .published
            .unwrap();
        entry.summary = "Video calls to victims, corrected.".into();
        ops::revise(s, a, &id, entry, "A typo in the summary.", &flags())
    });
    acting.act(EDITOR, |s, a| ops::retract(s, a, &id, "Superseded."));

    // A decision made and taken back in an open round.
    let cleared = submit(&mut acting, "Knife crime surgery");
    let (npcc, pat) = REVIEWERS[1];
    let decided = ops::Decided {
        decision: Decision::Suitable,
        partner: Some(npcc),
        comment: None,
        replace: false,
    };
    acting.act(pat, |s, a| ops::review(s, a, &cleared, &decided));
    acting.act(pat, |s, a| {
        ops::clear(
            s,
            a,
            &cleared,
            Some(npcc),
            Some("Recorded on the wrong activity."),
            false,
        )
    });

    // Evidence attached, and one taken off again.
    acting.act(SUBMITTER, |s, a| {
        ops::attach(
            s,
            a,
            &cleared,
            "costs.csv",
            b"item,cost\nlicence,100\n",
            false,
        )
    });
    acting.act(EDITOR, |s, a| {
        ops::attach(s, a, &cleared, "report.pdf", b"%PDF-1.4\n%%EOF\n", true)
    });
    acting.act(SUBMITTER, |s, a| ops::detach(s, a, &cleared, "costs.csv"));

    // Undecided (two recusals, two suitable, three needed), then reopened.
    let stuck = submit(&mut acting, "Street triage");
    for (i, (partner, who)) in REVIEWERS.iter().enumerate() {
        let decision = if i < 2 {
            Decision::Recuse
        } else {
            Decision::Suitable
        };
        let comment = Some("Conflict of interest.");
        acting.act(*who, |s, a| {
            let decided = ops::Decided {
                decision,
                partner: Some(partner),
                comment,
                replace: false,
            };
            ops::review(s, a, &stuck, &decided)
        });
    }
    acting.act(EDITOR, |s, a| ops::reopen(s, a, &stuck, "Asking again."));

    // Banked, withdrawn, imported.
    let banked = submit(&mut acting, "Safer streets");
    acting.act(EDITOR, |s, a| ops::bank(s, a, &banked, Rating::Promising));
    acting.act(EDITOR, |s, a| {
        ops::rerate(s, a, &banked, Rating::Worked, "The evaluation reported.")
    });
    let withdrawn = submit(&mut acting, "Knife amnesty");
    acting.act(SUBMITTER, |s, a| ops::withdraw(s, a, &withdrawn, "Ended."));
    acting.act(EDITOR, |s, a| {
        ops::reinstate(s, a, &withdrawn, "Withdrawn in error.")
    });
    acting.act(SUBMITTER, |s, a| {
        ops::withdraw(s, a, &withdrawn, "Ended, truly.")
    });
    let entry: model::PublishedEntry = model::parse(
        "entry",
        b"title: Railway Guardian\nsummary: ''\norganisations: [btp]\nkind: smarter-practice\nrating: smarter-practice\npublished: { on: 2026-11-26, by: { name: Sam Editor, email: sam.editor@college.police.uk } }\nimported: { source: the College's page }\n",
    )
    .unwrap();
    acting.act(EDITOR, |s, a| {
        ops::import(s, a, entry.clone(), None, &flags())
    });
    let remove = RosterChange::Remove {
        email: REVIEWERS[3].1.email.into(),
        partner: None,
        editor: false,
    };
    acting.act(EDITOR, |s, a| ops::roster(s, a, &remove));
    acting.act(EDITOR, |s, a| {
        let change = ops::RuleChange::GuardRef {
            pattern: "refs/tags/*".into(),
            allow: true,
        };
        ops::rules_change(s, a, &change)
    });

    let every: BTreeSet<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(acting.kinds, every, "one of every kind of action was tried");
    // What plain git and the whole audit say of the same history.
    let fsck = reg.git_output(&["fsck", "--strict"]);
    let said =
        String::from_utf8_lossy(&fsck.stderr).into_owned() + &String::from_utf8_lossy(&fsck.stdout);
    assert!(fsck.status.success(), "{said}");
    assert!(
        !said.contains("error") && !said.contains("warning"),
        "{said}"
    );
    let (code, findings) = reg.audit();
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}
