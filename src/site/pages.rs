//! The site's pages: home, practice bank, one page per entry, and the notice
//! a retracted entry leaves at its address.

use std::fmt::Write as _;

use super::html::{self, Frame, Nav, Page, and_list, escape, paragraphs};
use super::listing::{Lists, entries};
use super::{Signature, SiteEntry, by_topic, decision_label, kind_from, rating_label, recent};
use crate::model::{Kind, PublishedEntry, Reasoned, RegisterConfig};
use crate::pipeline::signing::Status;

/// `Title – Organisation`, linked, as the College lists its examples.
fn entry_line(r: &SiteEntry, root: &str) -> String {
    let e = &r.entry;
    let mut line = format!(
        "<a href=\"{root}{}\">{}</a>",
        r.page_path(),
        escape(&e.title)
    );
    if !e.organisations.is_empty() {
        let _ = write!(
            line,
            " <span class=\"orgs\">– {}</span>",
            escape(&and_list(&e.organisations))
        );
    }
    line.push_str(imported_mark(e));
    line
}

/// The mark an imported entry carries wherever entries are listed: it was
/// published before the register and never reviewed in it.
pub(super) fn imported_mark(e: &crate::model::PublishedEntry) -> &'static str {
    if e.imported.is_some() {
        " <span class=\"tag imported\">Imported, not reviewed here</span>"
    } else {
        ""
    }
}

/// When an entry was published, as a page shows it. An imported entry's
/// date is the one its source gives, which says only that the entry was
/// out by then.
pub(super) fn published_on(e: &PublishedEntry) -> String {
    let day = html::date(&e.published.on);
    if e.imported.is_some() {
        format!("On or before {day}")
    } else {
        day
    }
}

/// An address as a `mailto:` link's target: anything but the characters of
/// a plain address is percent-encoded, so `?` or `&` in a typed address
/// cannot add a subject, copies or a body to the message.
pub(super) fn mailto(email: &str) -> String {
    let mut out = String::with_capacity(email.len());
    for byte in email.trim().bytes() {
        if byte.is_ascii_alphanumeric() || b"@._-+".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

pub fn home(
    frame: &Frame,
    config: &RegisterConfig,
    live: &[&SiteEntry],
    lists: &Lists,
    count: usize,
) -> String {
    let partners: Vec<String> = config.partners.iter().map(|p| p.name.clone()).collect();
    let mut main = String::new();
    let _ = write!(
        main,
        r#"<h1>{site}</h1>
<p class="lead">Forces share local practice, interventions and activity here so that others can learn from them. Reports written in a set format are known as smarter practice.</p>
<p>The aim of smarter practice is to share learning, and to enable forces to implement practices that have addressed crime challenges in other areas.</p>
<h2>How smarter practice examples are developed</h2>
<ol>
<li>An activity or policing intervention is tried in a force.</li>
<li>The activity is reviewed jointly by experienced practitioners from {partners}.</li>
<li>If the activity is considered suitable for further testing, it is written up in a report that follows a set format known as smarter practice.</li>
<li>Smarter practice examples are published here to share with other forces for consideration.</li>
</ol>
<p>Our <a href="practice-bank.html">practice bank</a> also includes examples of force activity that have not been reviewed as smarter practice.</p>
"#,
        site = escape(&config.name),
        partners = escape(&and_list(&partners)),
    );

    main.push_str("<section aria-labelledby=\"recent\">\n<h2 id=\"recent\">Recently published examples</h2>\n");
    let newest = recent(live, count);
    if newest.is_empty() {
        main.push_str("<p>Nothing has been published yet.</p>\n");
    } else {
        main.push_str("<ul class=\"entries\">\n");
        for r in newest {
            let mut extra = String::new();
            if r.entry.kind == Kind::PracticeBank {
                let _ = write!(
                    extra,
                    " <span class=\"tag\">Practice bank: {}</span>",
                    rating_label(r.entry.rating).to_lowercase()
                );
            }
            let _ = writeln!(
                main,
                "<li>{}{extra} <span class=\"when\">{}</span></li>",
                entry_line(r, ""),
                published_on(&r.entry)
            );
        }
        main.push_str("</ul>\n");
    }
    main.push_str("</section>\n");

    // A few of each topic, and the way to the rest: the home page stays
    // small however large the published set grows.
    main.push_str("<section aria-labelledby=\"all\">\n<h2 id=\"all\">Our smarter practice examples, by topic</h2>\n");
    let smarter: Vec<&SiteEntry> = live
        .iter()
        .copied()
        .filter(|r| r.entry.kind == Kind::SmarterPractice)
        .collect();
    if smarter.is_empty() {
        main.push_str("<p>No smarter practice has been published yet.</p>\n");
    }
    for (topic, group) in by_topic(&smarter, &config.topics) {
        let name = escape(topic.unwrap_or(super::NO_TOPIC));
        let page = lists.topic_page(topic).unwrap_or_default();
        let _ = writeln!(
            main,
            "<h3><a href=\"{page}\">{name}</a></h3>\n<ul class=\"entries\">"
        );
        for r in group.iter().take(count) {
            let _ = writeln!(main, "<li>{}</li>", entry_line(r, ""));
        }
        main.push_str("</ul>\n");
        if group.len() > count {
            let total = lists.topic(topic).map_or(group.len(), |t| t.entries.len());
            let _ = writeln!(
                main,
                "<p class=\"more\"><a href=\"{page}\">All {} on {name}</a></p>",
                entries(total)
            );
        }
    }
    main.push_str("</section>\n");
    main.push_str(&lists.browse(""));

    let description = format!(
        "Smarter practice from police forces: local activity reviewed jointly by {}, written up for other forces to consider.",
        and_list(&partners)
    );
    html::page(
        frame,
        &Page {
            title: "Smarter practice",
            description: &description,
            root: "",
            nav: Nav::Home,
            main,
            scripts: &[],
            noindex: false,
        },
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The sign-off table's "Signature" cell: what the signature on the
/// sign-off's commit proves, in words, with the key's fingerprint (in full,
/// for a reader to compare with the reviewer's own) wherever there is one.
///
/// The column is there for every approval, signed or not, with "Not signed"
/// where there is no signature: left out of unsigned entries, its absence
/// would say nothing a reader could see, one entry could not be told from
/// another that shows it, and an approval only partly signed needs it anyway.
fn signature_cell(signature: Option<&Signature>) -> String {
    let Some(signature) = signature else {
        return "Cannot be checked: its commit is missing".into();
    };
    let words = match signature.status {
        Status::Verified => "Verified",
        Status::Unsigned => "Not signed",
        Status::Bad => "Signature does not match",
        Status::UnknownKey if signature.fingerprint.is_some() => {
            "Signed by a key not on the roster for this reviewer"
        }
        // A signature of a kind that does not read (OpenPGP, X.509).
        Status::UnknownKey => "Signature cannot be checked",
    };
    match &signature.fingerprint {
        Some(fingerprint) => format!("{words} (<code>{}</code>)", escape(fingerprint)),
        None => words.to_string(),
    }
}

pub(super) const CRUMBS_START: &str = "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\n<ol>\n<li><a href=\"../index.html\">Home</a></li>\n<li><a href=\"../practice-bank.html\">Practice bank</a></li>\n";

pub fn entry(frame: &Frame, config: &RegisterConfig, lists: &Lists, r: &SiteEntry) -> String {
    let e = &r.entry;
    let mut main = String::new();
    let _ = write!(
        main,
        "{CRUMBS_START}<li aria-current=\"page\">{title}</li>\n</ol>\n</nav>\n<p class=\"kind\">{kind}</p>\n<h1>{title}</h1>\n",
        title = escape(&e.title),
        kind = match e.kind {
            Kind::SmarterPractice => "Smarter practice".to_string(),
            Kind::PracticeBank =>
                format!("Practice bank: {}", rating_label(e.rating).to_lowercase()),
        },
    );
    if !e.organisations.is_empty() {
        let _ = writeln!(
            main,
            "<p class=\"orgs\">{}</p>",
            escape(&and_list(&e.organisations))
        );
    }
    if !e.summary.trim().is_empty() {
        let _ = write!(
            main,
            "<div class=\"summary\">\n{}</div>\n",
            paragraphs(&e.summary)
        );
    }

    main.push_str("<h2 id=\"key-details\">Key details</h2>\n<dl class=\"details\">\n");
    let mut detail = |term: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(main, "<dt>{term}</dt><dd>{value}</dd>");
        }
    };
    detail("Organisations", escape(&e.organisations.join(", ")));
    detail("Does it work?", rating_label(e.rating).to_string());
    detail(
        "Topic",
        match (r.topic(), lists.topic_page(r.topic())) {
            (Some(topic), Some(page)) => format!("<a href=\"../{page}\">{}</a>", escape(topic)),
            _ => String::new(),
        },
    );
    detail("Focus", e.focus.map(|f| f.to_string()).unwrap_or_default());
    detail("Target groups", escape(&e.target_groups.join(", ")));
    detail("Region", escape(e.region.as_deref().unwrap_or("")));
    detail("Scale", e.scale.map(|s| s.to_string()).unwrap_or_default());
    detail(
        "Implementation",
        e.implementation
            .map(|i| capitalised(i.as_str()))
            .unwrap_or_default(),
    );
    detail(
        "Started",
        e.started
            .map(|d| html::date(&crate::model::When::Date(d)))
            .unwrap_or_default(),
    );
    detail(
        "Contact",
        e.contact
            .as_ref()
            .map(|c| {
                format!(
                    "{} (<a href=\"mailto:{}\">{}</a>)",
                    escape(&c.name),
                    mailto(&c.email),
                    escape(&c.email)
                )
            })
            .unwrap_or_default(),
    );
    detail("Published", published_on(e));
    if let Some(last) = e.revisions.last() {
        detail("Updated", html::date(&last.on));
    }
    main.push_str("</dl>\n");
    // Evidence an editor made public, copied beside this page.
    if !r.attachments.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"evidence-files\">\n<h2 id=\"evidence-files\">Evidence files</h2>\n<ul>\n",
        );
        for (e, _) in &r.attachments {
            let _ = writeln!(
                main,
                "<li><a href=\"{}/{}\">{}</a> ({}, {} KB)</li>",
                escape(&r.id),
                escape(&e.name),
                escape(&e.name),
                escape(&e.kind),
                e.bytes.div_ceil(1000)
            );
        }
        main.push_str("</ul>\n</section>\n");
    }
    // Each correction since publication, with its reason: a reader relying
    // on the entry sees that it changed, when and why.
    if !e.revisions.is_empty() {
        main.push_str(
            "<section aria-labelledby=\"revisions\">\n<h2 id=\"revisions\">Updates</h2>\n<ul>\n",
        );
        for r in &e.revisions {
            let _ = writeln!(
                main,
                "<li>Updated on {}: {}</li>",
                html::date(&r.on),
                escape(&r.reason)
            );
        }
        main.push_str("</ul>\n</section>\n");
    }

    // The sections written; those the source left empty are named once.
    for (name, text) in e.sections() {
        if text.trim().is_empty() {
            continue;
        }
        let _ = write!(
            main,
            "<section aria-labelledby=\"{name}\">\n<h2 id=\"{name}\">{}</h2>\n{}</section>\n",
            capitalised(name),
            paragraphs(text)
        );
    }
    let missing: Vec<String> = e.missing_sections().iter().map(|s| s.to_string()).collect();
    if !missing.is_empty() {
        let whose = if e.imported.is_some() {
            "The source this entry was imported from does not record"
        } else {
            "This entry does not yet record"
        };
        let _ = writeln!(
            main,
            "<p class=\"not-recorded\">{whose} its {}.</p>",
            and_list(&missing)
        );
    }

    if let Some(approval) = &e.approval {
        let _ = write!(
            main,
            r#"<section aria-labelledby="sign-off">
<h2 id="sign-off">Review and sign-off</h2>
<p>Reviewed jointly by experienced practitioners from the partners, and approved in review round {round}.</p>
<table class="sign-offs">
<caption>Each partner’s sign-off</caption>
<thead>
<tr><th scope="col">Partner</th><th scope="col">Decision</th><th scope="col">Reviewer</th><th scope="col">Signed</th><th scope="col">Signature</th></tr>
</thead>
<tbody>
"#,
            round = approval.round
        );
        for (i, s) in approval.sign_offs.iter().enumerate() {
            let partner = config
                .partner(&s.partner)
                .map_or(s.partner.as_str(), |p| p.name.as_str());
            let when = r
                .signed
                .get(i)
                .copied()
                .flatten()
                .map(|w| html::date(&w))
                .unwrap_or_else(|| "Not recorded".into());
            let signature = signature_cell(r.signatures.get(i).and_then(Option::as_ref));
            let _ = writeln!(
                main,
                "<tr><th scope=\"row\">{}</th><td data-label=\"Decision\">{}</td><td data-label=\"Reviewer\">{}</td><td data-label=\"Signed\">{when}</td><td data-label=\"Signature\" class=\"signature\">{signature}</td></tr>",
                escape(partner),
                decision_label(s.decision),
                escape(&s.reviewer.name),
            );
        }
        main.push_str("</tbody>\n</table>\n</section>\n");
    }
    if let Some(imported) = &e.imported {
        let mut record = String::from("Imported");
        if let Some(on) = &imported.on {
            let _ = write!(record, " on {}", html::date(on));
        }
        if let Some(by) = &imported.by {
            let _ = write!(record, " by {}", escape(&by.name));
        }
        let _ = write!(
            main,
            "<section aria-labelledby=\"source\">\n<h2 id=\"source\">Where this entry comes from</h2>\n<p>It was published before this register existed, on or before {}, and was not reviewed here.</p>\n<details>\n<summary>The record of its import</summary>\n<p>{record}, from: {}</p>\n</details>\n</section>\n",
            html::date(&e.published.on),
            html::linked(imported.source.trim())
        );
    }
    let description = if e.summary.trim().is_empty() {
        format!("{}: {}.", kind_from(e), e.title.trim())
    } else {
        html::description(&e.summary, 160)
    };

    html::page(
        frame,
        &Page {
            title: &e.title,
            description: &description,
            root: "../",
            nav: Nav::Other,
            main,
            scripts: &[],
            noindex: false,
        },
    )
}

/// What stays at a retracted entry's address: that it was retracted, when
/// and why, and none of its content.
pub fn retracted(frame: &Frame, r: &SiteEntry, retraction: &Reasoned) -> String {
    let title = &r.entry.title;
    let mut main = String::new();
    let _ = write!(
        main,
        "{CRUMBS_START}<li aria-current=\"page\">Retracted entry</li>\n</ol>\n</nav>\n<h1>Retracted: {}</h1>\n<p class=\"notice\">This entry was retracted on {}: {}</p>\n<p>It is no longer part of the published set, and its content is not shown. The <a href=\"../practice-bank.html\">practice bank</a> lists every current entry.</p>\n",
        escape(title),
        html::date(&retraction.on),
        escape(retraction.reason.trim()),
    );
    html::page(
        frame,
        &Page {
            title: &format!("Retracted: {title}"),
            description: &format!(
                "{title} was retracted and is no longer part of the published set."
            ),
            root: "../",
            nav: Nav::Other,
            main,
            scripts: &[],
            noindex: true,
        },
    )
}
