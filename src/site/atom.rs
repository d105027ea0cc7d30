//! `feed.xml`: an Atom feed (RFC 4287) so forces can follow new
//! publications. A retraction updates its entry rather than dropping it, so
//! a force that read about an entry also learns it was retracted.

use std::cmp::Reverse;
use std::fmt::Write as _;

use super::html::{escape, rfc3339};
use super::{Options, Provenance, SiteEntry, kind_from};
use crate::model::{RegisterConfig, When};

/// The moment an entry last changed, to the second: the commit that last
/// wrote it (its publication, a revision, its retraction), else the day
/// its record gives.
fn updated(r: &SiteEntry) -> When {
    r.written_at.unwrap_or(match &r.entry.retracted {
        Some(x) => x.on,
        None => r
            .entry
            .revisions
            .last()
            .map_or(r.entry.published.on, |x| x.on),
    })
}

/// When the entry was published: the commit that published it, to the
/// second; for an imported entry, the day its source gives.
fn published(r: &SiteEntry) -> When {
    match (&r.entry.imported, r.entered_at) {
        (None, Some(at)) => at,
        _ => r.entry.published.on,
    }
}

fn summary(r: &SiteEntry) -> String {
    let e = &r.entry;
    if let Some(x) = &e.retracted {
        return format!(
            "Retracted on {}: {}",
            x.on.date().format("%-d %B %Y"),
            x.reason.trim()
        );
    }
    if !e.summary.trim().is_empty() {
        return e.summary.trim().to_string();
    }
    let mut text = kind_from(e);
    if let Some(topic) = r.topic() {
        let _ = write!(text, ", filed under {topic}");
    }
    text.push('.');
    text
}

pub fn feed(
    config: &RegisterConfig,
    records: &[SiteEntry],
    provenance: &Provenance,
    options: &Options,
) -> String {
    let base = options.base_url.as_deref().unwrap_or("");
    let tag = provenance.tag();
    let mut sorted: Vec<&SiteEntry> = records.iter().collect();
    sorted.sort_by(|a, b| {
        (Reverse(updated(a).timestamp()), a.sort_key())
            .cmp(&(Reverse(updated(b).timestamp()), b.sort_key()))
    });
    // The latest only: a reader wants what is new, and a feed of the
    // whole bank would be megabytes fetched again and again.
    sorted.truncate(options.feed_size);
    // An empty feed is as new as the register.
    let newest = sorted
        .first()
        .map_or(When::Date(provenance.since), |r| updated(r));
    let name = escape(&config.name);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>{tag}</id>
<title>{name}</title>
<subtitle>New smarter practice and practice bank entries, and retractions</subtitle>
<updated>{updated}</updated>
<author><name>{name}</name></author>
<link rel="alternate" type="text/html" href="{base}feed.html"/>
<link rel="self" type="application/atom+xml" href="{base}feed.xml"/>
"#,
        tag = escape(&tag),
        updated = rfc3339(&newest),
        base = escape(base),
    );
    for r in sorted {
        let e = &r.entry;
        let title = if r.is_retracted() {
            format!("Retracted: {}", e.title)
        } else {
            e.title.clone()
        };
        let _ = write!(
            out,
            "<entry>\n<id>{tag}/{id}</id>\n<title>{title}</title>\n<published>{published}</published>\n<updated>{updated}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{base}{path}\"/>\n",
            tag = escape(&tag),
            id = escape(&r.id),
            title = escape(&title),
            published = rfc3339(&published(r)),
            updated = rfc3339(&updated(r)),
            base = escape(base),
            path = escape(&r.page_path()),
        );
        if let Some(topic) = r.topic() {
            let _ = writeln!(out, "<category term=\"{}\"/>", escape(topic));
        }
        let _ = write!(
            out,
            "<summary>{}</summary>\n</entry>\n",
            escape(&summary(r))
        );
    }
    out.push_str("</feed>\n");
    out
}
