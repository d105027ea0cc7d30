//! What a register file may be before it is read as one: a size, text, a
//! depth, no YAML tags, and nothing that a typed read would quietly turn
//! into something else. Each check is linear in the file, so a hostile file
//! is refused at once rather than parsed for a minute.

use yaml_serde::Value;

use crate::{Error, Result};

/// The most a register file, or a file given for one, may hold: far more
/// than any activity, report or sign-off needs.
pub const MAX_BYTES: usize = 1 << 20;

/// How deeply `[ ]` and `{ }` may nest; the register's formats need two.
const MAX_DEPTH: usize = 32;

/// The earliest and latest years a date in the register may have.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// `bytes` as text ready to parse: not too long, UTF-8 (a byte-order mark
/// dropped), and not nested too deeply.
pub fn text<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::Invalid {
            path: path.to_string(),
            message: format!(
                "holds {} bytes, more than the 1 MiB a register file may; is it the right file?",
                bytes.len()
            ),
        });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = place(bytes, e.valid_up_to());
        Error::Malformed {
            path: path.to_string(),
            line,
            column,
            message: "is not UTF-8 text (save it as UTF-8)".into(),
        }
    })?;
    depth(path, text)?;
    tags(path, text)?;
    Ok(text)
}

/// Refuse YAML tags (`!!binary`, `!local`): a typed read drops or obeys
/// them, and the register's files hold plain values. A tag begins a value:
/// after `key: ` or `- `, outside the lines of a block text (`|`, `>`).
fn tags(path: &str, text: &str) -> Result<()> {
    let mut block: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(at) = block {
            if line.trim().is_empty() || indent > at {
                continue;
            }
            block = None;
        }
        let mut rest = line.trim_start();
        while let Some(after) = rest.strip_prefix("- ") {
            rest = after.trim_start();
        }
        if let Some((key, value)) = rest.split_once(": ")
            && !key.starts_with(['"', '\'', '#'])
        {
            rest = value.trim_start();
        }
        if rest.starts_with('!') {
            let column = line.len() - rest.len() + 1;
            let tag = rest.split_whitespace().next().unwrap_or(rest);
            return Err(Error::Malformed {
                path: path.to_string(),
                line: n + 1,
                column,
                message: format!(
                    "`{tag}` is a YAML tag; the register's files hold plain values, so remove it"
                ),
            });
        }
        if rest.starts_with(['|', '>']) {
            block = Some(indent);
        }
    }
    Ok(())
}

/// The line and column (from 1) of byte `at` of `bytes`.
fn place(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Refuse flow collections nested past [`MAX_DEPTH`], counting brackets
/// outside quotes and comments.
fn depth(path: &str, text: &str) -> Result<()> {
    let (mut depth, mut quote, mut comment) = (0usize, None, false);
    let mut prev = ' ';
    for (at, c) in text.char_indices() {
        match (quote, c) {
            _ if comment => comment = c != '\n',
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let (line, column) = place(text.as_bytes(), at);
                    return Err(Error::Malformed {
                        path: path.to_string(),
                        line,
                        column,
                        message: format!(
                            "nests lists or maps more than {MAX_DEPTH} deep, which no register file does"
                        ),
                    });
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == '\n' {
            quote = None;
        }
        prev = c;
    }
    Ok(())
}

/// Whether `text` could hold what [`hidden`] looks for.
pub fn may_hide(text: &str) -> bool {
    text.contains(['!', '~']) || text.contains("null") || text.contains("Null")
}

/// What a typed read would hide: a YAML tag (`!!binary`), which the read
/// drops, or `~` (nothing) where a text is wanted, which it takes for the
/// text "~". `typed` is what was read, written back as YAML values.
pub fn hidden(path: &str, text: &str, typed: &Value) -> Result<()> {
    let Ok(written) = yaml_serde::from_str::<Value>(text) else {
        return Ok(());
    };
    match walk(&written, typed, &mut Vec::new()) {
        Some(message) => Err(Error::Invalid {
            path: path.to_string(),
            message,
        }),
        None => Ok(()),
    }
}

fn walk(written: &Value, typed: &Value, at: &mut Vec<String>) -> Option<String> {
    let field = || {
        if at.is_empty() {
            "the file".to_string()
        } else {
            format!("`{}`", at.join("."))
        }
    };
    match (written, typed) {
        (Value::Tagged(t), _) => Some(format!(
            "{} is tagged `{}`; the register's files hold plain values, so remove the tag",
            field(),
            t.tag
        )),
        (Value::Null, Value::String(_)) => Some(format!(
            "{} is empty (`~` or `null`); give it a value, or leave the field out",
            field()
        )),
        (Value::Mapping(w), Value::Mapping(t)) => w.iter().find_map(|(key, value)| {
            let name = key.as_str().unwrap_or("?").to_string();
            let typed = t.get(key).unwrap_or(&Value::Null);
            at.push(name);
            let found = walk(value, typed, at);
            at.pop();
            found
        }),
        (Value::Sequence(w), Value::Sequence(t)) => {
            w.iter().zip(t).enumerate().find_map(|(i, (value, typed))| {
                at.push(i.to_string());
                let found = walk(value, typed, at);
                at.pop();
                found
            })
        }
        _ => None,
    }
}

/// The line of the second `key:` at the top of `text`, for a duplicate key
/// (the YAML reader names no place for one).
pub fn duplicate_line(text: &str, key: &str) -> Option<usize> {
    let heading = format!("{key}:");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&heading))
        .nth(1)
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_at_once_and_quoted_brackets_do_not_count() {
        let deep = format!("title: {}", "[".repeat(100_000));
        let err = text("f", deep.as_bytes()).unwrap_err().to_string();
        assert!(err.starts_with("f:1:"), "{err}");
        assert!(err.contains("more than 32 deep"), "{err}");
        let quoted = format!("title: \"{}\"\n", "[".repeat(100));
        assert!(text("f", quoted.as_bytes()).is_ok());
        let commented = format!("title: x # {}\n", "[".repeat(100));
        assert!(text("f", commented.as_bytes()).is_ok());
    }

    #[test]
    fn tags_are_refused_where_they_begin_a_value_not_inside_a_text() {
        for bad in [
            "title: !!binary aGVsbG8=",
            "- !secret x",
            "a:\n  b: !!str x",
        ] {
            let err = text("f", bad.as_bytes()).unwrap_err().to_string();
            assert!(err.contains("is a YAML tag"), "{bad}: {err}");
        }
        for fine in [
            "title: Great!",
            "summary: |\n  !important, this line is text\nnext: x",
            "title: \"!quoted\"",
        ] {
            assert!(text("f", fine.as_bytes()).is_ok(), "{fine}");
        }
    }

    #[test]
    fn size_bom_and_utf8() {
        assert_eq!(text("f", b"\xef\xbb\xbftitle: x\n").unwrap(), "title: x\n");
        let err = text("f", b"title: ok\nsummary: caf\xc3\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("f:2:13: is not UTF-8"), "{err}");
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(text("f", &big).unwrap_err().to_string().contains("1 MiB"));
    }
}
