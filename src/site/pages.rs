//! The site's pages: home, practice bank, one page per entry, and the notice
//! a retracted entry leaves at its address.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::html::{self, Frame, Nav, Page, and_list, escape, paragraphs};
use super::{
    NO_TOPIC, NO_TOPIC_VALUE, Signature, SiteEntry, by_topic, decision_label, rating_label, recent,
};
use crate::model::{Kind, Rating, Reasoned, RegisterConfig};
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
fn imported_mark(e: &crate::model::PublishedEntry) -> &'static str {
    if e.imported.is_some() {
        " <span class=\"tag imported\">Imported, not reviewed here</span>"
    } else {
        ""
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

pub fn home(frame: &Frame, config: &RegisterConfig, records: &[SiteEntry], count: usize) -> String {
    let live: Vec<&SiteEntry> = records.iter().filter(|r| !r.is_retracted()).collect();
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
    let newest = recent(&live, count);
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
                html::date(&r.entry.published.on)
            );
        }
        main.push_str("</ul>\n");
    }
    main.push_str("</section>\n");

    main.push_str("<section aria-labelledby=\"all\">\n<h2 id=\"all\">All our smarter practice examples</h2>\n");
    let smarter: Vec<&SiteEntry> = live
        .iter()
        .copied()
        .filter(|r| r.entry.kind == Kind::SmarterPractice)
        .collect();
    if smarter.is_empty() {
        main.push_str("<p>No smarter practice has been published yet.</p>\n");
    }
    for (topic, group) in by_topic(&smarter, &config.topics) {
        let _ = writeln!(
            main,
            "<h3>{}</h3>\n<ul class=\"entries\">",
            escape(topic.unwrap_or(NO_TOPIC))
        );
        for r in group {
            let _ = writeln!(main, "<li>{}</li>", entry_line(r, ""));
        }
        main.push_str("</ul>\n");
    }
    main.push_str("</section>\n");

    html::page(
        frame,
        &Page {
            title: "Smarter practice",
            root: "",
            nav: Nav::Home,
            main,
            scripts: &[],
            noindex: false,
        },
    )
}

/// "1 entry", "2 entries".
fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

fn select(id: &str, name: &str, label: &str, all: &str, options: &[(String, String)]) -> String {
    let mut out = format!(
        "<div class=\"field\">\n<label for=\"{id}\">{label}</label>\n<select id=\"{id}\" name=\"{name}\">\n<option value=\"\">{all}</option>\n"
    );
    for (value, text) in options {
        let _ = writeln!(
            out,
            "<option value=\"{}\">{}</option>",
            escape(value),
            escape(text)
        );
    }
    out.push_str("</select>\n</div>\n");
    out
}

pub fn bank(frame: &Frame, config: &RegisterConfig, records: &[SiteEntry]) -> String {
    let mut live: Vec<&SiteEntry> = records.iter().filter(|r| !r.is_retracted()).collect();
    live.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    // Only the values some entry has: a choice that shows nothing helps nobody.
    // Entries without a topic are chosen by "-", as the empty value is "all".
    let topics: Vec<(String, String)> = by_topic(&live, &config.topics)
        .into_iter()
        .map(|(topic, _)| match topic {
            Some(t) => (t.to_string(), t.to_string()),
            None => (NO_TOPIC_VALUE.to_string(), NO_TOPIC.to_string()),
        })
        .collect();
    let ratings: Vec<(String, String)> = Rating::ALL
        .iter()
        .filter(|rating| live.iter().any(|r| r.entry.rating == **rating))
        .map(|r| (r.as_str().to_string(), rating_label(*r).to_string()))
        .collect();
    let organisations: BTreeSet<&str> = live
        .iter()
        .flat_map(|r| r.entry.organisations.iter().map(String::as_str))
        .collect();
    let organisations: Vec<(String, String)> = organisations
        .into_iter()
        .map(|o| (o.to_string(), o.to_string()))
        .collect();

    let mut main = String::new();
    let _ = write!(
        main,
        r#"<h1>Practice bank</h1>
<p class="lead">Every published entry: smarter practice examples, reviewed jointly by the partners, and other force activity with its answer to “Does it work?”.</p>
<form id="filters" class="filters" hidden>
<fieldset>
<legend>Filter the entries</legend>
{topic}{rating}{organisation}<button type="reset">Show all</button>
</fieldset>
</form>
<p id="count" role="status" aria-live="polite">Showing all {n}</p>
<div class="table-scroll">
<table id="bank">
<caption class="visually-hidden">Published entries, by title</caption>
<thead>
<tr><th scope="col">Title</th><th scope="col">Does it work?</th><th scope="col">Focus</th><th scope="col">Organisations</th><th scope="col">Topic</th><th scope="col">Published</th></tr>
</thead>
<tbody>
"#,
        topic = select("filter-topic", "topic", "Topic", "All topics", &topics),
        rating = select(
            "filter-rating",
            "rating",
            "Does it work?",
            "All ratings",
            &ratings
        ),
        organisation = select(
            "filter-organisation",
            "organisation",
            "Organisation",
            "All organisations",
            &organisations
        ),
        n = entries(live.len()),
    );
    for r in &live {
        let e = &r.entry;
        let orgs = serde_json::to_string(&e.organisations).unwrap_or_else(|_| "[]".into());
        let _ = writeln!(
            main,
            "<tr data-topic=\"{topic_value}\" data-rating=\"{rating}\" data-organisations=\"{orgs}\">\
<th scope=\"row\"><a href=\"{path}\">{title}</a></th><td>{rating_label}</td><td>{focus}</td>\
<td>{organisations}</td><td>{topic}</td><td>{when}{imported}</td></tr>",
            topic_value = escape(r.topic().unwrap_or(NO_TOPIC_VALUE)),
            rating = e.rating.as_str(),
            orgs = escape(&orgs),
            path = r.page_path(),
            title = escape(&e.title),
            imported = imported_mark(e),
            rating_label = rating_label(e.rating),
            focus = e.focus.map(|f| f.as_str()).unwrap_or(""),
            organisations = escape(&e.organisations.join(", ")),
            topic = escape(r.topic().unwrap_or("")),
            when = html::date(&e.published.on),
        );
    }
    main.push_str(
        "</tbody>\n</table>\n</div>\n<p id=\"none\" hidden>No entries match these filters. Choose “Show all” to see every entry.</p>\n",
    );
    html::page(
        frame,
        &Page {
            title: "Practice bank",
            root: "",
            nav: Nav::Bank,
            main,
            scripts: &["filter.js"],
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

const CRUMBS_START: &str = "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">\n<ol>\n<li><a href=\"../index.html\">Home</a></li>\n<li><a href=\"../practice-bank.html\">Practice bank</a></li>\n";

pub fn entry(frame: &Frame, config: &RegisterConfig, r: &SiteEntry) -> String {
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
    detail("Topic", escape(r.topic().unwrap_or("")));
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
    detail("Published", html::date(&e.published.on));
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

    let empty = if e.imported.is_some() {
        "Not recorded in the source this entry was imported from."
    } else {
        "Not written up."
    };
    for (name, text) in e.sections() {
        let _ = write!(
            main,
            "<section aria-labelledby=\"{name}\">\n<h2 id=\"{name}\">{}</h2>\n",
            capitalised(name)
        );
        if text.trim().is_empty() {
            let _ = writeln!(main, "<p class=\"not-recorded\">{empty}</p>");
        } else {
            main.push_str(&paragraphs(text));
        }
        main.push_str("</section>\n");
    }

    if let Some(approval) = &e.approval {
        let _ = write!(
            main,
            r#"<section aria-labelledby="sign-off">
<h2 id="sign-off">Review and sign-off</h2>
<p>Reviewed jointly by experienced practitioners from the partners, and approved in review round {round}.</p>
<div class="table-scroll">
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
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{when}</td><td class=\"signature\">{signature}</td></tr>",
                escape(partner),
                decision_label(s.decision),
                escape(&s.reviewer.name),
            );
        }
        main.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    }
    if let Some(imported) = &e.imported {
        let when = imported
            .on
            .map(|on| format!(" on {}", html::date(&on)))
            .unwrap_or_default();
        let _ = write!(
            main,
            "<section aria-labelledby=\"source\">\n<h2 id=\"source\">Where this entry comes from</h2>\n<p>Published before this register existed, and imported{when} from: {}</p>\n</section>\n",
            escape(imported.source.trim())
        );
    }

    html::page(
        frame,
        &Page {
            title: &e.title,
            root: "../",
            nav: Nav::Entry,
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
            root: "../",
            nav: Nav::Entry,
            main,
            scripts: &[],
            noindex: true,
        },
    )
}
