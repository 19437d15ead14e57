//! The second factor: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1,
//! six digits, 30-second steps) as authenticator apps compute them, the QR
//! code that enrols one (drawn here, as SVG: no outside service sees the
//! secret), and one-time recovery codes, kept hashed.

use argon2::password_hash::rand_core::{OsRng, RngCore};

/// Seconds in a step.
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
const DIGITS: u32 = 6;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A new secret: 160 random bits (RFC 4226's recommended length).
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The HOTP value of `counter` (RFC 4226 section 5.3), as six digits.
fn hotp(secret: &[u8], counter: u64) -> String {
    use hmac::{KeyInit, Mac};
    let Ok(mut mac) = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    format!("{:06}", binary % 10u32.pow(DIGITS))
}

/// The step a Unix time falls in.
pub fn step_at(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECONDS)
}

/// The code for a step.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    hotp(secret, u64::try_from(step).unwrap_or(0))
}

/// The step whose code `code` is, among the step of `unix` and the one on
/// either side (a phone's clock a little off): the caller keeps it, and
/// refuses any step not after the last one used, so that a code works once.
pub fn matching_step(secret: &[u8], code: &str, unix: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix);
    [now - 1, now, now + 1]
        .into_iter()
        .find(|&step| step >= 0 && crate::same_secret(&code_at_step(secret, step), &code))
}

/// The secret as authenticator apps take it typed: base32 (RFC 4648), no padding.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            let index = (bits >> (35 - i * 5)) & 0x1f;
            out.push(char::from(ALPHABET[usize::try_from(index).unwrap_or(0)]));
        }
    }
    out
}

/// The secret grouped by four, easier to copy by hand.
pub fn grouped(secret: &[u8]) -> String {
    let encoded = base32(secret);
    encoded
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` address apps read from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// The QR code of `text` as an SVG image (black on white, with its quiet
/// zone), or `None` if it does not fit in a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// The alphabet of recovery codes: Crockford's base32, lower-case (no i, l,
/// o, u, which read like 1, 0 and v).
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Ten new recovery codes (`xxxx-xxxx-xxxx`, 60 random bits each), to be
/// shown once; keep their [`recovery_hash`].
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 12];
            OsRng.fill_bytes(&mut bytes);
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b & 0x1f)]))
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed, normalised: lower case, without spaces or
/// dashes, the letters that look like digits read as them.
pub fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            c => c,
        })
        .collect()
}

/// What the database keeps of a recovery code: the SHA-256 of its
/// normalised form (60 random bits: no dictionary to try).
pub fn recovery_hash(code: &str) -> String {
    crate::token_hash(&normalise_recovery(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (the key is "12345678901234567890"; the
    /// RFC's eight digits, of which apps show the last six).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(
                code_at_step(secret, step_at(time)),
                eight[2..],
                "T = {time}"
            );
        }
    }

    /// RFC 4226 appendix D: HOTP for counters 0 to 9.
    #[test]
    fn rfc_4226_test_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(b"12345678901234567890", counter as u64), *code);
        }
    }

    #[test]
    fn a_code_matches_its_step_and_the_neighbours_only() {
        let secret = new_secret();
        let now = 1_700_000_015;
        let code = code_at_step(&secret, step_at(now));
        assert_eq!(matching_step(&secret, &code, now), Some(step_at(now)));
        assert_eq!(
            matching_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now),
            Some(step_at(now))
        );
        assert_eq!(matching_step(&secret, &code, now + 30), Some(step_at(now)));
        assert_eq!(matching_step(&secret, &code, now - 30), Some(step_at(now)));
        assert_eq!(
            matching_step(&secret, &code, now + 60),
            None,
            "two steps later"
        );
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        assert_eq!(matching_step(&new_secret(), &code, now), None);
    }

    #[test]
    fn base32_follows_rfc_4648() {
        for (input, output) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(input.as_bytes()), output);
        }
        assert_eq!(base32(&new_secret()).len(), 32);
    }

    #[test]
    fn the_qr_code_is_an_svg_of_the_address() {
        let secret = new_secret();
        let uri = otpauth_uri("Passerelle Roubaix", "julia@ville-roubaix.fr", &secret);
        assert!(
            uri.starts_with("otpauth://totp/Passerelle%20Roubaix:julia@ville-roubaix.fr?secret="),
            "{uri}"
        );
        assert!(uri.contains(&base32(&secret)));
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_read_leniently() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        for c in &codes {
            assert_eq!(c.len(), 14, "{c}");
            assert_eq!(
                recovery_hash(c),
                recovery_hash(&c.to_uppercase().replace('-', " "))
            );
        }
        assert_eq!(normalise_recovery("IlO0-ab"), "1100ab");
        assert_ne!(recovery_hash(&codes[0]), recovery_hash(&codes[1]));
    }
}
