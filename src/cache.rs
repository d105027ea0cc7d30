//! Files under `.git` that keep what reading commands worked out before, so
//! the next run pays only for what changed. Each is the blob id of the rest
//! of the file on a line of its own, then JSON: a file changed by anything
//! but this module (a half-written file, a hand edit) is read as absent.
//! The check guards against accidents, not an attacker, who could compute
//! it too; `audit --full` reads no cache at all, and nothing is ever written
//! to the register from a cache.

use git2::Repository;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The cache `name` in `repo`'s git directory, if there is one that
/// matches its check and parses as a `T`.
pub(crate) fn load<T: DeserializeOwned>(repo: &Repository, name: &str) -> Option<T> {
    let bytes = std::fs::read(repo.path().join(name)).ok()?;
    let newline = memchr::memchr(b'\n', &bytes)?;
    let (check, rest) = (&bytes[..newline], &bytes[newline + 1..]);
    if check != sum(rest)?.as_bytes() {
        return None;
    }
    serde_json::from_slice(rest).ok()
}

/// Keep `value` as the cache `name`. A cache that cannot be written only
/// costs the next run time, so failure is not an error.
pub(crate) fn store<T: Serialize>(repo: &Repository, name: &str, value: &T) {
    let Ok(json) = serde_json::to_vec(value) else {
        return;
    };
    let Some(check) = sum(&json) else { return };
    let mut file = check.into_bytes();
    file.push(b'\n');
    file.extend_from_slice(&json);
    let _ = crate::action::write_atomically(repo.path(), &repo.path().join(name), &file);
}

fn sum(bytes: &[u8]) -> Option<String> {
    let id = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()?;
    Some(id.to_string())
}
