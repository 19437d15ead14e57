//! Amounts of money: integer cents, never floats. Read as people type
//! them in France (`12 000,50 €`, `12000.5`, `12 000 €`), written the
//! French way (`12 000,50 €`, a narrow no-break space between thousands).

use serde::{Deserialize, Serialize};

/// The largest amount a form takes: 10 million euros.
pub const MAX_CENTS: i64 = 10_000_000 * 100;

/// An amount in euro cents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// Why a typed amount is refused, in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("indiquez un montant")]
    Empty,
    #[error("« {0} » n'est pas un montant (par exemple 12 000,50 €)")]
    NotAnAmount(String),
    #[error("« {0} » : un montant ne peut pas être négatif")]
    Negative(String),
    #[error("« {0} » : au plus deux chiffres après la virgule")]
    TooPrecise(String),
    #[error("« {0} » dépasse 10 000 000 €")]
    TooLarge(String),
}

impl Cents {
    /// Reads an amount as typed: spaces (ordinary, no-break, narrow) and
    /// `.` between thousands, `,` or `.` before the cents, an optional `€`
    /// or `EUR`; at most two decimals; 0 to 10 M€.
    pub fn parse(typed: &str) -> Result<Cents, AmountError> {
        let raw = typed.trim();
        let text: String = raw
            .trim_end_matches('€')
            .trim_end_matches("EUR")
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if text.starts_with('-') {
            return Err(AmountError::Negative(raw.to_owned()));
        }
        let bad = || AmountError::NotAnAmount(raw.to_owned());
        // The decimal separator is the last `,` or `.` followed by one or two
        // digits only; other dots separate thousands (`12.000,50`).
        let (whole, decimals) = match text.rfind([',', '.']) {
            Some(i)
                if text.len() - i - 1 <= 2 && text[i + 1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                (&text[..i], &text[i + 1..])
            }
            Some(i) if text[i + 1..].len() > 2 && text[i..i + 1] == *"," => {
                return Err(AmountError::TooPrecise(raw.to_owned()));
            }
            _ => (text.as_str(), ""),
        };
        let whole: String = whole.chars().filter(|c| *c != '.').collect();
        if whole.is_empty() && decimals.is_empty() {
            return Err(bad());
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || whole.len() > 12 {
            return Err(if whole.chars().all(|c| c.is_ascii_digit()) {
                AmountError::TooLarge(raw.to_owned())
            } else {
                bad()
            });
        }
        let euros: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let cents: i64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<i64>().map_err(|_| bad())? * 10,
            _ => decimals.parse().map_err(|_| bad())?,
        };
        let total = euros * 100 + cents;
        if total > MAX_CENTS {
            return Err(AmountError::TooLarge(raw.to_owned()));
        }
        Ok(Cents(total))
    }

    /// `12 000,50 €` (the cents always shown, a narrow no-break space
    /// between thousands, a no-break space before `€`).
    pub fn french(self) -> String {
        let sign = if self.0 < 0 { "−" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped},{:02}\u{a0}€", abs % 100)
    }

    /// What `part` is of `self`, in tenths of a percent, rounded half up
    /// (`None` for a total of 0): `333` is 33,3 %. Integer arithmetic, so
    /// two screens never show two shares for one budget.
    pub fn share_permille(self, part: Cents) -> Option<i64> {
        let (total, part) = (i128::from(self.0), i128::from(part.0));
        (total != 0).then(|| i64::try_from((part * 2000 + total) / (2 * total)).unwrap_or(i64::MAX))
    }
}

impl std::iter::Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

impl std::ops::Sub for Cents {
    type Output = Cents;
    fn sub(self, other: Cents) -> Cents {
        Cents(self.0 - other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_the_french_or_the_plain_way_read_the_same() {
        for typed in [
            "12 000,50 €",
            "12000.5",
            "12000,50",
            "12.000,50",
            "12\u{202f}000,50\u{a0}€",
            "12 000,5",
        ] {
            assert_eq!(Cents::parse(typed), Ok(Cents(1_200_050)), "{typed}");
        }
        assert_eq!(Cents::parse("12 000 €"), Ok(Cents(1_200_000)));
        assert_eq!(Cents::parse("0,07"), Ok(Cents(7)));
        assert_eq!(Cents::parse("7"), Ok(Cents(700)));
    }

    #[test]
    fn a_negative_a_huge_or_a_garbled_amount_is_refused_in_french() {
        assert_eq!(Cents::parse("-5"), Err(AmountError::Negative("-5".into())));
        assert_eq!(
            Cents::parse("10 000 000,01"),
            Err(AmountError::TooLarge("10 000 000,01".into()))
        );
        assert!(Cents::parse("10 000 000").is_ok());
        assert!(matches!(
            Cents::parse("douze"),
            Err(AmountError::NotAnAmount(_))
        ));
        assert!(matches!(
            Cents::parse("12,505"),
            Err(AmountError::TooPrecise(_))
        ));
        assert_eq!(Cents::parse("  "), Err(AmountError::Empty));
        assert_eq!(
            Cents::parse("-5").unwrap_err().to_string(),
            "« -5 » : un montant ne peut pas être négatif"
        );
    }

    #[test]
    fn amounts_are_written_the_french_way_and_sums_are_exact() {
        assert_eq!(Cents(1_200_050).french(), "12\u{202f}000,50\u{a0}€");
        assert_eq!(Cents(5).french(), "0,05\u{a0}€");
        assert_eq!(Cents(-150).french(), "−1,50\u{a0}€");
        // A tenth of a euro a thousand times is a hundred euros, to the cent.
        let total: Cents = std::iter::repeat_n(Cents(10), 1000).sum();
        assert_eq!(total, Cents(10_000));
        assert_eq!(Cents(30_000).share_permille(Cents(10_000)), Some(333));
        assert_eq!(Cents(30_000).share_permille(Cents(20_000)), Some(667));
        assert_eq!(Cents(0).share_permille(Cents(1)), None);
    }
}
