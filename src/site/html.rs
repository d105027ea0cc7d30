//! The pieces every page is made of: escaping, dates, text as paragraphs,
//! and the skeleton with its landmarks. Everything from the register is
//! someone's typing, so nothing reaches a page unescaped.

use std::fmt::Write as _;

use crate::model::{Publisher, When};

/// `text` safe in HTML or XML text and in quoted attributes. Control
/// characters are dropped: XML 1.0 forbids them and no reader shows them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            // Neither HTML nor XML 1.0 allows these in text: one would make
            // the whole feed unreadable.
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A moment as people read it, `1 December 2026`, marked up for machines.
pub fn date(when: &When) -> String {
    let day = when.date();
    format!(
        "<time datetime=\"{}\">{}</time>",
        escape(&when.to_string()),
        day.format("%-d %B %Y")
    )
}

/// A moment as Atom wants it: a full RFC 3339 time.
pub fn rfc3339(when: &When) -> String {
    match when {
        When::Date(d) => format!("{}T00:00:00Z", d.format("%Y-%m-%d")),
        When::Time(_) => when.to_string(),
    }
}

/// "A", "A and B", "A, B and C".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Free text as HTML: blank lines part paragraphs, a block whose every line
/// starts with `- ` or `* ` is a list, and other line breaks are kept.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            push_block(&mut out, &block);
            block.clear();
        } else {
            block.push(line);
        }
    }
    push_block(&mut out, &block);
    out
}

fn bullet(line: &str) -> Option<&str> {
    line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
}

fn push_block(out: &mut String, block: &[&str]) {
    if block.is_empty() {
        return;
    }
    if block.iter().all(|l| bullet(l).is_some()) {
        out.push_str("<ul>\n");
        for line in block {
            let _ = writeln!(out, "<li>{}</li>", escape(bullet(line).unwrap_or(line)));
        }
        out.push_str("</ul>\n");
    } else {
        let lines: Vec<String> = block.iter().map(|l| escape(l)).collect();
        let _ = writeln!(out, "<p>{}</p>", lines.join("<br>\n"));
    }
}

/// Text with every web address in it made a link: a source or a reason
/// often names the page it comes from. What ends a sentence (`.`, `,`, a
/// closing bracket) is left outside the link.
pub fn linked(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        out.push_str(&escape(&rest[..at]));
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| c.is_whitespace() || "<>\"'`".contains(c))
            .unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?']);
        if crate::model::is_web_address(url) {
            let _ = write!(out, "<a href=\"{0}\">{0}</a>", escape(url));
            rest = &tail[url.len()..];
        } else {
            out.push_str(&escape(&tail[..end.max(1)]));
            rest = &tail[end.max(1)..];
        }
    }
    out.push_str(&escape(rest));
    out
}

/// At most `limit` characters of `text`, cut at a word, for a page's
/// `meta description`.
pub fn description(text: &str, limit: usize) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= limit {
        return text;
    }
    let cut: String = text.chars().take(limit - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Which page of the site's navigation a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Home,
    Bank,
    Feed,
    /// An entry, a topic's or a rating's list, the accessibility statement.
    Other,
}

/// A page's own parts; [`page`] wraps them in the site's skeleton.
pub struct Page<'a> {
    /// The page's own title, before the site's name.
    pub title: &'a str,
    /// What search engines and link previews show of the page.
    pub description: &'a str,
    /// The way back to the site's top folder: `""` or `"../"`.
    pub root: &'a str,
    pub nav: Nav,
    /// What goes in `<main>`, already HTML.
    pub main: String,
    /// Scripts to load, relative to the top folder, in order.
    pub scripts: &'a [&'a str],
    /// Whether search engines should leave the page out (retraction notices).
    pub noindex: bool,
}

/// What every page says about who publishes it and where it comes from.
pub struct Frame<'a> {
    pub site_name: &'a str,
    pub publisher: Option<&'a Publisher>,
    /// HEAD's commit id, abbreviated: machine-readable provenance, in the
    /// page's `generator`, never in its text.
    pub commit: &'a str,
}

/// A link to the publisher's contact address, a web page or an email.
pub fn contact_link(publisher: &Publisher) -> Option<String> {
    let contact = publisher.contact.as_deref()?;
    let href = if crate::model::is_web_address(contact) {
        escape(contact)
    } else {
        format!("mailto:{}", super::pages::mailto(contact))
    };
    Some(format!(
        "<a href=\"{href}\">Contact {}</a>",
        escape(&publisher.name)
    ))
}

/// A whole HTML page: language, landmarks, a skip link, one stylesheet, a
/// header and footer that say who publishes it.
pub fn page(frame: &Frame, p: &Page) -> String {
    let root = p.root;
    let site = escape(frame.site_name);
    let current = |nav: Nav| {
        if p.nav == nav {
            " aria-current=\"page\""
        } else {
            ""
        }
    };
    let mut head_extra = String::new();
    if p.noindex {
        head_extra.push_str("<meta name=\"robots\" content=\"noindex\">\n");
    }
    let mut scripts = String::new();
    for script in p.scripts {
        let _ = writeln!(scripts, "<script src=\"{root}{script}\" defer></script>");
    }
    let publisher = frame
        .publisher
        .map(|pb| {
            format!(
                "<p class=\"publisher\">Published by {}</p>\n",
                escape(&pb.name)
            )
        })
        .unwrap_or_default();
    let mut footer_links = vec![
        format!("<li><a href=\"{root}accessibility.html\">Accessibility statement</a></li>"),
        format!("<li><a href=\"{root}feed.html\">Follow new publications</a></li>"),
    ];
    if let Some(link) = frame.publisher.and_then(contact_link) {
        footer_links.push(format!("<li>{link}</li>"));
    }
    let published_by = match frame.publisher {
        Some(pb) => format!(
            "{site} is published by {}. Every review and decision behind its entries is kept on the record.",
            escape(&pb.name)
        ),
        None => {
            format!("Every review and decision behind the entries of {site} is kept on the record.")
        }
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; base-uri 'none'; form-action 'none'">
<title>{title} – {site}</title>
<meta name="description" content="{description}">
<meta name="generator" content="practice site, from register commit {commit}">
{head_extra}<link rel="icon" href="{root}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{root}style.css">
<link rel="alternate" type="application/atom+xml" title="{site}: new publications" href="{root}feed.xml">
{scripts}</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="masthead">
<div class="wrap">
<div class="brand">
<p class="site-name"><a href="{root}index.html">{site}</a></p>
{publisher}</div>
<nav aria-label="Site">
<ul>
<li><a href="{root}index.html"{home}>Smarter practice</a></li>
<li><a href="{root}practice-bank.html"{bank}>Practice bank</a></li>
<li><a href="{root}feed.html"{feed}>Follow updates</a></li>
</ul>
</nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
{main}</main>
<footer class="wrap">
<ul class="footer-links">
{footer_links}
</ul>
<p>{published_by}</p>
</footer>
</body>
</html>
"##,
        title = escape(p.title),
        description = escape(p.description),
        home = current(Nav::Home),
        bank = current(Nav::Bank),
        feed = current(Nav::Feed),
        main = p.main,
        commit = escape(frame.commit),
        footer_links = footer_links.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup_and_no_control_characters() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>\u{1}\n"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\n"
        );
        assert_eq!(
            escape("Hampshire & Isle of Wight"),
            "Hampshire &amp; Isle of Wight"
        );
    }

    #[test]
    fn text_becomes_paragraphs_and_lists() {
        assert_eq!(
            paragraphs("One\nline two\n\n- a\n- <b>\n\n"),
            "<p>One<br>\nline two</p>\n<ul>\n<li>a</li>\n<li>&lt;b&gt;</li>\n</ul>\n"
        );
        assert_eq!(paragraphs("  \n"), "");
    }

    #[test]
    fn dates_read_as_people_write_them() {
        let d = When::parse("2026-12-01").unwrap();
        assert_eq!(
            date(&d),
            "<time datetime=\"2026-12-01\">1 December 2026</time>"
        );
        assert_eq!(rfc3339(&d), "2026-12-01T00:00:00Z");
        let t = When::parse("2026-11-25T09:12:00Z").unwrap();
        assert_eq!(rfc3339(&t), "2026-11-25T09:12:00Z");
    }

    #[test]
    fn web_addresses_become_links_and_nothing_else_does() {
        assert_eq!(
            linked("See https://www.college.police.uk/x?a=1&b=2. Or not."),
            "See <a href=\"https://www.college.police.uk/x?a=1&amp;b=2\">https://www.college.police.uk/x?a=1&amp;b=2</a>. Or not."
        );
        assert_eq!(
            linked("javascript:alert(1) <b>"),
            "javascript:alert(1) &lt;b&gt;"
        );
        assert_eq!(linked("bare https:// then"), "bare https:// then");
        assert_eq!(
            linked("(https://a.example/)"),
            "(<a href=\"https://a.example/\">https://a.example/</a>)"
        );
    }

    #[test]
    fn a_description_is_cut_at_a_word() {
        assert_eq!(description("Short  and\nplain.", 160), "Short and plain.");
        assert_eq!(description("one two three four", 12), "one two…");
    }

    #[test]
    fn lists_of_names_read_as_a_sentence() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&names(&["A"])), "A");
        assert_eq!(and_list(&names(&["A", "B"])), "A and B");
        assert_eq!(and_list(&names(&["A", "B", "C"])), "A, B and C");
    }
}
