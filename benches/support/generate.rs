//! A register of many activities, for benchmarks and scale tests, written
//! through `git fast-import`: every action is a commit the tool itself could
//! have made (the same files, messages, trailers and authors), so the
//! result passes `practice audit`; only the route is faster.
//!
//! Each activity is submitted and decided by all four partners: seven in ten
//! are found suitable by all, two in ten not suitable by one partner, one in
//! ten returned for more information; but one in a hundred still awaits its
//! first decision (for benchmarks of `review`). One in a hundred is returned
//! and amended at once, and awaits the decisions of its second round (so
//! `inbox` has rounds to date). Half of the approved ones are written up and
//! published, in a second import, which names the real ids of the sign-off
//! commits that the first import made; but one in a hundred activities is
//! written up and left unpublished, its sign-offs deep in history (for
//! benchmarks of `publish`).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, FixedOffset, TimeZone};

use practice::action::{ActionKind, Change};
use practice::model::{
    self, Activity, Approval, ApprovalSignOff, Decision, Focus, Implementation, Kind, Person,
    Rating, RegisterConfig, Report, RosterEntry, Scale, SignOff, Stamp, When,
};
use practice::{Error, Result};

/// What a generated register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub activities: usize,
    pub sign_offs: usize,
    pub commits: usize,
}

const PARTNERS: [(&str, &str, &str); 4] = [
    (
        "college-of-policing",
        "Alex Shaw",
        "alex.shaw@college.police.uk",
    ),
    ("npcc", "Pat Chief", "pat.chief@npcc.police.uk"),
    ("hmicfrs", "Kim Inspector", "kim.inspector@hmicfrs.gov.uk"),
    ("iopc", "Ray Conduct", "ray.conduct@policeconduct.gov.uk"),
];

fn editor() -> Person {
    Person::new("Sam Editor", "sam.editor@college.police.uk")
}

fn submitter() -> Person {
    Person::new("Jo Bloggs", "jo.bloggs@dorset.police.uk")
}

/// A fast-import stream being written, one commit after another on `main`.
struct Stream {
    out: Vec<u8>,
    mark: usize,
    clock: i64,
}

impl Stream {
    fn commit(&mut self, by: &Person, change: &Change, parent: Option<&str>) -> usize {
        self.mark += 1;
        self.clock += 60;
        let message = change.message();
        let w = &mut self.out;
        let _ = writeln!(w, "commit refs/heads/main\nmark :{}", self.mark);
        for role in ["author", "committer"] {
            let _ = writeln!(w, "{role} {} <{}> {} +0000", by.name, by.email, self.clock);
        }
        let _ = write!(w, "data {}\n{message}\n", message.len());
        if let Some(from) = parent {
            let _ = writeln!(w, "from {from}");
        }
        for (path, content) in &change.files {
            let _ = write!(w, "M 100644 inline {path}\ndata {}\n", content.len());
            w.extend_from_slice(content);
            w.push(b'\n');
        }
        w.push(b'\n');
        self.mark
    }

    fn at(&self) -> When {
        let utc = FixedOffset::east_opt(0).expect("zero offset");
        When::Time(
            utc.timestamp_opt(self.clock + 60, 0)
                .single()
                .expect("a time"),
        )
    }
}

fn import(dir: &Path, stream: &[u8], marks: &Path, first: bool) -> Result<()> {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet", "--done"]);
    if !first {
        cmd.arg(format!("--import-marks={}", marks.display()));
    }
    cmd.arg(format!("--export-marks={}", marks.display()));
    let mut child = cmd
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("git fast-import", e))?;
    {
        let stdin = child.stdin.as_mut().expect("piped");
        stdin
            .write_all(stream)
            .map_err(|e| Error::io("git fast-import", e))?;
        stdin
            .write_all(b"done\n")
            .map_err(|e| Error::io("git fast-import", e))?;
    }
    let status = child.wait().map_err(|e| Error::io("git fast-import", e))?;
    if !status.success() {
        return Err(Error::bad("git fast-import failed"));
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| Error::io("git", e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::bad(format!("git {} failed", args.join(" "))))
    }
}

/// Write a register of `n` activities into the new folder `dir`.
pub fn generate(dir: &Path, n: usize) -> Result<Generated> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let dir = &dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    git(dir, &["init", "-q", "-b", "main"])?;
    let utc = FixedOffset::east_opt(0).expect("zero offset");
    let start: DateTime<FixedOffset> = utc
        .with_ymd_and_hms(2024, 1, 1, 9, 0, 0)
        .single()
        .expect("a date");
    let mut s = Stream {
        out: Vec::with_capacity(n * 6000),
        mark: 0,
        clock: start.timestamp(),
    };
    // The register as `init` and the roster changes would leave it.
    let mut config = RegisterConfig::new_default(&editor());
    for (i, (_, name, email)) in PARTNERS.iter().enumerate() {
        config.partners[i].reviewers.push(RosterEntry {
            name: name.to_string(),
            email: email.to_string(),
            key: None,
        });
    }
    let mut init = Change::new(ActionKind::Init, None, "init: Smarter practice register").write(
        practice::layout::CONFIG,
        model::to_yaml(&RegisterConfig::new_default(&editor())),
    );
    for folder in practice::layout::FOLDERS {
        init = init.write(
            practice::layout::RegisterPath::FolderPlaceholder(folder),
            Vec::new(),
        );
    }
    let mut last = s.commit(&editor(), &init, None);
    let roster = Change::new(
        ActionKind::Roster,
        None,
        "roster: add the partners' reviewers",
    )
    .trailer("Change", "add")
    .write(practice::layout::CONFIG, model::to_yaml(&config));
    last = s.commit(&editor(), &roster, Some(&format!(":{last}")));

    let forces: Vec<&str> = practice::forces::all().collect();
    let mut sign_off_marks: HashMap<String, usize> = HashMap::new();
    // Each approved activity to write up, and whether to publish it.
    let mut approved: Vec<(String, Activity, Vec<SignOff>, bool)> = Vec::new();
    let mut sign_offs = 0;
    for i in 0..n {
        let force = forces[i % forces.len()];
        let title = format!("Scheme {i}");
        let id = practice::id::PracticeId::derive(&title, force)?.to_string();
        let activity = Activity {
            id: Some(id.clone()),
            title: title.clone(),
            organisations: vec![force.to_string()],
            topic: config.topics[i % config.topics.len()].clone(),
            focus: Focus::ALL[i % Focus::ALL.len()],
            target_groups: vec!["Victims".into()],
            region: None,
            scale: Scale::Local,
            implementation: Implementation::Implemented,
            started: None,
            contact: submitter(),
            summary: format!("What scheme {i} does, in one line."),
            problem: "The crime challenge it addressed.\n".into(),
            aim: "What it set out to achieve.\n".into(),
            activity: "What was done.\n".into(),
            evidence: Some("Outcomes so far.\n".into()),
            submitted: Some(Stamp {
                on: s.at(),
                by: submitter(),
            }),
            withdrawn: None,
        };
        let submit = Change::new(
            ActionKind::Submit,
            Some(&id),
            format!("submit {id}: {title}"),
        )
        .trailer("Round", 1)
        .write(
            practice::layout::RegisterPath::activity(&id),
            model::to_yaml(&activity),
        );
        last = s.commit(&submitter(), &submit, Some(&format!(":{last}")));
        let mut round = Vec::new();
        let open = i % 100 == 99;
        for (p, (partner, name, email)) in PARTNERS.iter().enumerate().filter(|_| !open) {
            let decision = match (i % 10, p) {
                (7 | 8, 3) => Decision::NotSuitable,
                (9, 2) => Decision::MoreInformation,
                _ => Decision::Suitable,
            };
            let reviewer = Person::new(*name, *email);
            let sign_off = SignOff {
                practice: id.clone(),
                round: 1,
                partner: partner.to_string(),
                decision,
                reviewer: reviewer.clone(),
                signed_at: s.at(),
                comment: (decision != Decision::Suitable).then(|| "Reviewed.\n".to_string()),
            };
            let path = practice::layout::RegisterPath::sign_off(&id, 1, partner).to_string();
            let review = Change::new(
                ActionKind::Review,
                Some(&id),
                format!("review {id}: {partner} {decision} (round 1)"),
            )
            .trailer("Partner", partner)
            .trailer("Decision", decision)
            .trailer("Round", 1)
            .body(sign_off.comment.as_deref())
            .write(path.clone(), model::to_yaml(&sign_off));
            last = s.commit(&reviewer, &review, Some(&format!(":{last}")));
            sign_off_marks.insert(path, last);
            round.push(sign_off);
            sign_offs += 1;
        }
        if i % 100 == 19 {
            // Returned (hmicfrs asked for more): the submitter answers at once.
            let mut amended = activity.clone();
            amended.evidence = Some("Outcomes so far, and what the reviewers asked.\n".into());
            let amend = Change::new(
                ActionKind::Amend,
                Some(&id),
                format!("amend {id}: answers, opening round 2"),
            )
            .trailer("Round", 2)
            .write(
                practice::layout::RegisterPath::activity(&id),
                model::to_yaml(&amended),
            )
            .write(format!("reviews/{id}/round-2/.gitkeep"), Vec::new());
            last = s.commit(&submitter(), &amend, Some(&format!(":{last}")));
        }
        if !open && i % 10 < 7 && i % 2 == 0 {
            approved.push((id, activity, round, i % 100 != 2));
        }
    }
    let marks = dir.join(".git").join("practice-generate-marks");
    s.out.extend_from_slice(b"checkpoint\n");
    import(dir, &s.out, &marks, true)?;

    // Publications name the sign-off commits by their real ids.
    let ids: HashMap<usize, String> = std::fs::read_to_string(&marks)
        .map_err(|e| Error::io(&marks, e))?
        .lines()
        .filter_map(|l| {
            let (mark, sha) = l.split_once(' ')?;
            Some((mark.trim_start_matches(':').parse().ok()?, sha.to_string()))
        })
        .collect();
    s.out.clear();
    for (id, activity, round, publish) in &approved {
        let mut report = Report::draft_from(activity);
        report.learning = "What others can learn.\n".into();
        report.resources = "What it needs.\n".into();
        let write_up = Change::new(
            ActionKind::WriteUp,
            Some(id),
            format!("write-up {id}: report complete"),
        )
        .trailer("Round", 1)
        .write(
            practice::layout::RegisterPath::report(id),
            model::to_yaml(&report),
        );
        last = s.commit(&editor(), &write_up, Some(&format!(":{last}")));
        if !publish {
            continue;
        }
        let mut entry = report.into_entry(
            Kind::SmarterPractice,
            Rating::SmarterPractice,
            Stamp {
                on: When::Date(s.at().date()),
                by: editor(),
            },
        );
        entry.approval = Some(Approval {
            round: 1,
            sign_offs: round
                .iter()
                .map(|so| ApprovalSignOff {
                    partner: so.partner.clone(),
                    decision: so.decision,
                    reviewer: so.reviewer.clone(),
                    commit: ids[&sign_off_marks[&practice::layout::RegisterPath::sign_off(
                        id,
                        1,
                        &so.partner,
                    )
                    .to_string()]]
                        .clone(),
                })
                .collect(),
        });
        let publish = Change::new(ActionKind::Publish, Some(id), format!("publish {id}"))
            .trailer("Round", 1)
            .write(
                practice::layout::RegisterPath::published(id),
                model::to_yaml(&entry),
            );
        last = s.commit(&editor(), &publish, Some(&format!(":{last}")));
    }
    import(dir, &s.out, &marks, false)?;
    let _ = std::fs::remove_file(&marks);
    git(dir, &["reset", "-q", "--hard", "main"])?;
    Ok(Generated {
        activities: n,
        sign_offs,
        commits: s.mark,
    })
}
