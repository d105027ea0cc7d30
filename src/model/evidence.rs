//! Evidence files attached to an activity: `submissions/<id>/evidence/<name>`,
//! listed with what the tool found of each in `submissions/<id>/evidence.yaml`.
//! The list is the record: who added each file, when, its size and its type
//! as read from its content, and whether an editor made it public.

use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::{Error, Result};

/// The largest file the register takes: evidence is a report or a sheet,
/// not a video.
pub const MAX_EVIDENCE_BYTES: u64 = 20 << 20;

/// `evidence.yaml`: every attached file, in the order added.
pub type EvidenceList = Vec<Evidence>;

/// One attached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub name: String,
    /// Its media type, as its content shows it.
    #[serde(rename = "type")]
    pub kind: String,
    pub bytes: u64,
    /// Whether the website links it (an editor's choice).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public: bool,
    pub added: Stamp,
}

/// Why `name` cannot name an attached file, if it cannot: letters, digits,
/// `.`, `_` and `-`, starting with a letter or digit, at most 100
/// characters, with an extension; nothing a shell, a URL or another
/// system could read otherwise.
pub fn check_evidence_name(name: &str) -> std::result::Result<(), String> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let starts = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !plain || !starts || name.len() > 100 || name.contains("..") || !name.contains('.') {
        return Err(format!(
            "`{}` is not a safe file name: letters, digits, `.`, `_` and `-`, starting with a letter or digit, with an extension (`evaluation-2025.pdf`); give one with --name",
            name.escape_debug()
        ));
    }
    Ok(())
}

/// The media type of `content`, read from the content itself, when it is
/// one the register takes: PDF, an image, a spreadsheet, or plain text
/// (UTF-8 without control characters but line ends and tabs; CSV when
/// `name` says so).
pub fn evidence_type(name: &str, content: &[u8]) -> Option<&'static str> {
    const TAKEN: [&str; 8] = [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.ms-excel",
    ];
    if let Some(found) = infer::get(content) {
        return TAKEN.iter().copied().find(|t| *t == found.mime_type());
    }
    let text = std::str::from_utf8(content).ok()?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return None;
    }
    Some(if name.to_ascii_lowercase().ends_with(".csv") {
        "text/csv"
    } else {
        "text/plain"
    })
}

/// Check a listed file against its place and its content.
pub fn check_evidence(path: &str, entry: &Evidence, content: &[u8]) -> Result<()> {
    let invalid = |message: String| Error::Invalid {
        path: path.into(),
        message,
    };
    check_evidence_name(&entry.name).map_err(invalid)?;
    if entry.bytes != content.len() as u64 {
        return Err(invalid(format!(
            "lists {} as {} bytes, but the file holds {}",
            entry.name,
            entry.bytes,
            content.len()
        )));
    }
    if evidence_type(&entry.name, content) != Some(entry.kind.as_str()) {
        return Err(invalid(format!(
            "lists {} as {}, which its content is not",
            entry.name, entry.kind
        )));
    }
    Ok(())
}
