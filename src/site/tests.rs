use super::*;
use crate::model::{Person, RegisterConfig};
use crate::pipeline::signing::Status;

fn record(id: &str, title: &str, topic: Option<&str>, on: &str, kind: &str) -> SiteEntry {
    let rating = if kind == "smarter-practice" {
        "smarter-practice"
    } else {
        "promising"
    };
    let topic = topic.map(|t| format!("topic: {t}\n")).unwrap_or_default();
    let text = format!(
        "title: '{}'\nsummary: S\norganisations: [Kent Police]\n{topic}kind: {kind}\nrating: {rating}\npublished: {{ on: {on}, by: {{ name: Sam Editor, email: sam@college.police.uk }} }}\n",
        title.replace('\'', "''")
    );
    SiteEntry {
        id: id.into(),
        entry: model::parse("published/x.yaml", text.as_bytes()).unwrap(),
        signed: vec![],
        signatures: vec![],
        entered_at: None,
        written_at: None,
        attachments: vec![],
    }
}

fn config() -> RegisterConfig {
    RegisterConfig::new_default(&Person::new("Sam Editor", "sam@college.police.uk"))
}

fn provenance() -> Provenance {
    Provenance {
        commit: "0123456789".into(),
        authority: "college.police.uk".into(),
        since: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
}

fn file<'s>(site: &'s Site, path: &str) -> &'s str {
    let (_, bytes) = site
        .files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(bytes).unwrap()
}

/// `record`, approved by a sign-off for each of `signatures`.
fn approved(id: &str, signatures: Vec<Option<Signature>>) -> SiteEntry {
    let mut r = record(id, "Approved", None, "2026-12-01", "smarter-practice");
    // More sign-offs than partners, where a test needs them: render does
    // not count partners.
    let sign_offs = config()
        .partners
        .iter()
        .cycle()
        .take(signatures.len())
        .map(|p| model::ApprovalSignOff {
            partner: p.id.clone(),
            decision: Decision::Suitable,
            reviewer: Person::new("Pat Chief", "pat@npcc.police.uk"),
            commit: "0".repeat(40),
        })
        .collect();
    r.entry.approval = Some(model::Approval {
        round: 1,
        sign_offs,
    });
    r.signatures = signatures;
    r
}

/// The sign-off table of `page`: its header cells, and each row's cells.
fn sign_off_table(page: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let doc = scraper::Html::parse_document(page);
    let cells = |css: &str, within: scraper::ElementRef| {
        let sel = scraper::Selector::parse(css).unwrap();
        within
            .select(&sel)
            .map(|c| c.text().collect::<String>())
            .collect::<Vec<_>>()
    };
    let root = doc.root_element();
    let rows = scraper::Selector::parse("table.sign-offs tbody tr").unwrap();
    (
        cells("table.sign-offs thead th", root),
        doc.select(&rows).map(|tr| cells("th, td", tr)).collect(),
    )
}

#[test]
fn each_sign_off_says_what_its_signature_proves() {
    let fp = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";
    let seal = |status, fingerprint: Option<&str>| {
        Some(Signature {
            status,
            fingerprint: fingerprint.map(str::to_string),
        })
    };
    let r = approved(
        "x",
        vec![
            seal(Status::Verified, Some(fp)),
            seal(Status::Unsigned, None),
            seal(Status::Bad, Some(fp)),
            seal(Status::UnknownKey, Some("SHA256:<b>x</b>")),
            seal(Status::UnknownKey, None),
            None,
        ],
    );
    let site = render(&config(), &[r], &provenance(), &Options::default());
    let page = file(&site, "practice/x.html");
    let (head, rows) = sign_off_table(page);
    assert_eq!(
        head,
        ["Partner", "Decision", "Reviewer", "Signed", "Signature"]
    );
    let said: Vec<&str> = rows.iter().map(|r| r.last().unwrap().as_str()).collect();
    assert_eq!(
        said,
        [
            format!("Verified ({fp})").as_str(),
            "Not signed",
            &format!("Signature does not match ({fp})"),
            "Signed by a key not on the roster for this reviewer (SHA256:<b>x</b>)",
            "Signature cannot be checked",
            "Cannot be checked: its commit is missing",
        ]
    );
    assert!(!page.contains("<b>x"), "escaped");
    assert!(page.contains(&format!(
        "<td data-label=\"Signature\" class=\"signature\">Verified (<code>{fp}</code>)</td>"
    )));
}

#[test]
fn verified_proves_the_author_signed_so_only_for_the_reviewer_named() {
    let found = || (Status::Verified, Some("SHA256:k".to_string()));
    let pat = "pat@npcc.police.uk";
    assert_eq!(
        Signature::for_reviewer(found(), "PAT@npcc.police.uk", pat).status,
        Status::Verified
    );
    let other = Signature::for_reviewer(found(), "kim@hmicfrs.gov.uk", pat);
    assert_eq!(other.status, Status::UnknownKey);
    assert_eq!(other.fingerprint.as_deref(), Some("SHA256:k"));
    assert_eq!(
        Signature::for_reviewer((Status::Unsigned, None), "kim@hmicfrs.gov.uk", pat).status,
        Status::Unsigned
    );
}

#[test]
fn topics_follow_the_registers_order_then_others_then_none() {
    let records = [
        record(
            "a",
            "Zebra",
            Some("Vulnerable people"),
            "2026-01-01",
            "smarter-practice",
        ),
        record("b", "apple", None, "2026-01-01", "smarter-practice"),
        record(
            "c",
            "Yak",
            Some("Anti-social behaviour"),
            "2026-01-01",
            "smarter-practice",
        ),
        record(
            "d",
            "Bee",
            Some("Vulnerable people"),
            "2026-01-01",
            "smarter-practice",
        ),
        record(
            "e",
            "Cow",
            Some("Unlisted topic"),
            "2026-01-01",
            "smarter-practice",
        ),
        record("f", "Ant", Some("  "), "2026-01-01", "smarter-practice"),
    ];
    let refs: Vec<&SiteEntry> = records.iter().collect();
    let groups: Vec<(Option<&str>, Vec<&str>)> = by_topic(&refs, &config().topics)
        .into_iter()
        .map(|(t, g)| (t, g.iter().map(|r| r.id.as_str()).collect()))
        .collect();
    assert_eq!(
        groups,
        [
            (Some("Anti-social behaviour"), vec!["c"]),
            (Some("Vulnerable people"), vec!["d", "a"]),
            (Some("Unlisted topic"), vec!["e"]),
            (None, vec!["f", "b"]),
        ]
    );
}

#[test]
fn recent_is_newest_first_then_by_title() {
    let records = [
        record("old", "Old", None, "2025-01-01", "smarter-practice"),
        record("b", "B", None, "2026-02-01", "practice-bank"),
        record("a", "A", None, "2026-02-01", "smarter-practice"),
        record(
            "t",
            "Timed",
            None,
            "2026-02-01T10:00:00Z",
            "smarter-practice",
        ),
    ];
    let refs: Vec<&SiteEntry> = records.iter().collect();
    let ids: Vec<&str> = recent(&refs, 3).iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["t", "a", "b"]);
}

#[test]
fn retracted_entries_leave_a_notice_and_nothing_else() {
    let mut gone = record(
        "gone",
        "Gone",
        Some("Drugs"),
        "2026-01-01",
        "smarter-practice",
    );
    gone.entry.retracted = Some(model::Reasoned {
        on: When::parse("2026-03-02").unwrap(),
        by: Person::new("Sam Editor", "sam@college.police.uk"),
        reason: "Evaluation <withdrawn>".into(),
    });
    let kept = record("kept", "Kept", Some("Drugs"), "2026-01-01", "practice-bank");
    let site = render(&config(), &[gone, kept], &provenance(), &Options::default());
    // Home, bank, the topic's and the rating's pages, two entries, the
    // feed's page and the accessibility statement.
    assert_eq!((site.pages, site.entries, site.retracted), (8, 1, 1));
    for page in ["index.html", "practice-bank.html"] {
        assert!(!file(&site, page).contains("practice/gone.html"), "{page}");
        assert!(file(&site, page).contains("practice/kept.html"), "{page}");
    }
    let notice = file(&site, "practice/gone.html");
    assert!(notice.contains(
        "This entry was retracted on <time datetime=\"2026-03-02\">2 March 2026</time>: Evaluation &lt;withdrawn&gt;"
    ));
    assert!(!notice.contains("<h2"), "no sections: {notice}");
    let feed = file(&site, "feed.xml");
    let doc = roxmltree::Document::parse(feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap()
        })
        .collect();
    assert_eq!(
        titles,
        ["Retracted: Gone", "Kept"],
        "the retraction is news"
    );
}

#[test]
fn every_text_from_the_register_is_escaped() {
    let mut r = record(
        "x",
        "<script>alert(1)</script> & co",
        Some("<b>Topic</b>"),
        "2026-01-01",
        "smarter-practice",
    );
    r.entry.organisations = vec!["\"Quoted\" <Force>".into()];
    r.entry.overview = "<img src=x onerror=alert(1)>".into();
    let site = render(&config(), &[r], &provenance(), &Options::default());
    for (path, bytes) in &site.files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<script>alert"), "{path}");
        assert!(!text.contains("<img"), "{path}");
        assert!(!text.contains("<b>Topic"), "{path}");
        assert!(!text.contains("\"Quoted\" <Force>"), "{path}");
    }
    assert!(
        file(&site, "practice/x.html").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
    );
    roxmltree::Document::parse(file(&site, "feed.xml")).unwrap();
}

#[test]
fn the_feed_ids_are_tags_and_links_follow_the_base_url() {
    let r = record("evr", "EVR", None, "2026-12-01", "smarter-practice");
    let options = Options::with_base_url(Some("https://example.org/practice")).unwrap();
    let site = render(&config(), &[r], &provenance(), &options);
    let feed = file(&site, "feed.xml");
    let doc = roxmltree::Document::parse(feed).unwrap();
    let text = |name: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name(name))
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        text("id"),
        [
            "tag:college.police.uk,2026-11-24:practice",
            "tag:college.police.uk,2026-11-24:practice/evr"
        ]
    );
    assert_eq!(
        text("updated"),
        ["2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z"]
    );
    assert!(feed.contains("href=\"https://example.org/practice/practice/evr.html\""));
    let relative = render(
        &config(),
        &[record("evr", "EVR", None, "2026-12-01", "smarter-practice")],
        &provenance(),
        &Options::default(),
    );
    assert!(file(&relative, "feed.xml").contains("href=\"practice/evr.html\""));
}

#[test]
fn an_empty_register_still_makes_a_site() {
    let site = render(&config(), &[], &provenance(), &Options::default());
    assert!(file(&site, "index.html").contains("Nothing has been published yet."));
    assert!(file(&site, "practice-bank.html").contains("Showing all 0 entries"));
    let feed = file(&site, "feed.xml");
    assert!(feed.contains("<updated>2026-11-24T00:00:00Z</updated>"));
}

#[test]
fn base_urls_must_be_web_addresses() {
    for bad in [
        "example.org",
        "ftp://x/",
        "https://",
        "https:///x",
        "https://a b/",
    ] {
        assert!(Options::with_base_url(Some(bad)).is_err(), "{bad}");
    }
    assert_eq!(
        Options::with_base_url(Some("http://localhost:8000"))
            .unwrap()
            .base_url
            .as_deref(),
        Some("http://localhost:8000/")
    );
}

#[test]
fn tag_authorities_are_plain_domains() {
    assert!(is_domain("college.police.uk"));
    assert!(is_domain("localhost"));
    for bad in ["", "a..b", "-a.uk", "a_b.uk", "a b"] {
        assert!(!is_domain(bad), "{bad}");
    }
}

#[test]
fn a_typed_address_cannot_add_to_the_message() {
    assert_eq!(
        super::pages::mailto("jo.bloggs@dorset.police.uk"),
        "jo.bloggs@dorset.police.uk"
    );
    assert_eq!(
        super::pages::mailto("a@b.org?cc=x&body=hi"),
        "a@b.org%3Fcc%3Dx%26body%3Dhi"
    );
}

#[test]
fn characters_xml_forbids_are_dropped() {
    assert_eq!(super::html::escape("a\u{FFFE}b\u{FFFF}c\u{7}"), "abc");
}

/// `n` entries over three topics (and none), published a day apart.
fn many(n: usize) -> Vec<SiteEntry> {
    let topics = [Some("Drugs"), Some("Burglary"), Some("Road safety"), None];
    (0..n)
        .map(|i| {
            let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(i as u64);
            let kind = if i % 2 == 0 {
                "smarter-practice"
            } else {
                "practice-bank"
            };
            record(
                &format!("e{i:04}"),
                &format!("Entry {i:04}"),
                topics[i % 4],
                &day.format("%Y-%m-%d").to_string(),
                kind,
            )
        })
        .collect()
}

fn rows_of(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse("table.entries-table tbody tr th a").unwrap();
    doc.select(&sel)
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn lists_are_paged_and_every_entry_is_on_exactly_one_page_of_each() {
    let records = many(250);
    let site = render(&config(), &records, &provenance(), &Options::default());
    let bank: Vec<Vec<String>> = [
        "practice-bank.html",
        "practice-bank.page-2.html",
        "practice-bank.page-3.html",
    ]
    .iter()
    .map(|p| rows_of(file(&site, p)))
    .collect();
    assert_eq!(
        bank.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    assert!(
        !site
            .files
            .iter()
            .any(|(p, _)| p == "practice-bank.page-4.html")
    );
    let mut all: Vec<String> = bank.concat();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 250, "each entry once");
    assert!(
        file(&site, "practice-bank.page-2.html").contains("<h1>Practice bank, page 2 of 3</h1>")
    );

    // Each topic's pages hold its entries and no other.
    let drugs: Vec<String> = ["topics/drugs.html"]
        .iter()
        .map(|p| rows_of(file(&site, p)))
        .collect::<Vec<_>>()
        .concat();
    assert_eq!(drugs.len(), 63);
    assert!(drugs.iter().all(|href| {
        let i: usize = href["../practice/e".len()..href.len() - 5].parse().unwrap();
        i.is_multiple_of(4)
    }));
    assert_eq!(rows_of(file(&site, "topics/no-topic.html")).len(), 62);
    assert_eq!(
        rows_of(file(&site, "ratings/smarter-practice.html")).len(),
        100
    );
    assert_eq!(
        rows_of(file(&site, "ratings/smarter-practice.page-2.html")).len(),
        25
    );

    // The home page shows a few of each topic and links the rest.
    let home = file(&site, "index.html");
    assert!(
        home.contains("<a href=\"topics/drugs.html\">All 63 entries on Drugs</a>"),
        "{home}"
    );
    let doc = scraper::Html::parse_document(home);
    let sel = scraper::Selector::parse("section[aria-labelledby=all] ul.entries").unwrap();
    assert!(
        doc.select(&sel)
            .all(|ul| ul.children().filter(|c| c.value().is_element()).count() <= 10)
    );

    // The feed carries the latest 100, newest first.
    let feed = file(&site, "feed.xml");
    let doc = roxmltree::Document::parse(feed).unwrap();
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("id"))
                .unwrap()
                .text()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 100);
    assert!(
        ids[0].ends_with("/e0249") && ids[99].ends_with("/e0150"),
        "{ids:?}"
    );
}

#[test]
fn pages_name_their_publisher_and_keep_commit_ids_out_of_their_text() {
    let records = many(3);
    let site = render(&config(), &records, &provenance(), &Options::default());
    for (path, bytes) in site.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = std::str::from_utf8(bytes).unwrap();
        let doc = scraper::Html::parse_document(page);
        let body = scraper::Selector::parse("body").unwrap();
        let text: String = doc.select(&body).next().unwrap().text().collect();
        assert!(
            !text.contains("0123456789"),
            "{path}: a commit id in the text"
        );
        assert!(text.contains("Published by College of Policing"), "{path}");
        assert!(
            page.contains("<meta name=\"description\" content=\""),
            "{path}"
        );
        assert!(
            !page.contains("<meta name=\"description\" content=\"\">"),
            "{path}"
        );
        assert!(page.contains("favicon.svg"), "{path}");
        assert!(
            page.contains("accessibility.html\">Accessibility statement</a>"),
            "{path}"
        );
        assert!(
            page.contains(
                "<a href=\"https://www.college.police.uk/contact\">Contact College of Policing</a>"
            ),
            "{path}"
        );
    }
    let statement = file(&site, "accessibility.html");
    assert!(statement.contains("https://www.college.police.uk/accessibility"));
    let follow = file(&site, "feed.html");
    assert!(follow.contains("href=\"feed.xml\""));

    // Without a publisher block the site names none.
    let mut config = config();
    config.publisher = None;
    let site = render(&config, &records, &provenance(), &Options::default());
    assert!(!file(&site, "index.html").contains("Published by"));
}
