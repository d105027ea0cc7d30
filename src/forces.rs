//! The UK's police forces, so that `dorset`, `Dorset police` and
//! `DORSET POLICE` all become `Dorset Police`: a register that spells one force
//! three ways cannot be filtered or counted. Names that are not forces (a
//! community safety partnership, a charity) are kept exactly as typed.

/// Each force's name as the College writes it, then the short names people use.
const FORCES: &[(&str, &[&str])] = &[
    // The 43 territorial forces of England and Wales.
    ("Avon and Somerset Constabulary", &[]),
    ("Bedfordshire Police", &[]),
    ("Cambridgeshire Constabulary", &[]),
    ("Cheshire Constabulary", &[]),
    ("City of London Police", &[]),
    ("Cleveland Police", &[]),
    ("Cumbria Constabulary", &[]),
    ("Derbyshire Constabulary", &[]),
    ("Devon and Cornwall Police", &[]),
    ("Dorset Police", &[]),
    ("Durham Constabulary", &[]),
    ("Dyfed-Powys Police", &[]),
    ("Essex Police", &[]),
    ("Gloucestershire Constabulary", &[]),
    ("Greater Manchester Police", &["gmp"]),
    ("Gwent Police", &[]),
    ("Hampshire & Isle of Wight Constabulary", &["hampshire"]),
    ("Hertfordshire Constabulary", &[]),
    ("Humberside Police", &[]),
    ("Kent Police", &[]),
    ("Lancashire Constabulary", &[]),
    ("Leicestershire Police", &[]),
    ("Lincolnshire Police", &[]),
    ("Merseyside Police", &[]),
    (
        "Metropolitan Police Service",
        &["met", "mps", "metropolitan police"],
    ),
    ("Norfolk Constabulary", &[]),
    ("North Wales Police", &[]),
    ("North Yorkshire Police", &[]),
    ("Northamptonshire Police", &[]),
    ("Northumbria Police", &[]),
    ("Nottinghamshire Police", &[]),
    ("South Wales Police", &[]),
    ("South Yorkshire Police", &[]),
    ("Staffordshire Police", &[]),
    ("Suffolk Constabulary", &[]),
    ("Surrey Police", &[]),
    ("Sussex Police", &[]),
    ("Thames Valley Police", &[]),
    ("Warwickshire Police", &[]),
    ("West Mercia Police", &[]),
    ("West Midlands Police", &[]),
    ("West Yorkshire Police", &[]),
    ("Wiltshire Police", &[]),
    // Scotland and Northern Ireland.
    ("Police Scotland", &["scotland"]),
    (
        "Police Service of Northern Ireland",
        &["psni", "northern ireland"],
    ),
    // The special police forces.
    ("British Transport Police", &["btp"]),
    ("Civil Nuclear Constabulary", &["cnc"]),
    ("Ministry of Defence Police", &["mdp", "mod police"]),
];

/// Words that end a force's name and that people leave out or vary.
const SUFFIXES: &[&str] = &["policeservice", "constabulary", "police"];

/// Every force's name, as the College writes it.
pub fn all() -> impl Iterator<Item = &'static str> {
    FORCES.iter().map(|(name, _)| *name)
}

/// The force `text` names, if it names one.
pub fn lookup(text: &str) -> Option<&'static str> {
    let wanted = key(text);
    if wanted.is_empty() {
        return None;
    }
    FORCES.iter().find_map(|(name, aliases)| {
        let full = key(name);
        let matches = wanted == full
            || strip_suffix(&wanted) == strip_suffix(&full)
            || aliases.iter().any(|a| key(a) == wanted);
        matches.then_some(*name)
    })
}

/// The force's own spelling when `text` names a force, else `text` as typed
/// (trimmed).
pub fn normalise(text: &str) -> String {
    lookup(text).map_or_else(|| text.trim().to_string(), str::to_string)
}

/// A list of organisations as [`normalise`] spells them, blanks dropped.
pub fn normalise_all(organisations: &[String]) -> Vec<String> {
    organisations
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| normalise(o))
        .collect()
}

/// Lowercase letters and digits only, `&` read as `and`.
fn key(text: &str) -> String {
    text.replace('&', " and ")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn strip_suffix(key: &str) -> &str {
    SUFFIXES
        .iter()
        .find_map(|s| key.strip_suffix(s).filter(|rest| !rest.is_empty()))
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_the_43_forces_and_the_others() {
        assert_eq!(all().count(), 43 + 2 + 3);
        let mut names: Vec<_> = all().collect();
        names.dedup();
        assert_eq!(names.len(), 48);
    }

    #[test]
    fn forces_are_found_however_they_are_spelt() {
        assert_eq!(normalise("dorset"), "Dorset Police");
        assert_eq!(normalise("Dorset police"), "Dorset Police");
        assert_eq!(normalise("  DORSET POLICE "), "Dorset Police");
        assert_eq!(normalise("derbyshire police"), "Derbyshire Constabulary");
        assert_eq!(
            normalise("Hampshire and Isle of Wight Constabulary"),
            "Hampshire & Isle of Wight Constabulary"
        );
        assert_eq!(normalise("met"), "Metropolitan Police Service");
        assert_eq!(normalise("psni"), "Police Service of Northern Ireland");
        assert_eq!(normalise("btp"), "British Transport Police");
        assert_eq!(normalise("dyfed powys"), "Dyfed-Powys Police");
    }

    #[test]
    fn other_organisations_are_kept_as_typed() {
        assert_eq!(
            normalise("Exeter's Community Safety Partnership"),
            "Exeter's Community Safety Partnership"
        );
        assert_eq!(normalise("Police"), "Police");
        assert_eq!(lookup("West"), None);
        assert_eq!(lookup(""), None);
    }
}
