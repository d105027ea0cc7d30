//! The tests' own environment: a developer's git setup, identity and
//! register must reach no process a test starts. This binary holds one
//! test, for it changes its own process's environment to be such a
//! developer's.

mod common;

use common::*;

#[test]
fn a_developers_git_setup_reaches_no_process_a_test_starts() {
    let leak = tempfile::TempDir::new().unwrap();
    let config = leak.path().join("gitconfig");
    std::fs::write(
        &config,
        "[user]\n\tname = Leaked Name\n\temail = leaked@example.com\n",
    )
    .unwrap();
    let elsewhere = leak.path().join("elsewhere");
    let (git_dir, index) = (elsewhere.join(".git"), leak.path().join("index"));
    let vars: [(&str, &std::ffi::OsStr); 14] = [
        ("GIT_DIR", git_dir.as_os_str()),
        ("GIT_WORK_TREE", elsewhere.as_os_str()),
        ("GIT_INDEX_FILE", index.as_os_str()),
        ("GIT_OBJECT_DIRECTORY", leak.path().as_os_str()),
        ("GIT_CONFIG_GLOBAL", config.as_os_str()),
        ("GIT_CONFIG_SYSTEM", config.as_os_str()),
        ("GIT_CONFIG_COUNT", "1".as_ref()),
        ("GIT_CONFIG_KEY_0", "user.name".as_ref()),
        ("GIT_CONFIG_VALUE_0", "Leaked Name".as_ref()),
        ("GIT_TRACE", "1".as_ref()),
        ("GIT_AUTHOR_DATE", "2001-01-01T00:00:00Z".as_ref()),
        ("EMAIL", "leaked@example.com".as_ref()),
        ("PRACTICE_REGISTER", elsewhere.as_os_str()),
        ("NO_COLOR", "".as_ref()),
    ];
    for (name, value) in vars {
        // SAFETY: the only test in this binary, and it starts no thread,
        // so nothing reads the environment while it changes.
        unsafe { std::env::set_var(name, value) };
    }

    // Every way a test starts a process: practice, git in a register, a
    // clone, git elsewhere.
    let reg = Reg::with_roster();
    let id = reg.submit_sample();
    let who = reviewer("npcc");
    reg.ok(who, &["review", &id, "--decision", "suitable"]);
    assert_eq!(
        reg.git(&["log", "-1", "--format=%an <%ae>"]).trim(),
        format!("{} <{}>", who.name, who.email)
    );
    assert!(!reg.git(&["log", "-1", "--format=%aI"]).starts_with("2001"));
    assert_eq!(reg.trailer("HEAD", "Decision"), "suitable");
    let out = reg.git_output(&["config", "user.name"]);
    assert!(!out.status.success(), "no user.name: {out:?}");
    assert!(out.stderr.is_empty(), "no trace: {out:?}");
    let copy = reg.clone_register();
    assert_eq!(copy.head(), reg.head());
    assert!(
        !elsewhere.exists(),
        "nothing was written where GIT_DIR pointed"
    );

    // And none of it is in a started process's environment.
    let env = reg.command("env").output().unwrap();
    let env = String::from_utf8(env.stdout).unwrap();
    let names: Vec<&str> = env
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(n, _)| n)
        .collect();
    assert!(names.contains(&"HOME"), "{env}");
    for name in names {
        assert!(
            !CLEARED.contains(&name)
                && (!name.starts_with("GIT_") || name == "GIT_CONFIG_NOSYSTEM"),
            "{name} reached a test's process"
        );
    }
    assert!(env.lines().any(|l| l == "NO_COLOR=1"), "{env}");
}
