//! Tables for people, JSON for scripts.

use comfy_table::{ContentArrangement, Table, presets};
use practice::Result;
use practice::model::Decision;
use serde::Serialize;

/// A plain table: no borders, so columns read well and `grep` keeps working.
pub fn new(header: Vec<&str>) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    table
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
