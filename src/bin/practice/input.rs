//! Reading what the user gives: files (or `-` for standard input), and
//! telling whether a file is the register's own copy of what it will write.

use std::io::Read as _;
use std::path::Path;

use practice::ops::Source;
use practice::register::Register;
use practice::{Error, Result};

/// The bytes of `path`, or of standard input for `-`: at most a byte more
/// than a register file may hold, so that `/dev/zero` or a wrong file is
/// refused at once instead of read to the end.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let limit = practice::model::MAX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("standard input", e))?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
    }
    if bytes.len() as u64 >= limit {
        return Err(Error::bad(format!(
            "{} holds more than the 1 MiB a register file or comment may; is it the right file?",
            shown(path)
        )));
    }
    Ok(bytes)
}

/// A file as text, for comments and reasons.
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        Error::bad(format!(
            "{} is not UTF-8 text; save it as UTF-8",
            path.display()
        ))
    })
}

/// `path` relative to the register's top folder, with `/` separators, when it
/// lies inside the register: the path the action would write, if the user
/// edited the register's own file and passed it back with `--file`.
pub fn in_register(register: &Register, path: &Path) -> Option<String> {
    let full = path.canonicalize().ok()?;
    let root = register.root().canonicalize().ok()?;
    let rel = full.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// How a file's name appears in messages: as the user typed it.
pub fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

/// Parse the YAML file `path` (or standard input) and say where it came from.
pub fn parse_file<T: serde::de::DeserializeOwned + serde::Serialize>(
    register: &Register,
    path: &Path,
) -> Result<(T, Source)> {
    let name = shown(path);
    let value = practice::model::parse(&name, &read(path)?)?;
    let adopt = if path == Path::new("-") {
        None
    } else {
        in_register(register, path)
    };
    Ok((value, Source { name, adopt }))
}
