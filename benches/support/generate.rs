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
//!
//! Signed (`generate(dir, n, true)`), every person has an Ed25519 key made
//! from a fixed seed, the roster lists the keys and requires signatures, and
//! every commit carries an SSH signature made in this process: fast-import
//! cannot sign, so each imported stretch of history is written again as
//! signed commits over the same trees (oldest first, each on its signed
//! parent), and the publications name the signed sign-off commits.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{Oid, Repository};
use ssh_key::private::{Ed25519Keypair, PrivateKey};
use ssh_key::{HashAlg, LineEnding};

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

/// Where in `.git` a signed register keeps its people's private keys.
pub const KEYS: &str = "generated-keys";

/// Each person's signing key, made from their email address, so a signed
/// register comes out the same every time.
struct Keys(HashMap<String, PrivateKey>);

impl Keys {
    fn of(people: &[Person]) -> Keys {
        let keys = people.iter().map(|p| {
            let mut seed = [0u8; 32];
            for (i, b) in p.email.bytes().cycle().take(32).enumerate() {
                seed[i] = b;
            }
            let key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
            (p.email.clone(), key)
        });
        Keys(keys.collect())
    }

    /// Save each private key as `<email>` in `folder`, for a benchmark
    /// that signs as one of these people through git.
    fn save(&self, folder: &Path) -> Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
        for (email, key) in &self.0 {
            let path = folder.join(email);
            let text = key
                .to_openssh(LineEnding::LF)
                .map_err(|e| Error::bad(format!("cannot save a key: {e}")))?;
            std::fs::write(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
            let private = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(&path, private).map_err(|e| Error::io(&path, e))?;
            let public = folder.join(format!("{email}.pub"));
            std::fs::write(&public, self.public(email)).map_err(|e| Error::io(&public, e))?;
        }
        Ok(())
    }

    /// `email`'s public key as the roster lists it.
    fn public(&self, email: &str) -> String {
        self.0[email]
            .public_key()
            .to_openssh()
            .expect("an Ed25519 key encodes")
    }

    /// Write `old` again, signed by its author, on `parent`.
    fn sign(&self, repo: &Repository, old: Oid, parent: Option<Oid>) -> Result<Oid> {
        let commit = repo.find_commit(old)?;
        let parents = match parent {
            Some(p) => vec![repo.find_commit(p)?],
            None => Vec::new(),
        };
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = commit.message().expect("the generator writes UTF-8");
        let buffer = repo.commit_create_buffer(
            &commit.author(),
            &commit.committer(),
            message,
            &commit.tree()?,
            &parents,
        )?;
        let author = commit.author();
        let email = author.email().expect("the generator writes UTF-8");
        let signature = self.0[email]
            .sign("git", HashAlg::Sha512, &buffer)
            .and_then(|s| s.to_pem(LineEnding::LF))
            .map_err(|e| Error::bad(format!("cannot sign: {e}")))?;
        let content = std::str::from_utf8(&buffer).expect("UTF-8");
        Ok(repo.commit_signed(content, signature.trim_end(), Some("gpgsig"))?)
    }

    /// Write the commits of `main` after `base` again, signed, and point
    /// `main` at the signed ones; what each old commit became.
    fn sign_history(&self, dir: &Path, base: Option<Oid>) -> Result<HashMap<Oid, Oid>> {
        let repo = Repository::open(dir)?;
        let mut walk = repo.revwalk()?;
        walk.push_ref("refs/heads/main")?;
        if let Some(base) = base {
            walk.hide(base)?;
        }
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
        let mut became = HashMap::new();
        let mut parent = base;
        for old in walk {
            let old = old?;
            let new = self.sign(&repo, old, parent)?;
            became.insert(old, new);
            parent = Some(new);
        }
        if let Some(tip) = parent {
            repo.reference("refs/heads/main", tip, true, "generate: sign every commit")?;
        }
        Ok(became)
    }
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

/// Write a register of `n` activities into the new folder `dir`, every
/// commit signed if `signed`.
pub fn generate(dir: &Path, n: usize, signed: bool) -> Result<Generated> {
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
    let mut people: Vec<Person> = PARTNERS
        .iter()
        .map(|(_, name, email)| Person::new(*name, *email))
        .collect();
    people.extend([editor(), submitter()]);
    let keys = signed.then(|| Keys::of(&people));
    if let Some(keys) = &keys {
        keys.save(&dir.join(".git").join(KEYS))?;
    }
    let key_of = |email: &str| keys.as_ref().map(|k| k.public(email));
    let mut first = RegisterConfig::new_default(&editor());
    first.editors[0].key = key_of(&editor().email);
    let mut config = first.clone();
    for (i, (_, name, email)) in PARTNERS.iter().enumerate() {
        config.partners[i].reviewers.push(RosterEntry {
            name: name.to_string(),
            email: email.to_string(),
            key: key_of(email),
        });
    }
    let mut init = Change::new(ActionKind::Init, None, "init: Smarter practice register")
        .write(practice::layout::CONFIG, model::to_yaml(&first));
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
    if signed {
        config.signatures = Some(model::Signatures::Required);
        let required = Change::new(ActionKind::Roster, None, "roster: signatures required")
            .trailer("Change", "signatures")
            .trailer("Signatures", model::Signatures::Required)
            .write(practice::layout::CONFIG, model::to_yaml(&config));
        last = s.commit(&editor(), &required, Some(&format!(":{last}")));
    }

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
            reinstated: None,
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

    // Publications name the sign-off commits by their real ids: the signed
    // ones, in a signed register.
    let became = match &keys {
        Some(keys) => keys.sign_history(dir, None)?,
        None => HashMap::new(),
    };
    let ids: HashMap<usize, String> = std::fs::read_to_string(&marks)
        .map_err(|e| Error::io(&marks, e))?
        .lines()
        .filter_map(|l| {
            let (mark, sha) = l.split_once(' ')?;
            let sha = Oid::from_str(sha).ok()?;
            let sha = became.get(&sha).copied().unwrap_or(sha);
            Some((mark.trim_start_matches(':').parse().ok()?, sha.to_string()))
        })
        .collect();
    let mut parent = ids[&last].clone();
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
        s.commit(&editor(), &write_up, Some(&parent));
        parent = format!(":{}", s.mark);
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
        s.commit(&editor(), &publish, Some(&parent));
        parent = format!(":{}", s.mark);
    }
    import(dir, &s.out, &marks, false)?;
    let _ = std::fs::remove_file(&marks);
    if let Some(keys) = &keys {
        keys.sign_history(dir, Oid::from_str(&ids[&last]).ok())?;
        // The unsigned commits go, and the signed ones are packed as a
        // clone would have them.
        git(dir, &["reflog", "expire", "--expire=now", "--all"])?;
        git(dir, &["gc", "-q", "--prune=now"])?;
    }
    git(dir, &["reset", "-q", "--hard", "main"])?;
    Ok(Generated {
        activities: n,
        sign_offs,
        commits: s.mark,
    })
}
