//! What a commit's dates may say. An action's author date is when it was
//! taken, and a sign-off records the same moment as its `signed_at`; both
//! are set by whoever commits, so they prove nothing alone (authority is
//! judged by the roster of the parent commit, never by dates). What these
//! rules catch is a record whose dates contradict its place in history:
//! an action dated well before the one it follows, one authored after it
//! was committed, a sign-off whose time is not its commit's.

use chrono::{DateTime, Duration, FixedOffset};

use crate::model::When;

/// How far one person's clock may trail another's, or a sign-off's time
/// its commit's: a day, so that no honest clock is ever flagged.
pub fn skew() -> Duration {
    Duration::days(1)
}

/// What is wrong with an action authored at `author` and committed at
/// `committer`, on a parent authored at `parent`: each problem in words.
pub fn judge(
    author: DateTime<FixedOffset>,
    committer: DateTime<FixedOffset>,
    parent: Option<DateTime<FixedOffset>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(parent) = parent.filter(|p| author < *p - skew()) {
        problems.push(format!(
            "its author date ({}) is more than a day before that of the action it follows ({}): an action is dated when it is taken, after what it follows",
            author.to_rfc3339(),
            parent.to_rfc3339()
        ));
    }
    if author > committer {
        problems.push(format!(
            "its author date ({}) is after its committer date ({}): an action cannot be taken after it was committed",
            author.to_rfc3339(),
            committer.to_rfc3339()
        ));
    }
    problems
}

/// Whether a sign-off's `signed_at` agrees with the author date of the
/// commit that records it, to within [`skew`]: `practice review` writes
/// both from one clock, at one moment.
pub fn signed_at_agrees(signed_at: &When, author: DateTime<FixedOffset>) -> bool {
    match signed_at {
        When::Time(t) => (*t - author).abs() <= skew(),
        // A sign-off dated by day alone agrees with any time that day, in
        // the author's own offset.
        When::Date(d) => {
            let day = author.date_naive();
            (*d - day).abs() <= Duration::days(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn dates_in_order_and_a_day_of_skew_pass() {
        let parent = Some(at("2026-11-25T12:00:00Z"));
        assert!(
            judge(
                at("2026-11-25T12:00:00Z"),
                at("2026-11-25T12:00:00Z"),
                parent
            )
            .is_empty()
        );
        // A clock a little behind the last person's.
        assert!(
            judge(
                at("2026-11-24T12:00:01Z"),
                at("2026-11-24T12:00:01Z"),
                parent
            )
            .is_empty()
        );
        // A replayed action: authored before, committed later.
        assert!(
            judge(
                at("2026-11-25T11:00:00Z"),
                at("2026-11-27T09:00:00Z"),
                parent
            )
            .is_empty()
        );
        assert!(judge(at("2000-01-01T00:00:00Z"), at("2000-01-01T00:00:00Z"), None).is_empty());
    }

    #[test]
    fn backdating_and_an_author_date_after_the_commit_are_found() {
        let parent = Some(at("2026-11-25T12:00:00Z"));
        let back = judge(
            at("2026-11-24T11:59:59Z"),
            at("2026-11-25T13:00:00Z"),
            parent,
        );
        assert_eq!(back.len(), 1);
        assert!(back[0].contains("more than a day before"), "{back:?}");
        let ahead = judge(
            at("2026-11-25T13:00:01Z"),
            at("2026-11-25T13:00:00Z"),
            parent,
        );
        assert_eq!(ahead.len(), 1);
        assert!(ahead[0].contains("after its committer date"), "{ahead:?}");
        // Offsets are compared as instants.
        let same = judge(
            at("2026-11-25T14:00:00+01:00"),
            at("2026-11-25T13:00:00Z"),
            parent,
        );
        assert!(same.is_empty(), "{same:?}");
    }

    #[test]
    fn signed_at_agrees_with_its_commit_to_within_a_day() {
        let author = at("2026-11-25T09:12:00Z");
        assert!(signed_at_agrees(&When::Time(author), author));
        assert!(signed_at_agrees(
            &When::Time(at("2026-11-26T09:12:00Z")),
            author
        ));
        assert!(!signed_at_agrees(
            &When::Time(at("2026-11-26T09:12:01Z")),
            author
        ));
        assert!(!signed_at_agrees(
            &When::Time(at("2025-11-25T09:12:00Z")),
            author
        ));
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert!(signed_at_agrees(&When::Date(day), author));
        assert!(!signed_at_agrees(
            &When::Date(day - Duration::days(2)),
            author
        ));
    }
}
