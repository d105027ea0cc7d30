//! Tables for people, JSON for scripts.

use std::io::IsTerminal as _;

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use practice::Result;
use practice::model::Decision;
use serde::Serialize;

/// A plain table: no borders, so columns read well and `grep` keeps working.
pub fn new(header: Vec<&str>) -> Table {
    let mut table = fields();
    table.set_header(header);
    table
}

/// A table with no header: names and values, for `show`.
pub fn fields() -> Table {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    // Fit a terminal of sensible width; anywhere else (a pipe, a terminal
    // that reports no size) keep rows whole.
    if table.width().is_some_and(|w| w >= 40) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    table
}

/// Colour only for a person at a terminal, and never with `NO_COLOR` set.
/// Asked once: `list` asks for every cell of ten thousand rows.
pub fn colour() -> bool {
    static COLOUR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *COLOUR.get_or_init(|| {
        std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
    })
}

/// A decision's mark as a cell, coloured when colour is on.
pub fn mark_cell(decision: Option<Decision>) -> Cell {
    let cell = Cell::new(mark(decision));
    if !colour() {
        return cell;
    }
    match decision {
        Some(Decision::Suitable) => cell.fg(Color::Green),
        Some(Decision::NotSuitable) => cell.fg(Color::Red),
        Some(Decision::MoreInformation) => cell.fg(Color::Yellow),
        _ => cell,
    }
}

/// A decision at a glance.
pub fn mark(decision: Option<Decision>) -> &'static str {
    match decision {
        Some(Decision::Suitable) => "✓",
        Some(Decision::NotSuitable) => "✗",
        Some(Decision::MoreInformation) => "?",
        Some(Decision::Recuse) => "–",
        None => "·",
    }
}

/// When a round is due, and how late it is: "2026-10-29 (7 days overdue)".
pub fn due(due: Option<chrono::NaiveDate>, overdue_days: Option<i64>) -> String {
    match (due, practice::pipeline::clock::overdue_by(overdue_days)) {
        (Some(due), Some(late)) => format!("{due} ({} overdue)", practice::view::days(late)),
        (Some(due), None) => due.to_string(),
        (None, _) => String::new(),
    }
}

/// Print `value` as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).expect("views serialise to JSON");
    println!("{text}");
    Ok(())
}

/// The first line of a long text, for a table cell.
pub fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    if text.trim().lines().nth(1).is_some() {
        format!("{} …", shown(line))
    } else {
        shown(line)
    }
}

/// Text from the register, for one line of a terminal: every control
/// character (a line break, a carriage return, an escape that would
/// recolour or clear the screen) written as its escape, `\n` or `\u{1b}`,
/// so what a file holds can never add a row to a table or command a
/// terminal.
pub fn shown(text: &str) -> String {
    escape(text, |_| true)
}

/// The same for a long text shown over several lines: line breaks stay,
/// every other control character is written as its escape.
pub fn shown_lines(text: &str) -> String {
    escape(text, |c| c != '\n')
}

fn escape(text: &str, escaped: impl Fn(char) -> bool) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && escaped(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// A cell of a CSV file: shown as [`shown`] does, and, as OWASP advises,
/// a cell a spreadsheet would run as a formula (one that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) is begun with `'` instead.
pub fn csv_cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = shown(text);
    if risky { format!("'{text}") } else { text }
}
