//! Values with rules, parsed once: after parsing, the type carries the guarantee.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// Why a value was refused, in French as every message a user reads;
/// callers (importer, web forms, the command line) add the location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "la tranche d'âge {min}-{max} n'est pas valable (de 0 à 120 ans, la plus basse d'abord)"
    )]
    AgeRange { min: u32, max: u32 },
    #[error("« {0} » n'est pas une adresse électronique")]
    Email(String),
    #[error("« {0} » n'est pas un numéro de téléphone français (dix chiffres commençant par 0)")]
    Phone(String),
    #[error("« {0} » n'est pas un identifiant (lettres minuscules, chiffres et tirets simples)")]
    Slug(String),
    #[error("« {0} » n'est pas un numéro de fiche (de 1 à 999)")]
    FicheNumber(String),
}

/// An inclusive range of ages in years, as printed on a fiche ("2-18 ans").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "AgeRangeRepr", into = "AgeRangeRepr")]
pub struct AgeRange {
    min: u8,
    max: u8,
}

#[derive(Serialize, Deserialize)]
struct AgeRangeRepr {
    min: u32,
    max: u32,
}

impl TryFrom<AgeRangeRepr> for AgeRange {
    type Error = ValueError;
    fn try_from(r: AgeRangeRepr) -> Result<Self, ValueError> {
        AgeRange::new(r.min, r.max)
    }
}

impl From<AgeRange> for AgeRangeRepr {
    fn from(r: AgeRange) -> Self {
        AgeRangeRepr {
            min: r.min.into(),
            max: r.max.into(),
        }
    }
}

impl AgeRange {
    /// The oldest age a range may name.
    pub const MAX_AGE: u32 = 120;

    pub fn new(min: u32, max: u32) -> Result<Self, ValueError> {
        if min > max || max > Self::MAX_AGE {
            return Err(ValueError::AgeRange { min, max });
        }
        // Both fit in u8: max <= 120.
        Ok(AgeRange {
            min: min as u8,
            max: max as u8,
        })
    }

    pub fn min(self) -> u32 {
        self.min.into()
    }

    pub fn max(self) -> u32 {
        self.max.into()
    }

    pub fn contains(self, age: u32) -> bool {
        (self.min()..=self.max()).contains(&age)
    }

    pub fn overlaps(self, other: AgeRange) -> bool {
        self.min <= other.max && other.min <= self.max
    }
}

impl fmt::Display for AgeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} ans", self.min, self.max)
    }
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// The domain is lowercased; the local part is kept as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let s = s.trim();
        let err = || ValueError::Email(s.to_owned());
        let (local, domain) = s.split_once('@').ok_or_else(err)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.');
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && domain.len() <= 253
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(err())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}

impl TryFrom<String> for Email {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A French phone number, kept as its ten digits; shown as `03 59 57 31 75`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts the printed forms `03.59.57.31.75`, `03 59 57 31 75`,
    /// `0359573175` and `+33 3 59 57 31 75`.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let only_separators = s
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || " .-+\u{a0}".contains(c));
        let national = match digits.strip_prefix("33") {
            Some(rest) if s.trim_start().starts_with('+') && rest.len() == 9 => format!("0{rest}"),
            _ => digits,
        };
        if only_separators && national.len() == 10 && national.starts_with('0') {
            Ok(Phone(national))
        } else {
            Err(ValueError::Phone(s.trim().to_owned()))
        }
    }

    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The `tel:` URI form, `+33359573175`.
    pub fn uri(&self) -> String {
        format!("+33{}", &self.0[1..])
    }
}

impl TryFrom<String> for Phone {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.as_bytes();
        for (i, pair) in b.chunks(2).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            // Digits only, so always valid UTF-8.
            f.write_str(std::str::from_utf8(pair).unwrap_or_default())?;
        }
        Ok(())
    }
}

/// A stable, URL-safe identifier: lowercase ASCII letters, digits, single dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let ok = !s.is_empty()
            && s.len() <= 120
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            Err(ValueError::Slug(s.to_owned()))
        }
    }

    /// Makes a slug from any text: accents folded, words joined by dashes.
    /// Text with no letter or digit gives `sans-nom`.
    pub fn from_text(text: &str) -> Slug {
        let folded = fold(text);
        let mut out = String::with_capacity(folded.len());
        for word in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if out.len() + word.len() + 1 > 100 {
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(word);
        }
        if out.is_empty() {
            out.push_str("sans-nom");
        }
        Slug(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The number of a fiche (action sheet) within a programme: 1 to 999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct FicheNumber(u16);

impl FicheNumber {
    pub fn new(n: u32) -> Result<Self, ValueError> {
        if (1..=999).contains(&n) {
            Ok(FicheNumber(n as u16))
        } else {
            Err(ValueError::FicheNumber(n.to_string()))
        }
    }

    pub fn parse(s: &str) -> Result<Self, ValueError> {
        s.trim()
            .parse::<u32>()
            .map_err(|_| ValueError::FicheNumber(s.to_owned()))
            .and_then(FicheNumber::new)
    }

    pub fn get(self) -> u32 {
        self.0.into()
    }
}

impl TryFrom<u32> for FicheNumber {
    type Error = ValueError;
    fn try_from(n: u32) -> Result<Self, ValueError> {
        FicheNumber::new(n)
    }
}

impl From<FicheNumber> for u32 {
    fn from(n: FicheNumber) -> u32 {
        n.get()
    }
}

impl fmt::Display for FicheNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_range_rejects_reversed_or_absurd_ranges() {
        assert!(AgeRange::new(2, 18).is_ok());
        assert!(AgeRange::new(18, 2).is_err());
        assert!(AgeRange::new(2, 300).is_err());
        let r = AgeRange::new(5, 11).unwrap();
        assert!(r.contains(5) && r.contains(11) && !r.contains(12));
        assert!(r.overlaps(AgeRange::new(11, 15).unwrap()));
        assert!(!r.overlaps(AgeRange::new(12, 15).unwrap()));
    }

    #[test]
    fn email_accepts_printed_addresses_and_refuses_malformed_ones() {
        for ok in [
            "abelgaid@ville-roubaix.fr",
            "marie.claude-venant@nord.gouv.fr",
            "bartosik.j@mlroubaix.com",
        ] {
            assert_eq!(Email::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            Email::parse("Jo@Ville-Roubaix.FR").unwrap().as_str(),
            "Jo@ville-roubaix.fr"
        );
        for bad in [
            "",
            "jcamus",
            "jcamus@",
            "@ville.fr",
            "j camus@ville.fr",
            "a@b",
            "a@@b.fr",
            "a@b..fr",
            "a@b.f1",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_reads_every_printed_form() {
        for s in [
            "03.59.57.31.75",
            "03 59 57 31 75",
            "0359573175",
            "+33 3 59 57 31 75",
        ] {
            let p = Phone::parse(s).unwrap();
            assert_eq!(p.digits(), "0359573175");
            assert_eq!(p.to_string(), "03 59 57 31 75");
            assert_eq!(p.uri(), "+33359573175");
        }
        for bad in [
            "",
            "03.59.57",
            "3359573175",
            "03.59.57.31.75 poste 2",
            "06-74-28-40-47-11",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slug_from_text_folds_accents_and_punctuation() {
        assert_eq!(
            Slug::from_text("Anne-Sophie BELGAÏD").as_str(),
            "anne-sophie-belgaid"
        );
        assert_eq!(
            Slug::from_text("Centre social E.C.H.O").as_str(),
            "centre-social-e-c-h-o"
        );
        assert_eq!(Slug::from_text("« »").as_str(), "sans-nom");
        assert!(Slug::parse("a--b").is_err());
        assert!(Slug::parse("Abc").is_err());
    }

    #[test]
    fn fiche_number_is_bounded() {
        assert_eq!(FicheNumber::parse("17").unwrap().get(), 17);
        assert!(FicheNumber::parse("0").is_err());
        assert!(FicheNumber::parse("1000").is_err());
        assert!(FicheNumber::parse("x").is_err());
    }
}
