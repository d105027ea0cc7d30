//! `practice site`: the published set as a static website, built by the
//! binary from temporary registers and read back by parsing its HTML and its
//! Atom feed.

mod common;

use std::path::{Path, PathBuf};

use common::signer::Signer;
use common::*;
use scraper::{ElementRef, Html, Selector};

/// A register holding one of each kind of entry the site must handle.
struct Fixture {
    reg: Reg,
    /// Published smarter practice, through the whole pipeline.
    published: String,
    /// Banked, with a title that tries to inject a script.
    banked: String,
    /// Imported smarter practice with empty sections.
    imported: String,
    /// Imported with no topic.
    untopical: String,
    /// Published, then retracted.
    retracted: String,
}

const BANKED_TITLE: &str = "Knife <script>alert(1)</script> amnesty";

fn import(reg: &Reg, name: &str, yaml: &str) -> String {
    let file = reg.write_outside(name, yaml);
    reg.ok(EDITOR, &["import", "--file", file.to_str().unwrap()])
        .trim()
        .to_string()
}

fn imported_yaml(title: &str, org: &str, topic: Option<&str>, kind: &str, rating: &str) -> String {
    let topic = topic.map(|t| format!("topic: {t}\n")).unwrap_or_default();
    format!(
        "title: {title}\nsummary: ''\norganisations: [{org}]\n{topic}kind: {kind}\nrating: {rating}\n\
published: {{ on: 2023-11-14, by: {{ name: Sam Editor, email: sam.editor@college.police.uk }} }}\n\
imported: {{ source: the College's smarter practice page }}\n"
    )
}

fn fixture() -> Fixture {
    let reg = Reg::with_roster();
    let published = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &published, "--yes"]);

    let banked = reg.submit_titled(BANKED_TITLE);
    reg.ok(EDITOR, &["bank", &banked, "--rating", "promising", "--yes"]);

    let imported = import(
        &reg,
        "rg.yaml",
        &imported_yaml(
            "Railway Guardian",
            "btp",
            Some("Violence against women and girls"),
            "smarter-practice",
            "smarter-practice",
        ),
    );
    let untopical = import(
        &reg,
        "lead.yaml",
        &imported_yaml(
            "Local environmental awareness on dogs (LEAD)",
            "met",
            None,
            "smarter-practice",
            "smarter-practice",
        ),
    );
    let retracted = import(
        &reg,
        "gone.yaml",
        &imported_yaml(
            "Operation Withdrawn",
            "kent",
            Some("Vulnerable people"),
            "practice-bank",
            "worked",
        ),
    );
    reg.ok(
        EDITOR,
        &[
            "retract",
            &retracted,
            "--reason",
            "The evaluation was withdrawn",
            "--yes",
        ],
    );
    Fixture {
        reg,
        published,
        banked,
        imported,
        untopical,
        retracted,
    }
}

/// Run `practice site --out DIR` in the register; the folder.
fn build_site(reg: &Reg, args: &[&str]) -> PathBuf {
    let out = reg.outside("site");
    let mut all = vec!["site", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    reg.ok(EDITOR, &all);
    out
}

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

/// Every HTML file of the site at `out`, as paths relative to it.
fn html_pages(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &Path, pages: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out, pages);
            } else if path.extension().is_some_and(|e| e == "html") {
                let rel = path.strip_prefix(out).unwrap();
                pages.push(rel.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    let mut pages = Vec::new();
    walk(out, out, &mut pages);
    pages.sort();
    pages
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(el: &ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css).iter().map(text).collect()
}

/// The ids an entry list links to.
fn linked_ids(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.strip_prefix("practice/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect()
}

/// Every page keeps the accessibility basics: a language, one h1, the
/// landmarks, a skip link to main, one stylesheet.
fn assert_accessible_skeleton(doc: &Html, rel: &str) {
    assert_eq!(
        select(doc, "html")[0].value().attr("lang"),
        Some("en-GB"),
        "{rel}"
    );
    assert_eq!(select(doc, "h1").len(), 1, "{rel}: one h1");
    for landmark in ["header", "nav", "main#main", "footer"] {
        assert!(!select(doc, landmark).is_empty(), "{rel}: {landmark}");
    }
    assert_eq!(
        select(doc, "a.skip")[0].value().attr("href"),
        Some("#main"),
        "{rel}"
    );
    assert_eq!(select(doc, "link[rel=stylesheet]").len(), 1, "{rel}");
}

#[test]
fn the_site_shows_the_published_set() {
    let f = fixture();
    let out = build_site(&f.reg, &[]);

    // Home: recently published (newest first), then smarter practice by topic.
    let home = page(&out, "index.html");
    assert_accessible_skeleton(&home, "index.html");
    let recent = linked_ids(&home, "#recent + ul a");
    assert_eq!(recent.len(), 4, "{recent:?}");
    assert!(!recent.contains(&f.retracted));
    assert!(
        recent[..2].contains(&f.published) && recent[..2].contains(&f.banked),
        "published today before the 2023 imports: {recent:?}"
    );
    let topics = texts(&home, "section[aria-labelledby=all] h3");
    assert_eq!(
        topics,
        [
            "Violence against women and girls",
            "Vulnerable people",
            "No topic given"
        ],
        "in the register's order, entries without a topic last"
    );
    let all = linked_ids(&home, "section[aria-labelledby=all] a");
    assert_eq!(all, [&*f.imported, &*f.published, &*f.untopical]);
    assert!(
        !all.contains(&f.banked),
        "the practice bank is not smarter practice"
    );
    let line = texts(&home, "section[aria-labelledby=all] li");
    assert!(
        line.contains(
            &"Railway Guardian – British Transport Police Imported, not reviewed here".to_string()
        ),
        "{line:?}"
    );
    assert!(
        text(&select(&home, "main")[0]).contains("Independent Office for Police Conduct"),
        "the partners who review are named"
    );

    // The practice bank: every live entry, with rating, focus, organisation.
    let bank = page(&out, "practice-bank.html");
    assert_accessible_skeleton(&bank, "practice-bank.html");
    let rows = select(&bank, "#bank tbody tr");
    assert_eq!(rows.len(), 4);
    let row = |id: &str| {
        rows.iter()
            .find(|r| {
                select_in(r, "a")[0].value().attr("href") == Some(&format!("practice/{id}.html"))
            })
            .unwrap_or_else(|| panic!("no row for {id}"))
    };
    let evr = row(&f.published);
    assert_eq!(
        select_in(evr, "td").iter().map(text).collect::<Vec<_>>()[..4],
        [
            "Reviewed as smarter practice",
            "Prevention",
            "Dorset Police",
            "Vulnerable people"
        ]
    );
    assert_eq!(text(&select_in(row(&f.banked), "td")[0]), "Promising");
    assert_eq!(text(&select_in(row(&f.untopical), "td")[3]), "");
    // The filters' data: every live entry, by title, as the rows show it.
    let data = std::fs::read_to_string(out.join("bank-data.js")).unwrap();
    let json = data
        .split_once("window.PRACTICE_BANK = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("bank-data.js sets window.PRACTICE_BANK");
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let ids: Vec<&str> = data["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1].as_str().unwrap())
        .collect();
    let shown: Vec<String> = rows
        .iter()
        .map(|r| {
            let href = select_in(r, "a")[0].value().attr("href").unwrap();
            href["practice/".len()..href.len() - ".html".len()].to_string()
        })
        .collect();
    assert_eq!(ids, shown);
    let entry_of = |id: &str| {
        data["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[1] == id)
            .unwrap_or_else(|| panic!("no {id} in bank-data.js"))
    };
    let evr = entry_of(&f.published);
    let topic = &data["topics"][evr[3].as_u64().unwrap() as usize];
    assert_eq!(topic, "Vulnerable people");
    let rating = &data["ratings"][evr[2].as_u64().unwrap() as usize];
    assert_eq!(rating[0], "smarter-practice");
    let org = &data["organisations"][evr[4][0].as_u64().unwrap() as usize];
    assert_eq!(org, "Dorset Police");
    assert_eq!(entry_of(&f.untopical)[3], -1, "no topic");
    assert!(
        !data.to_string().contains(&f.retracted),
        "retracted left out"
    );
    // The filters: labelled, with only values some entry has; the form is
    // hidden until the script shows it, so without JavaScript all rows show.
    let form = &select(&bank, "form#filters")[0];
    assert!(form.value().attr("hidden").is_some());
    for id in ["filter-topic", "filter-rating", "filter-organisation"] {
        assert_eq!(select(&bank, &format!("label[for={id}]")).len(), 1, "{id}");
    }
    assert_eq!(
        texts(&bank, "#filter-rating option"),
        ["All ratings", "Reviewed as smarter practice", "Promising"]
    );
    assert_eq!(
        texts(&bank, "#filter-topic option"),
        [
            "All topics",
            "Violence against women and girls",
            "Vulnerable people",
            "No topic given"
        ]
    );
    assert!(
        texts(&bank, "#filter-organisation option").contains(&"Metropolitan Police Service".into())
    );
    assert!(!texts(&bank, "#filter-organisation option").contains(&"Kent Police".into()));
    assert_eq!(
        select(&bank, "#count")[0].value().attr("aria-live"),
        Some("polite")
    );
    assert_eq!(texts(&bank, "#count"), ["Showing all 4 entries"]);
    assert_eq!(select(&bank, "script[src='filter.js']").len(), 1);
    assert!(out.join("filter.js").is_file() && out.join("style.css").is_file());

    // An entry page in the set format, with each partner's sign-off.
    let rel = format!("practice/{}.html", f.published);
    let entry = page(&out, &rel);
    assert_accessible_skeleton(&entry, &rel);
    assert_eq!(texts(&entry, "h1"), ["Enhanced video response (EVR)"]);
    let details: Vec<(String, String)> = select(&entry, "dl.details dt")
        .iter()
        .zip(select(&entry, "dl.details dd").iter())
        .map(|(t, d)| (text(t), text(d)))
        .collect();
    for (term, value) in [
        ("Organisations", "Dorset Police"),
        ("Does it work?", "Reviewed as smarter practice"),
        ("Topic", "Vulnerable people"),
        ("Focus", "Prevention"),
        ("Target groups", "Victims"),
        ("Region", "South West"),
        ("Scale", "Local"),
        ("Implementation", "Implemented"),
        ("Started", "1 April 2022"),
        ("Contact", "Jo Bloggs (jo.bloggs@dorset.police.uk)"),
    ] {
        assert!(
            details.contains(&(term.to_string(), value.to_string())),
            "{term}: {details:?}"
        );
    }
    assert_eq!(
        texts(&entry, "main section h2")[..7],
        [
            "Overview",
            "Problem",
            "Aims",
            "Activity",
            "Impact",
            "Learning",
            "Resources"
        ],
        "the set format's sections, in order"
    );
    assert!(
        texts(&entry, "section[aria-labelledby=learning] p")[0]
            .contains("Start with one shift pattern.")
    );
    let shown = f.reg.show(&f.published);
    let sign_offs: Vec<Vec<String>> = select(&entry, "table.sign-offs tbody tr")
        .iter()
        .map(|tr| select_in(tr, "th, td").iter().map(text).collect())
        .collect();
    assert_eq!(sign_offs.len(), 4);
    let rounds = shown["rounds"][0]["sign_offs"].as_array().unwrap();
    for (partner_name, (partner, who)) in [
        "College of Policing",
        "National Police Chiefs' Council",
        "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
        "Independent Office for Police Conduct",
    ]
    .into_iter()
    .zip(REVIEWERS)
    {
        let row = sign_offs
            .iter()
            .find(|r| r[0] == partner_name)
            .unwrap_or_else(|| panic!("{partner_name}: {sign_offs:?}"));
        assert_eq!(row[1..3], ["Suitable", who.name]);
        assert_eq!(row[4], "Not signed", "an unsigned register: {row:?}");
        let signed = rounds.iter().find(|s| s["partner"] == partner).unwrap()["signed_at"]
            .as_str()
            .unwrap()
            .to_string();
        let time = select(&entry, "table.sign-offs tbody tr")
            .into_iter()
            .find(|tr| text(&select_in(tr, "th")[0]) == partner_name)
            .map(|tr| {
                select_in(&tr, "time")[0]
                    .value()
                    .attr("datetime")
                    .unwrap()
                    .to_string()
            });
        assert_eq!(time.as_deref(), Some(signed.as_str()), "{partner}");
    }

    // Wherever entries are listed, an imported one is marked as such, and
    // no other is.
    for rel in ["index.html", "practice-bank.html"] {
        let listing = std::fs::read_to_string(out.join(rel)).unwrap();
        let marked: Vec<&str> = listing
            .lines()
            .filter(|l| l.contains("Imported, not reviewed here"))
            .collect();
        assert!(!marked.is_empty(), "{rel}");
        for line in marked {
            assert!(
                line.contains(&f.imported) || line.contains(&f.untopical),
                "{rel}: {line}"
            );
        }
    }

    // An imported entry says which sections its source did not record.
    let rel = format!("practice/{}.html", f.imported);
    let imported = page(&out, &rel);
    assert_accessible_skeleton(&imported, &rel);
    assert_eq!(
        texts(&imported, "p.not-recorded"),
        [
            "The source this entry was imported from does not record its overview, problem, aims, activity, impact, learning and resources."
        ],
        "what is missing is said once"
    );
    assert!(
        texts(&imported, "main section h2")
            .iter()
            .all(|h| h != "Overview")
    );
    assert!(
        texts(&imported, "section[aria-labelledby=source] details p")[0]
            .contains("the College's smarter practice page")
    );
    assert!(
        texts(&imported, "section[aria-labelledby=source] > p")[0]
            .contains("on or before 14 November 2023")
    );
    assert!(select(&imported, "table.sign-offs").is_empty());

    // The banked title is text, never markup.
    let rel = format!("practice/{}.html", f.banked);
    let banked_text = std::fs::read_to_string(out.join(&rel)).unwrap();
    assert!(!banked_text.contains("<script>alert"));
    let banked = page(&out, &rel);
    assert_eq!(texts(&banked, "h1"), [BANKED_TITLE]);
    assert_eq!(texts(&banked, "p.kind"), ["Practice bank: promising"]);
    for rel in ["index.html", "practice-bank.html", "feed.xml"] {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(!text.contains("<script>alert"), "{rel}");
    }
}

fn select_in<'a>(el: &ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    el.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn a_retracted_entry_leaves_a_notice_at_its_address() {
    let f = fixture();
    let out = build_site(&f.reg, &[]);
    let rel = format!("practice/{}.html", f.retracted);
    let notice = page(&out, &rel);
    assert_accessible_skeleton(&notice, &rel);
    let today = retracted_on(&f.reg, &f.retracted);
    assert_eq!(
        texts(&notice, "p.notice"),
        [format!(
            "This entry was retracted on {today}: The evaluation was withdrawn"
        )]
    );
    assert!(
        select(&notice, "dl, section, table").is_empty(),
        "no content"
    );
    assert_eq!(
        select(&notice, "meta[name=robots]")[0]
            .value()
            .attr("content"),
        Some("noindex")
    );
    for rel in ["index.html", "practice-bank.html"] {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(
            !text.contains(&f.retracted),
            "{rel} links the retracted entry"
        );
        assert!(!text.contains("Operation Withdrawn"), "{rel}");
    }
}

/// The day `id` was retracted, as the site writes dates: `26 November 2026`.
fn retracted_on(reg: &Reg, id: &str) -> String {
    let on = reg.show(id)["published"]["retracted"]["on"]
        .as_str()
        .unwrap()
        .to_string();
    chrono::NaiveDate::parse_from_str(&on, "%Y-%m-%d")
        .unwrap()
        .format("%-d %B %Y")
        .to_string()
}

#[test]
fn the_feed_lists_publications_and_retractions() {
    let f = fixture();
    let out = build_site(&f.reg, &[]);
    let xml = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("no {name}"))
            .to_string()
    };
    let feed_id = child(root, "id");
    assert!(
        feed_id.starts_with("tag:college.police.uk,") && feed_id.ends_with(":practice"),
        "minted from the first commit's author: {feed_id}"
    );
    assert!(child(root, "updated").ends_with('Z') || child(root, "updated").contains('+'));
    let entries: Vec<roxmltree::Node> = root
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 5, "every publication, the retraction marked");
    for entry in &entries {
        let id = child(*entry, "id");
        let page_id = id.strip_prefix(&format!("{feed_id}/")).unwrap();
        let link = entry
            .children()
            .find(|c| c.has_tag_name("link"))
            .unwrap()
            .attribute("href")
            .unwrap();
        assert_eq!(link, format!("practice/{page_id}.html"), "relative");
        assert!(out.join(link).is_file(), "{link}");
        assert!(!child(*entry, "summary").is_empty());
        assert!(chrono_like(&child(*entry, "updated")));
    }
    let titles: Vec<String> = entries.iter().map(|e| child(*e, "title")).collect();
    assert!(titles.contains(&"Retracted: Operation Withdrawn".to_string()));
    assert!(titles.contains(&BANKED_TITLE.to_string()), "{titles:?}");
    let retraction = entries
        .iter()
        .find(|e| child(**e, "title").starts_with("Retracted"))
        .unwrap();
    assert!(child(*retraction, "summary").contains("The evaluation was withdrawn"));
    assert_eq!(
        child(*retraction, "published"),
        "2023-11-14T00:00:00Z",
        "published when it was, updated when retracted"
    );
    // Updated at the moment the retraction was committed, not just its day,
    // so a retraction on the day of publication still changes the entry.
    // Each commit that wrote an entry's file, newest first, as its time.
    let written = |id: &str| -> Vec<String> {
        let log = f
            .reg
            .git(&["log", "--format=%aI", "--", &format!("published/{id}.yaml")]);
        log.lines().map(str::to_string).collect()
    };
    let instant = |t: &str| chrono::DateTime::parse_from_rfc3339(t.trim()).unwrap();
    assert_eq!(
        instant(&child(*retraction, "updated")),
        instant(&written(&f.retracted)[0])
    );

    // Read as a feed reader reads it: every entry updated at the second its
    // file was last committed, the feed as new as its newest entry, and a
    // reviewed entry published at the second its publication was committed.
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("a feed reader reads the feed");
    assert_eq!(feed.entries.len(), 5);
    let newest = feed.entries.iter().filter_map(|e| e.updated).max().unwrap();
    assert_eq!(feed.updated, Some(newest));
    for entry in &feed.entries {
        let id = entry.id.rsplit('/').next().unwrap();
        let last = &written(id)[0];
        assert_eq!(
            entry.updated.map(|t| t.timestamp()),
            Some(instant(last).timestamp()),
            "{id}"
        );
    }
    let evr = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with(&format!("/{}", f.published)))
        .unwrap();
    let history = written(&f.published);
    let first = history.last().unwrap();
    assert_eq!(
        evr.published.map(|t| t.timestamp()),
        Some(instant(first).timestamp())
    );

    // With a base address the links are absolute under it; the ids stay.
    let out = build_site(&f.reg, &["--base-url", "https://example.org/practice"]);
    let xml = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(xml.contains(&format!("<id>{feed_id}</id>")));
    assert!(xml.contains(&format!(
        "href=\"https://example.org/practice/practice/{}.html\"",
        f.published
    )));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("example.org"), "pages stay relative");
}

fn chrono_like(text: &str) -> bool {
    text.len() >= 20 && text.as_bytes()[4] == b'-' && text.as_bytes()[10] == b'T'
}

#[test]
fn no_page_asks_for_anything_beyond_the_site() {
    let f = fixture();
    let out = build_site(&f.reg, &[]);
    let pages = html_pages(&out);
    for must in [
        "index.html",
        "practice-bank.html",
        "feed.html",
        "accessibility.html",
    ] {
        assert!(pages.iter().any(|p| p == must), "{must}: {pages:?}");
    }
    for id in [
        &f.published,
        &f.banked,
        &f.imported,
        &f.untopical,
        &f.retracted,
    ] {
        assert!(pages.contains(&format!("practice/{id}.html")), "{id}");
    }
    for rel in &pages {
        let doc = page(&out, rel);
        let folder = Path::new(rel).parent().unwrap();
        for el in select(&doc, "[href], [src], [action], [srcset], [poster], [data]") {
            for attr in ["href", "src", "action", "srcset", "poster", "data"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                // A link may lead elsewhere (the publisher's own pages):
                // following it is the reader's choice, not a request.
                let link = el.value().name() == "a" && attr == "href";
                if link && url.starts_with("https://") {
                    continue;
                }
                assert!(
                    !url.contains("//") && !url.starts_with("http") && !url.starts_with("data:"),
                    "{rel}: {attr}={url}"
                );
                if url.starts_with("mailto:") || url.starts_with('#') {
                    continue;
                }
                let target = out.join(folder).join(url.split(['#', '?']).next().unwrap());
                assert!(target.is_file(), "{rel}: {url} is not in the site");
            }
        }
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(!text.contains("url("), "{rel}: no style fetching");
        assert!(!text.contains("<img") && !text.contains("<iframe"), "{rel}");
    }
    let css = std::fs::read_to_string(out.join("style.css")).unwrap();
    assert!(!css.contains("url(") && !css.contains("@import"));
    for script in ["filter.js", "bank-data.js"] {
        let js = std::fs::read_to_string(out.join(script)).unwrap();
        for call in ["fetch(", "XMLHttpRequest", "import(", "http"] {
            assert!(!js.contains(call), "{script}: {call}");
        }
    }
}

#[test]
fn the_site_is_read_from_head_not_the_working_tree() {
    let f = fixture();
    let path = format!("published/{}.yaml", f.imported);
    let committed = f.reg.read(&path);
    f.reg.write(
        &path,
        &committed.replace("Railway Guardian", "Half-typed edit"),
    );
    let out = build_site(&f.reg, &[]);
    let text = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(text.contains("Railway Guardian") && !text.contains("Half-typed"));
}

#[test]
fn a_damaged_entry_is_reported_and_the_rest_still_published() {
    let f = fixture();
    let path = format!("published/{}.yaml", f.untopical);
    let text = f.reg.read(&path);
    f.reg.write(&path, &format!("{text}ratng: worked\n"));
    f.reg.commit_by_hand(EDITOR, "damage");
    let out_dir = f.reg.outside("site");
    let out = f
        .reg
        .practice(EDITOR, &["site", "--out", out_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("warning: {path}:")) && stderr.contains("unknown field `ratng`"),
        "{stderr}"
    );
    // Home, bank, two topics' pages, two ratings', three entries and the
    // notice, the feed's page and the accessibility statement.
    assert!(stderr.contains("wrote 12 pages"), "{stderr}");
    let index = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(index.contains("Railway Guardian") && !index.contains("LEAD"));
}

#[test]
fn the_site_replaces_only_a_folder_it_made() {
    let reg = Reg::with_roster();
    reg.written_up_sample();
    reg.ok(EDITOR, &["publish", SAMPLE_ID, "--yes"]);

    // Someone's own folder is refused, untouched.
    let theirs = reg.outside("theirs");
    std::fs::create_dir_all(theirs.join("notes")).unwrap();
    std::fs::write(theirs.join("index.html"), "my own page").unwrap();
    std::fs::write(theirs.join("notes/plan.txt"), "plan").unwrap();
    let line = reg.refused(EDITOR, &["site", "--out", theirs.to_str().unwrap()]);
    assert!(line.contains("did not make"), "{line}");
    assert_eq!(
        std::fs::read_to_string(theirs.join("index.html")).unwrap(),
        "my own page"
    );
    assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 2);

    // A file, and a bad base address, are refused too.
    let file = reg.write_outside("a-file", "x");
    let line = reg.refused(EDITOR, &["site", "--out", file.to_str().unwrap()]);
    assert!(line.contains("not a folder"), "{line}");
    let fresh = reg.outside("fresh");
    let line = reg.refused(
        EDITOR,
        &[
            "site",
            "--out",
            fresh.to_str().unwrap(),
            "--base-url",
            "example.org",
        ],
    );
    assert!(line.contains("--base-url"), "{line}");
    assert!(!fresh.exists());

    let line = reg.refused(EDITOR, &["site", "--out", "."]);
    assert!(line.contains("not . or .."), "{line}");

    // An empty folder is filled; our own site is replaced whole.
    let ours = reg.outside("ours");
    std::fs::create_dir(&ours).unwrap();
    reg.ok(EDITOR, &["site", "--out", ours.to_str().unwrap()]);
    assert!(ours.join(".practice-site").is_file());
    assert!(ours.join(format!("practice/{SAMPLE_ID}.html")).is_file());
    reg.ok(
        EDITOR,
        &["retract", SAMPLE_ID, "--reason", "Superseded", "--yes"],
    );
    // A file someone added to the site (a CNAME, a git repository) is never
    // swept away with it: the run is refused, naming it, and nothing moves.
    std::fs::create_dir(ours.join(".git")).unwrap();
    std::fs::write(ours.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let before = std::fs::read_to_string(ours.join("index.html")).unwrap();
    let line = reg.refused(EDITOR, &["site", "--out", ours.to_str().unwrap()]);
    assert!(
        line.contains(".git/HEAD") && line.contains("did not write"),
        "{line}"
    );
    assert!(ours.join(".git/HEAD").is_file());
    assert_eq!(
        std::fs::read_to_string(ours.join("index.html")).unwrap(),
        before
    );
    std::fs::remove_dir_all(ours.join(".git")).unwrap();
    reg.ok(EDITOR, &["site", "--out", ours.to_str().unwrap()]);
    let notice = std::fs::read_to_string(ours.join(format!("practice/{SAMPLE_ID}.html"))).unwrap();
    assert!(notice.contains("Superseded"));
    let siblings: Vec<String> = std::fs::read_dir(ours.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".ours."))
        .collect();
    assert!(
        siblings.is_empty(),
        "no temporary folders left: {siblings:?}"
    );

    // Outside a register it says so, in one line, and leaves the site be.
    let nowhere = Reg::empty();
    let out = nowhere
        .practice(EDITOR, &["site", "--out", ours.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.starts_with("practice: no register found") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(ours.join(format!("practice/{SAMPLE_ID}.html")).is_file());
}

#[test]
fn a_site_inside_the_register_says_how_to_keep_it_out_of_git() {
    let reg = Reg::with_roster();
    let out = reg.practice(EDITOR, &["site"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("wrote 4 pages to site"), "{stderr}");
    assert!(stderr.contains(".git/info/exclude"), "{stderr}");
    assert!(reg.file("site/index.html").is_file());
    assert_eq!(
        reg.status(),
        "?? site/.practice-site\n?? site/accessibility.html\n?? site/bank-data.js\n?? site/favicon.svg\n?? site/feed.html\n?? site/feed.xml\n?? site/filter.js\n?? site/index.html\n?? site/practice-bank.html\n?? site/style.css\n"
    );
}

#[test]
fn sign_offs_are_shown_as_the_approval_recorded_them() {
    let reg = Reg::with_roster();
    let id = reg.written_up_sample();
    reg.ok(EDITOR, &["publish", &id, "--yes"]);
    // Someone goes round the tool and rewrites a sign-off after publication:
    // the site still shows the sign-off the approval names, from its commit.
    let path = format!("reviews/{id}/round-1/npcc.yaml");
    let original = reg.read(&path);
    let signed = original
        .lines()
        .find_map(|l| l.strip_prefix("signed_at: "))
        .unwrap()
        .trim_matches(|c| c == '\'' || c == '"')
        .to_string();
    reg.write(
        &path,
        &original
            .replace("decision: suitable", "decision: not-suitable")
            .replace(&signed, "2030-01-01T00:00:00Z")
            .replace("comment: Reviewed.", "comment: Changed my mind."),
    );
    reg.commit_by_hand(reviewer("npcc"), "rewrite a sign-off by hand");
    let out = build_site(&reg, &[]);
    let entry = page(&out, &format!("practice/{id}.html"));
    let row = select(&entry, "table.sign-offs tbody tr")
        .into_iter()
        .find(|tr| text(tr).starts_with("National Police Chiefs' Council"))
        .unwrap();
    assert_eq!(
        select_in(&row, "td")[0].text().collect::<String>(),
        "Suitable"
    );
    assert_eq!(
        select_in(&row, "time")[0].value().attr("datetime"),
        Some(signed.as_str())
    );
}

#[test]
fn a_shallow_clone_is_refused_for_its_feed_ids_would_change() {
    let reg = Reg::with_roster();
    reg.written_up_sample();
    reg.ok(EDITOR, &["publish", SAMPLE_ID, "--yes"]);
    let shallow = Reg::empty();
    let out = shallow
        .command("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", reg.path().display()))
        .arg(shallow.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let site = shallow.outside("site");
    let line = shallow.refused(EDITOR, &["site", "--out", site.to_str().unwrap()]);
    assert!(
        line.contains("shallow") && line.contains("git fetch --unshallow"),
        "{line}"
    );
    assert!(!site.exists());
}

/// Each sign-off row of the entry page of `id` in the site at `out`: the
/// partner (its row header) and what its "Signature" cell says.
fn signatures_shown(out: &Path, id: &str) -> Vec<(String, String)> {
    let entry = page(out, &format!("practice/{id}.html"));
    let head = texts(&entry, "table.sign-offs thead th");
    assert_eq!(
        head,
        ["Partner", "Decision", "Reviewer", "Signed", "Signature"]
    );
    select(&entry, "table.sign-offs tbody tr")
        .iter()
        .map(|tr| {
            let partner = text(&select_in(tr, "th[scope=row]")[0]);
            let cell = select_in(tr, "td.signature");
            assert_eq!(cell.len(), 1, "{partner}: one Signature cell");
            (partner, text(&cell[0]))
        })
        .collect()
}

/// The partner's name on the page, from `register.yaml`'s defaults.
fn partner_name(partner: &str) -> &'static str {
    match partner {
        "college-of-policing" => "College of Policing",
        "npcc" => "National Police Chiefs' Council",
        "hmicfrs" => "His Majesty's Inspectorate of Constabulary and Fire & Rescue Services",
        "iopc" => "Independent Office for Police Conduct",
        other => panic!("no partner {other}"),
    }
}

#[test]
fn signed_sign_offs_are_shown_verified_with_the_reviewers_fingerprint() {
    // A register that requires signatures, begun by the editor's signed init,
    // with every reviewer's key on the roster (one ECDSA, the rest Ed25519).
    let editor = Signer::new(EDITOR, "ed25519");
    let reviewers: Vec<(&str, Signer)> = REVIEWERS
        .iter()
        .map(|(p, who)| {
            let kind = if *p == "hmicfrs" { "ecdsa" } else { "ed25519" };
            (*p, Signer::new(*who, kind))
        })
        .collect();
    let listed: Vec<_> = reviewers.iter().map(|(p, s)| (*p, s)).collect();
    let reg = common::signer::signed_register(&editor, &listed);
    // A submitter is on no roster, and submits unsigned.
    let id = reg.submit_sample();
    for (_, s) in &reviewers {
        s.ok(reg.path(), &["review", &id, "--decision", "suitable"]);
    }
    editor.ok(reg.path(), &["write-up", &id]);
    let path = format!("submissions/{id}/report.yaml");
    let text = reg
        .read(&path)
        .replace("learning: ''", "learning: Start with one shift pattern.")
        .replace("resources: ''", "resources: A video platform licence.")
        .replace("impact: ''", "impact: Victims reached in minutes.");
    reg.write(&path, &text);
    editor.ok(reg.path(), &["write-up", &id, "--file", &path]);
    editor.ok(reg.path(), &["publish", &id, "--yes"]);

    let out = reg.outside("site");
    editor.ok(reg.path(), &["site", "--out", out.to_str().unwrap()]);
    let shown = signatures_shown(&out, &id);
    assert_eq!(shown.len(), 4, "{shown:?}");
    for (partner, s) in &reviewers {
        let row = shown
            .iter()
            .find(|(name, _)| name == partner_name(partner))
            .unwrap_or_else(|| panic!("{partner}: {shown:?}"));
        assert_eq!(
            row.1,
            format!("Verified ({})", s.fingerprint("id")),
            "{partner}"
        );
    }
    // The fingerprint, one long word, may break anywhere on a narrow screen.
    let css = std::fs::read_to_string(out.join("style.css")).unwrap();
    assert!(
        css.contains(".sign-offs td.signature { overflow-wrap: anywhere; }"),
        "{css}"
    );
}

#[test]
fn a_sign_off_by_a_reviewer_without_a_key_is_shown_not_signed() {
    // Signatures optional (the default): three reviewers sign with the keys
    // the roster lists for them, IOPC's reviewer has no key and signs nothing.
    let reg = Reg::with_roster();
    let signers: Vec<(&str, Signer)> = REVIEWERS
        .iter()
        .filter(|(p, _)| *p != "iopc")
        .map(|(p, who)| (*p, Signer::new(*who, "ed25519")))
        .collect();
    for (_, s) in &signers {
        reg.ok(
            EDITOR,
            &[
                "roster",
                "key",
                "--email",
                s.who.email,
                "--key",
                &s.pub_path("id"),
            ],
        );
    }
    let id = reg.submit_sample();
    for (_, s) in &signers {
        s.ok(reg.path(), &["review", &id, "--decision", "suitable"]);
    }
    reg.ok(reviewer("iopc"), &["review", &id, "--decision", "suitable"]);
    reg.ok(EDITOR, &["write-up", &id]);
    reg.complete_report(&id);
    reg.ok(EDITOR, &["publish", &id, "--yes"]);

    let out = build_site(&reg, &[]);
    let mut expected: Vec<(String, String)> = signers
        .iter()
        .map(|(p, s)| {
            (
                partner_name(p).to_string(),
                format!("Verified ({})", s.fingerprint("id")),
            )
        })
        .collect();
    expected.push((partner_name("iopc").to_string(), "Not signed".to_string()));
    let mut shown = signatures_shown(&out, &id);
    shown.sort();
    expected.sort();
    assert_eq!(shown, expected);
}
