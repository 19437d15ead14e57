#![doc = include_str!("../README.md")]

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub mod totp;

/// The shortest password accepted for everyone (ANSSI's MonServiceSécurisé,
/// CNIL deliberation 2022-100).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The shortest password accepted for an administrator (of the instance or
/// of a cité).
pub const MIN_ADMIN_PASSWORD_CHARS: usize = 16;
/// The longest password accepted (argon2 takes any, but a limit keeps a
/// sign-in form from being a way to make the server hash megabytes).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Whose password is checked: administrators need a longer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// Everyone else.
    Everyone,
    /// An administrator of the instance or of a cité.
    Administrator,
}

impl Strength {
    /// The shortest password accepted.
    pub fn min_chars(self) -> usize {
        match self {
            Strength::Everyone => MIN_PASSWORD_CHARS,
            Strength::Administrator => MIN_ADMIN_PASSWORD_CHARS,
        }
    }
}

/// Why a password is refused (messages in French: users read them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("le mot de passe doit compter au moins {0} caractères")]
    TooShort(usize),
    #[error("le mot de passe ne peut pas dépasser {MAX_PASSWORD_CHARS} caractères")]
    TooLong,
    #[error("le mot de passe ne peut pas contenir l'adresse électronique")]
    ContainsEmail,
    #[error(
        "ce mot de passe figure parmi les plus répandus (ceux que l'on essaie en premier) : choisissez-en un autre, par exemple une phrase de plusieurs mots"
    )]
    Common,
    #[error("le mot de passe n'a pas pu être chiffré")]
    Hashing,
}

/// The common passwords of 12 characters or more, lower-cased and sorted
/// (see `data/README.md` for where they come from).
const COMMON: &str = include_str!("../data/common-passwords.txt");

/// Whether `password`, whatever its case, is one of the common passwords.
pub fn is_common(password: &str) -> bool {
    static LIST: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| COMMON.lines().collect());
    let lowered = password.to_lowercase();
    LIST.binary_search(&lowered.as_str()).is_ok()
}

/// The policy: a length (12, or 16 for administrators, up to 128), not the
/// email's local part, not a common password. No rule on the kinds of
/// characters, and no expiry (ANSSI, CNIL, OWASP ASVS 6.2).
pub fn check_password(
    password: &str,
    email: &str,
    strength: Strength,
) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < strength.min_chars() {
        return Err(PasswordError::TooShort(strength.min_chars()));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(PasswordError::ContainsEmail);
    }
    if is_common(password) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Checks the policy, then hashes with argon2id and a random salt.
pub fn hash_password(
    password: &str,
    email: &str,
    strength: Strength,
) -> Result<String, PasswordError> {
    check_password(password, email, strength)?;
    let salt = SaltString::generate(&mut OsRng);
    argon2id()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

/// True when `password` matches the stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|h| argon2id().verify_password(password.as_bytes(), &h).is_ok())
}

/// A new random secret (256 bits, hex): session and CSRF tokens.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps of a session token: its SHA-256, so that a copy of
/// the database does not let anyone sign in as someone else.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(token.as_bytes()))
}

/// A token that proves it was made by a server holding `key`: a random
/// part and its HMAC-SHA256 under the key (`{random}.{mac}`). A token
/// planted in a browser by someone without the key (a cookie set from a
/// sibling subdomain) fails [`signed_by`].
pub fn signed_token(key: &[u8]) -> String {
    let random = new_token();
    let mac = mac(key, &random);
    format!("{random}.{mac}")
}

/// Whether `token` was made by [`signed_token`] with this `key`.
pub fn signed_by(key: &[u8], token: &str) -> bool {
    token
        .split_once('.')
        .is_some_and(|(random, sent)| random.len() == 64 && same_secret(&mac(key, random), sent))
}

fn mac(key: &[u8], message: &str) -> String {
    use hmac::{KeyInit, Mac};
    // HMAC takes a key of any length.
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Compares two secrets in constant time (for CSRF tokens).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_is_recognised_by_its_key_only() {
        let token = signed_token(b"cle-du-serveur");
        assert!(signed_by(b"cle-du-serveur", &token));
        assert!(!signed_by(b"une-autre-cle", &token));
        let (random, _) = token.split_once('.').unwrap();
        assert!(!signed_by(b"cle-du-serveur", random));
        assert!(!signed_by(
            b"cle-du-serveur",
            &format!("{random}.{}", "0".repeat(64))
        ));
        assert!(!signed_by(b"cle-du-serveur", &new_token()));
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_password(
            "cheval-correct-agrafe",
            "julia@ville.fr",
            Strength::Everyone,
        )
        .unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("cheval-correct-agrafe", &h));
        assert!(!verify_password("cheval-correct-agrafE", &h));
        assert!(!verify_password("x", "pas un hash"));
        let again = hash_password(
            "cheval-correct-agrafe",
            "julia@ville.fr",
            Strength::Everyone,
        )
        .unwrap();
        assert_ne!(h, again, "a fresh salt each time");
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret(&a, "x"));
    }

    #[test]
    fn the_policy_refuses_short_long_obvious_and_common_passwords() {
        let everyone = Strength::Everyone;
        let admin = Strength::Administrator;
        assert_eq!(
            hash_password("court", "a@b.fr", everyone),
            Err(PasswordError::TooShort(12))
        );
        assert_eq!(
            check_password("jcamus-2024-roubaix", "jcamus@ville-roubaix.fr", everyone),
            Err(PasswordError::ContainsEmail)
        );
        // 14 characters: enough for everyone, not for an administrator.
        assert_eq!(check_password("pont-du-canal1", "a@b.fr", everyone), Ok(()));
        assert_eq!(
            check_password("pont-du-canal1", "a@b.fr", admin),
            Err(PasswordError::TooShort(16))
        );
        assert_eq!(
            check_password("pont-du-canal-de-roubaix", "a@b.fr", admin),
            Ok(())
        );
        assert_eq!(
            check_password(&"a".repeat(129), "a@b.fr", everyone),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            check_password(&"ab-".repeat(42), "a@b.fr", everyone),
            Ok(())
        );
        // From the embedded list, whatever the case; no composition rule
        // makes a common one pass.
        for common in [
            "qwertyuiopasdfghjkl",
            "1qaz2wsx3edc",
            "Qwerty123456",
            "MOTHERFUCKER",
        ] {
            assert_eq!(
                check_password(common, "a@b.fr", everyone),
                Err(PasswordError::Common),
                "{common}"
            );
        }
        assert!(!is_common("pont-du-canal-de-roubaix"));
    }
}
