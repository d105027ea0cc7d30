//! The pages about the site rather than its entries: how to follow its
//! feed, and its accessibility statement.

use std::fmt::Write as _;

use super::Options;
use super::html::{self, Frame, Nav, Page, escape};

/// `feed.html`: what the feed carries and how to follow it, for people
/// who have never used a feed reader; the raw XML is one link away.
pub fn feed_page(frame: &Frame, options: &Options) -> String {
    let site = escape(frame.site_name);
    let address = match &options.base_url {
        Some(base) => format!(
            "<p class=\"feed-address\"><code>{}feed.xml</code></p>\n",
            escape(base)
        ),
        None => String::new(),
    };
    let mut main = String::new();
    let _ = write!(
        main,
        r#"<h1>Follow new publications</h1>
<p class="lead">You can hear of every new smarter practice example and practice bank entry, and of every retraction, without coming back to check.</p>
<h2>With a feed reader</h2>
<p>{site} publishes an Atom feed: a list of its latest changes that a feed reader checks for you. Many email programs, browsers and news apps can follow one.</p>
<ol>
<li>Copy the address of <a href="feed.xml" type="application/atom+xml">the feed of new publications</a>.</li>
<li>In your feed reader, choose to add or subscribe to a feed, and paste the address.</li>
</ol>
{address}<h2>What the feed carries</h2>
<ul>
<li>The latest {size} entries published, revised or retracted, newest first.</li>
<li>For each, its title, a summary and a link to its page.</li>
<li>A retraction updates the entry it retracts, so you learn of it if you read the entry before.</li>
</ul>
<p>Everything ever published stays in the <a href="practice-bank.html">practice bank</a>.</p>
"#,
        size = options.feed_size,
    );
    html::page(
        frame,
        &Page {
            title: "Follow new publications",
            description: "How to follow new smarter practice examples, practice bank entries and retractions with a feed reader.",
            root: "",
            nav: Nav::Feed,
            main,
            scripts: &[],
            noindex: false,
        },
    )
}

/// `accessibility.html`: the site's accessibility statement, naming who
/// publishes it and how to reach them, what is tested, and what falls short.
pub fn accessibility(frame: &Frame) -> String {
    let site = escape(frame.site_name);
    let who = frame.publisher.map(|p| escape(&p.name));
    let wants = match &who {
        Some(name) => format!("{name} wants"),
        None => "The register’s editors want".into(),
    };
    let mut main = String::new();
    let _ = write!(
        main,
        r#"<h1>Accessibility statement</h1>
<p class="lead">{wants} as many people as possible to be able to use {site}.</p>
<p>You should be able to:</p>
<ul>
<li>zoom in up to 400% without the text spilling off the screen or needing to scroll sideways;</li>
<li>use it on a phone as narrow as 320 pixels;</li>
<li>reach everything with a keyboard alone, and see where you are;</li>
<li>use Windows contrast themes and other forced colours, and still see where the focus is;</li>
<li>use a screen reader: every page has headings, landmarks and a link to skip to its content;</li>
<li>use it without JavaScript: only the practice bank’s filters need it, and each topic and each answer to “Does it work?” has a page of its own.</li>
</ul>
<h2>How this site is checked</h2>
<p>Each time the site is built its pages are checked against the Web Content Accessibility Guidelines version 2.2, level AA, with the axe-core checker at desktop, phone and 320-pixel widths and at 200% zoom, and against the HTML standard with the Nu HTML checker.</p>
<h2>What is not fully accessible</h2>
<ul>
<li>Evidence files that forces supply with an entry (reports, charts) are published as they were given, and may not meet the guidelines.</li>
<li>Entries imported from earlier lists record only what their source did; each says what is missing.</li>
</ul>
<h2>Telling us about a problem</h2>
"#,
    );
    let contact = frame.publisher.and_then(html::contact_link);
    match contact {
        Some(link) => {
            let _ = writeln!(
                main,
                "<p>If you find a problem, or need something in another format: {link}.</p>"
            );
        }
        None => main.push_str(
            "<p>If you find a problem, or need something in another format, tell the register’s editors.</p>\n",
        ),
    }
    if let (Some(who), Some(url)) = (
        &who,
        frame.publisher.and_then(|p| p.accessibility.as_deref()),
    ) {
        let _ = writeln!(
            main,
            "<p>{who} has its own accessibility statement, which says how it responds and what to do if you are not happy with its response: <a href=\"{}\">{who}’s accessibility statement</a>.</p>",
            escape(url)
        );
    }
    main.push_str("<p>In Great Britain, the Equality and Human Rights Commission enforces the accessibility regulations for public bodies’ websites. If you are not happy with how your complaint is handled, the Equality Advisory and Support Service can advise you.</p>\n");
    html::page(
        frame,
        &Page {
            title: "Accessibility statement",
            description: "How accessible this site is, how it is checked, what falls short and how to report a problem.",
            root: "",
            nav: Nav::Other,
            main,
            scripts: &[],
            noindex: false,
        },
    )
}
