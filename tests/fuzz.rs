//! Random text, control characters and all, in every one-line field a
//! person can type and in the identity git gives: each action either lands
//! or is refused in one line with nothing changed, and whatever landed is a
//! history that `git fsck --strict` passes, that `practice audit` finds
//! sound, and that `practice history` and `git log` count alike.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Characters an attacker reaches for: line ends, escapes, the bytes that
/// end a header or a trailer, quotes, and any other character at all. (NUL
/// cannot pass through an argument or the environment, so it is left to
/// the file tests.)
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '\n', '\r', '\t', '\u{1b}', '\u{7}', '\u{8}', '\u{7f}', '\u{85}', '\u{2028}', '<', '>',
            ':', '#', '-', '=', '+', '@', '"', '\'', '\\', '!', '&', '*', '|', '{', '[', ' ',
        ]),
        any::<char>().prop_filter("no NUL", |c| *c != '\0'),
        prop::char::range('a', 'z'),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..24).prop_map(|cs| cs.into_iter().collect())
}

/// Where the text goes.
#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Organisation,
    TargetGroup,
    Region,
    Summary,
    RosterName,
    RosterEmail,
    Comment,
    AuthorName,
    AuthorEmail,
}

fn field() -> impl Strategy<Value = Field> {
    prop::sample::select(vec![
        Field::Title,
        Field::Organisation,
        Field::TargetGroup,
        Field::Region,
        Field::Summary,
        Field::RosterName,
        Field::RosterEmail,
        Field::Comment,
        Field::AuthorName,
        Field::AuthorEmail,
    ])
}

/// A submission by flags, `text` in one of them (or in the title, made
/// unique by `n` so that most land).
fn submit_args(field: Field, text: &str, n: usize) -> Vec<String> {
    let mut title = format!("Scheme {n}");
    let (mut organisation, mut group, mut region, mut summary) = (
        "dorset".to_string(),
        "Victims".to_string(),
        "South West".to_string(),
        "What it does.".to_string(),
    );
    match field {
        Field::Title => title = format!("{title} {text}"),
        Field::Organisation => organisation = text.to_string(),
        Field::TargetGroup => group = text.to_string(),
        Field::Region => region = text.to_string(),
        Field::Summary => summary = text.to_string(),
        _ => {}
    }
    [
        "submit",
        "--no-input",
        "--title",
        &title,
        "--organisation",
        &organisation,
        "--topic",
        "Violence against women and girls",
        "--focus",
        "Prevention",
        "--target-group",
        &group,
        "--region",
        &region,
        "--scale",
        "local",
        "--implementation",
        "implemented",
        "--summary",
        &summary,
        "--problem",
        "The problem.",
        "--aim",
        "The aim.",
        "--activity",
        "What was done.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Run one action with `text` in `field`; it lands, or it is refused in
/// one line with nothing changed.
fn act(reg: &Reg, id: &str, field: Field, text: &str, n: usize) -> Result<bool, TestCaseError> {
    let (who, args): (Who, Vec<String>) = match field {
        Field::RosterName | Field::RosterEmail => {
            let (name, email) = match field {
                Field::RosterName => (text.to_string(), format!("r{n}@npcc.police.uk")),
                _ => (format!("Reviewer {n}"), text.to_string()),
            };
            let args = ["roster", "add", "--partner", "npcc", "--name", &name];
            let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            args.extend(["--email".to_string(), email]);
            (EDITOR, args)
        }
        Field::Comment => {
            let decision = if n.is_multiple_of(2) {
                "more-information"
            } else {
                "not-suitable"
            };
            let args = ["review", id, "--decision", decision, "--comment", text];
            (
                reviewer("npcc"),
                args.iter().map(|s| s.to_string()).collect(),
            )
        }
        _ => (SUBMITTER, submit_args(field, text, n)),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let before = reg.snapshot();
    let mut command = reg.practice(who, &args);
    match field {
        Field::AuthorName => command.env("GIT_AUTHOR_NAME", text),
        Field::AuthorEmail => command.env("GIT_AUTHOR_EMAIL", text),
        _ => &mut command,
    };
    let out = command.output().unwrap();
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{:?}: {}",
            field,
            stderr
        );
        prop_assert!(stderr.starts_with("practice: "), "{}", stderr);
        prop_assert!(
            raw_control(&stderr).is_none(),
            "a raw control character in: {:?}",
            stderr
        );
        prop_assert_eq!(
            reg.snapshot(),
            before,
            "{:?} {:?} changed things",
            field,
            text
        );
    }
    Ok(out.status.success())
}

#[test]
fn hostile_one_line_fields_never_make_a_bad_commit() {
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    // The same cases every run, so CI is repeatable;
    // PRACTICE_FUZZ_CASES=1000 PRACTICE_FUZZ_RANDOM=1 explores further.
    let cases = std::env::var("PRACTICE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96);
    let config = Config {
        cases,
        // Each case runs the tool; a failure is shrunk by hand from its
        // printed input rather than by rerunning hundreds of actions.
        max_shrink_iters: 16,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = if std::env::var_os("PRACTICE_FUZZ_RANDOM").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let (tried, landed) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&(field(), hostile_text()), |(field, text)| {
            tried.set(tried.get() + 1);
            if act(&reg, &id, field, &text, tried.get())? {
                landed.set(landed.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    // Both ways were taken often enough to mean something.
    let (tried, landed) = (tried.get(), landed.get());
    assert!(
        landed >= 20 && tried - landed >= 20,
        "{landed} of {tried} landed"
    );

    let commits = reg.commit_count();
    let fsck = reg.git_output(&["fsck", "--strict", "--no-dangling"]);
    assert!(fsck.status.success(), "{fsck:?}");
    let (code, findings) = reg.audit();
    assert_eq!((code, findings), (0, vec![]));
    let history: serde_json::Value =
        serde_json::from_str(&reg.ok(EDITOR, &["history", "--json"])).unwrap();
    assert_eq!(history.as_array().unwrap().len(), commits);
    // git reads each commit's author as the tool wrote it.
    let authors = reg.git(&["log", "--format=%ae"]);
    for (line, action) in authors.lines().zip(history.as_array().unwrap()) {
        assert_eq!(action["actor"]["email"], line);
    }
}
