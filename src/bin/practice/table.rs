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
        format!("{line} …")
    } else {
        line.to_string()
    }
}
