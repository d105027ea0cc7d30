//! The lists of entries: the practice bank a page at a time, each topic's
//! and each rating's own pages, and the data the bank's filters work on.
//!
//! A national practice bank holds thousands of entries, so no list is one
//! page: each shows [`Options::page_size`](super::Options) entries and links
//! the rest. Without JavaScript the topic and rating pages are the filters;
//! with it, `filter.js` filters the whole bank from `bank-data.js` and keeps
//! the choice in the address.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;

use super::html::{self, Frame, Nav, Page, escape};
use super::pages::{CRUMBS_START, imported_mark, published_on};
use super::{NO_TOPIC, NO_TOPIC_VALUE, SiteEntry, by_topic, page_name, rating_label, topic_slugs};
use crate::model::{Rating, RegisterConfig};

/// One topic's entries, by title, and where its pages are.
pub struct TopicList<'a> {
    pub topic: Option<&'a str>,
    /// `topics/<slug>`, before `.html`.
    pub base: String,
    pub entries: Vec<&'a SiteEntry>,
}

impl TopicList<'_> {
    pub fn name(&self) -> &str {
        self.topic.unwrap_or(NO_TOPIC)
    }
}

/// Every list the site shows, built once from the live entries.
pub struct Lists<'a> {
    /// Every live entry, by title.
    all: Vec<&'a SiteEntry>,
    /// The topics some entry has, in the register's order.
    pub topics: Vec<TopicList<'a>>,
    /// The ratings some entry has, in the vocabulary's order.
    ratings: Vec<(Rating, Vec<&'a SiteEntry>)>,
    /// Every organisation some entry names, sorted: the filter's choices,
    /// numbered as `bank-data.js` numbers them.
    organisations: Vec<&'a str>,
    page_size: usize,
}

impl<'a> Lists<'a> {
    pub fn new(config: &RegisterConfig, live: &[&'a SiteEntry], page_size: usize) -> Lists<'a> {
        let mut all: Vec<&SiteEntry> = live.to_vec();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let groups = by_topic(&all, &config.topics);
        let slugs = topic_slugs(&groups.iter().map(|(t, _)| *t).collect::<Vec<_>>());
        let topics = groups
            .into_iter()
            .zip(slugs)
            .map(|((topic, entries), slug)| TopicList {
                topic,
                base: format!("topics/{slug}"),
                entries,
            })
            .collect();
        let ratings = Rating::ALL
            .iter()
            .map(|rating| {
                let entries: Vec<&SiteEntry> = all
                    .iter()
                    .copied()
                    .filter(|r| r.entry.rating == *rating)
                    .collect();
                (*rating, entries)
            })
            .filter(|(_, entries)| !entries.is_empty())
            .collect();
        let organisations = all
            .iter()
            .flat_map(|r| r.entry.organisations.iter().map(String::as_str))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        Lists {
            all,
            topics,
            ratings,
            organisations,
            page_size: page_size.max(1),
        }
    }

    /// The list of `topic`'s entries, if some entry has it.
    pub fn topic(&self, topic: Option<&str>) -> Option<&TopicList<'a>> {
        self.topics.iter().find(|t| t.topic == topic)
    }

    /// The first page of `topic`'s list, from the site's top folder.
    pub fn topic_page(&self, topic: Option<&str>) -> Option<String> {
        self.topic(topic).map(|t| page_name(&t.base, 1))
    }

    fn pages_of(&self, n: usize) -> usize {
        n.div_ceil(self.page_size).max(1)
    }

    /// Every page of every list.
    pub fn pages(&self, frame: &Frame) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let bank_pages = self.pages_of(self.all.len());
        let filters = self.filters();
        for n in 1..=bank_pages {
            files.push((
                page_name("practice-bank", n),
                self.bank(frame, &filters, n, bank_pages),
            ));
        }
        for t in &self.topics {
            let what = format!("Entries on {}", t.name());
            let about = format!(
                "{} on {} in the practice bank, smarter practice among them.",
                entries(t.entries.len()),
                t.name()
            );
            files.extend(self.list(frame, &t.base, t.name(), &what, &about, &t.entries));
        }
        for (rating, list) in &self.ratings {
            let label = rating_label(*rating);
            let base = format!("ratings/{}", rating.as_str());
            let what = format!("Does it work? {label}");
            let about = format!(
                "{} whose answer to “Does it work?” is “{label}”.",
                entries(list.len())
            );
            files.extend(self.list(frame, &base, &what, &what, &about, list));
        }
        files
    }

    /// The pages of one topic's or one rating's list.
    fn list(
        &self,
        frame: &Frame,
        base: &str,
        name: &str,
        caption: &str,
        about: &str,
        list: &[&SiteEntry],
    ) -> Vec<(String, String)> {
        let count = self.pages_of(list.len());
        (1..=count)
            .map(|n| {
                let title = numbered(name, n, count);
                let shown = self.page_of(list, n);
                let mut main = String::new();
                let _ = write!(
                    main,
                    "{CRUMBS_START}<li aria-current=\"page\">{}</li>\n</ol>\n</nav>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
                    escape(name),
                    escape(&title),
                    escape(about),
                );
                main.push_str(&table(&shown, "../", caption, None));
                main.push_str(&pager(base, n, count, &format!("Pages of {name}")));
                main.push_str("<p><a href=\"../practice-bank.html\">Every entry in the practice bank</a></p>\n");
                let page = html::page(
                    frame,
                    &Page {
                        title: &title,
                        description: about,
                        root: "../",
                        nav: Nav::Other,
                        main,
                        scripts: &[],
                        noindex: false,
                    },
                );
                (page_name(base, n), page)
            })
            .collect()
    }

    fn page_of(&self, list: &[&'a SiteEntry], n: usize) -> Vec<&'a SiteEntry> {
        list.iter()
            .skip((n - 1) * self.page_size)
            .take(self.page_size)
            .copied()
            .collect()
    }

    /// Page `n` of the practice bank: its entries by title, the filters
    /// (shown once the script runs), and the topic and rating pages that
    /// serve instead of them without JavaScript.
    fn bank(&self, frame: &Frame, filters: &str, n: usize, count: usize) -> String {
        let title = numbered("Practice bank", n, count);
        let shown = self.page_of(&self.all, n);
        let total = self.all.len();
        let status = if count == 1 {
            format!("Showing all {}", entries(total))
        } else {
            let from = (n - 1) * self.page_size + 1;
            format!(
                "Showing {}–{} of {}",
                thousands(from),
                thousands(from + shown.len() - 1),
                entries(total)
            )
        };
        let mut main = String::new();
        let _ = write!(
            main,
            r##"<h1>{title}</h1>
<p class="lead">Every published entry: smarter practice examples, reviewed jointly by the partners, and other force activity with its answer to “Does it work?”.</p>
<noscript><p class="notice">The filters need JavaScript, so the bank is listed here by title, a page at a time. Each topic and each answer to “Does it work?” has a page of its own: see <a href="#browse">Browse the practice bank</a>.</p></noscript>
{filters}<p id="count" role="status" aria-live="polite">{status}</p>
"##,
            title = escape(&title),
        );
        main.push_str(&table(
            &shown,
            "",
            "Published entries, by title",
            Some((n, self.page_size)),
        ));
        main.push_str("<p id=\"none\" hidden>No entries match these filters. Choose “Show all” to see every entry.</p>\n");
        main.push_str(&pager(
            "practice-bank",
            n,
            count,
            "Pages of the practice bank",
        ));
        main.push_str(&self.browse(""));
        let description = format!(
            "{} from police forces: smarter practice reviewed jointly by the partners, and other activity with its answer to “Does it work?”.",
            entries(total)
        );
        html::page(
            frame,
            &Page {
                title: &title,
                description: &description,
                root: "",
                nav: Nav::Bank,
                main,
                scripts: &["bank-data.js", "filter.js"],
                noindex: false,
            },
        )
    }

    /// The bank's filter form, the same on every page of it: only values
    /// some entry has, for a choice that shows nothing helps nobody.
    /// Entries without a topic are chosen by "-", as the empty value is
    /// "all". Hidden until the script shows it.
    fn filters(&self) -> String {
        let topics: Vec<(String, String)> = self
            .topics
            .iter()
            .map(|t| {
                let value = t.topic.unwrap_or(NO_TOPIC_VALUE);
                (value.to_string(), t.name().to_string())
            })
            .collect();
        let ratings: Vec<(String, String)> = self
            .ratings
            .iter()
            .map(|(r, _)| (r.as_str().to_string(), rating_label(*r).to_string()))
            .collect();
        let organisations: Vec<(String, String)> = self
            .organisations
            .iter()
            .map(|o| (o.to_string(), o.to_string()))
            .collect();
        format!(
            "<form id=\"filters\" class=\"filters\" hidden>\n<fieldset>\n<legend>Filter the entries</legend>\n{}{}{}<button type=\"reset\">Show all</button>\n</fieldset>\n</form>\n",
            select("filter-topic", "topic", "Topic", "All topics", &topics),
            select(
                "filter-rating",
                "rating",
                "Does it work?",
                "All ratings",
                &ratings
            ),
            select(
                "filter-organisation",
                "organisation",
                "Organisation",
                "All organisations",
                &organisations
            ),
        )
    }

    /// Links to every topic's and every rating's pages, with counts.
    pub fn browse(&self, root: &str) -> String {
        let mut out = String::from(
            "<section id=\"browse\" aria-labelledby=\"browse-heading\">\n<h2 id=\"browse-heading\">Browse the practice bank</h2>\n<h3>By topic</h3>\n<ul class=\"browse\">\n",
        );
        for t in &self.topics {
            let _ = writeln!(
                out,
                "<li><a href=\"{root}{}\">{}</a> ({})</li>",
                page_name(&t.base, 1),
                escape(t.name()),
                t.entries.len()
            );
        }
        out.push_str("</ul>\n<h3>By “Does it work?”</h3>\n<ul class=\"browse\">\n");
        for (rating, list) in &self.ratings {
            let _ = writeln!(
                out,
                "<li><a href=\"{root}{}\">{}</a> ({})</li>",
                page_name(&format!("ratings/{}", rating.as_str()), 1),
                rating_label(*rating),
                list.len()
            );
        }
        out.push_str("</ul>\n</section>\n");
        out
    }

    /// `bank-data.js`: every live entry, for the bank's filters to choose
    /// from and show a page of, in a form small enough at 10,000 entries
    /// (topics and organisations by number).
    pub fn data(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Data<'a> {
            page_size: usize,
            topics: Vec<&'a str>,
            organisations: &'a [&'a str],
            ratings: Vec<(&'static str, &'static str)>,
            /// title, id, rating, topic (-1 for none), organisations,
            /// focus, published (ISO and in words), imported (1 or 0).
            entries: Vec<Row<'a>>,
        }
        type Row<'a> = (
            &'a str,
            &'a str,
            usize,
            i64,
            Vec<usize>,
            &'a str,
            String,
            String,
            u8,
        );
        let topics: Vec<&str> = self.topics.iter().filter_map(|t| t.topic).collect();
        let organisations = &self.organisations;
        let entries = self
            .all
            .iter()
            .map(|r| {
                let e = &r.entry;
                let rating = Rating::ALL.iter().position(|x| *x == e.rating).unwrap_or(0);
                let topic = r
                    .topic()
                    .and_then(|t| topics.iter().position(|x| *x == t))
                    .map_or(-1, |i| i as i64);
                let orgs = e
                    .organisations
                    .iter()
                    .filter_map(|o| organisations.binary_search(&o.as_str()).ok())
                    .collect();
                (
                    e.title.as_str(),
                    r.id.as_str(),
                    rating,
                    topic,
                    orgs,
                    e.focus.map(|f| f.as_str()).unwrap_or(""),
                    e.published.on.to_string(),
                    e.published.on.date().format("%-d %B %Y").to_string(),
                    u8::from(e.imported.is_some()),
                )
            })
            .collect();
        let data = Data {
            page_size: self.page_size,
            topics,
            organisations: organisations.as_slice(),
            ratings: Rating::ALL
                .iter()
                .map(|r| (r.as_str(), rating_label(*r)))
                .collect(),
            entries,
        };
        // `<`, `>` and `&` only occur inside strings, where their escapes
        // mean the same: no text from the register can read as markup.
        let json = serde_json::to_string(&data)
            .unwrap_or_else(|_| "null".into())
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        format!(
            "// The practice bank's entries, for filter.js: made by `practice site`.\nwindow.PRACTICE_BANK = {json};\n"
        )
    }
}

/// "1 entry", "2 entries", "3,900 entries".
pub fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{} entries", thousands(n))
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A list's title, with its page where it has more than one.
fn numbered(name: &str, n: usize, count: usize) -> String {
    if count == 1 {
        name.to_string()
    } else {
        format!("{name}, page {n} of {count}")
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

/// The table of entries every list shows; on a narrow screen each row
/// stacks, its cells labelled. `bank` marks the practice bank's own,
/// which the filters redraw, with its page and page size.
fn table(list: &[&SiteEntry], root: &str, caption: &str, bank: Option<(usize, usize)>) -> String {
    let id = match bank {
        Some((page, size)) => {
            format!(" id=\"bank\" data-page=\"{page}\" data-page-size=\"{size}\"")
        }
        None => String::new(),
    };
    let mut out = format!(
        "<table class=\"entries-table\"{id}>\n<caption>{}</caption>\n<thead>\n<tr><th scope=\"col\">Title</th><th scope=\"col\">Does it work?</th><th scope=\"col\">Focus</th><th scope=\"col\">Organisations</th><th scope=\"col\">Topic</th><th scope=\"col\">Published</th></tr>\n</thead>\n<tbody>\n",
        escape(caption)
    );
    for r in list {
        let e = &r.entry;
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"{root}{path}\">{title}</a></th>\
<td data-label=\"Does it work?\">{rating}</td><td data-label=\"Focus\">{focus}</td>\
<td data-label=\"Organisations\">{organisations}</td><td data-label=\"Topic\">{topic}</td>\
<td data-label=\"Published\">{when}{mark}</td></tr>",
            path = r.page_path(),
            title = escape(&e.title),
            rating = rating_label(e.rating),
            focus = e.focus.map(|f| f.as_str()).unwrap_or(""),
            organisations = escape(&e.organisations.join(", ")),
            topic = escape(r.topic().unwrap_or("")),
            when = published_on(e),
            mark = imported_mark(e),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// Links to every page of a list, in the list's own folder.
fn pager(base: &str, n: usize, count: usize, label: &str) -> String {
    if count <= 1 {
        return "<nav id=\"pager\" class=\"pager\" aria-label=\"Pages\" hidden></nav>\n".into();
    }
    let file = |k: usize| {
        let name = page_name(base, k);
        name.rsplit('/').next().unwrap_or(&name).to_string()
    };
    let mut out = format!(
        "<nav id=\"pager\" class=\"pager\" aria-label=\"{}\">\n<ul>\n",
        escape(label)
    );
    if n > 1 {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" rel=\"prev\">Previous</a></li>",
            file(n - 1)
        );
    }
    for k in 1..=count {
        if k == n {
            let _ = writeln!(
                out,
                "<li><a href=\"{}\" aria-current=\"page\">{k}</a></li>",
                file(k)
            );
        } else {
            let _ = writeln!(
                out,
                "<li><a href=\"{}\" aria-label=\"Page {k}\">{k}</a></li>",
                file(k)
            );
        }
    }
    if n < count {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" rel=\"next\">Next</a></li>",
            file(n + 1)
        );
    }
    out.push_str("</ul>\n</nav>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_people_write_them() {
        assert_eq!(entries(1), "1 entry");
        assert_eq!(entries(999), "999 entries");
        assert_eq!(entries(3900), "3,900 entries");
        assert_eq!(entries(1_234_567), "1,234,567 entries");
    }

    #[test]
    fn a_pager_links_every_page_and_marks_this_one() {
        let p = pager("topics/drugs", 2, 3, "Pages of Drugs");
        assert!(
            p.contains("<a href=\"drugs.html\" rel=\"prev\">Previous</a>"),
            "{p}"
        );
        assert!(
            p.contains("<a href=\"drugs.page-2.html\" aria-current=\"page\">2</a>"),
            "{p}"
        );
        assert!(
            p.contains("<a href=\"drugs.page-3.html\" rel=\"next\">Next</a>"),
            "{p}"
        );
        assert!(pager("practice-bank", 1, 1, "x").contains("hidden"));
    }
}
