#![doc = include_str!("../README.md")]

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why a password is refused (messages in French: users read them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères")]
    TooShort,
    #[error("le mot de passe ne peut pas contenir l'adresse électronique")]
    ContainsEmail,
    #[error("le mot de passe n'a pas pu être chiffré")]
    Hashing,
}

fn argon2id() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Checks the policy, then hashes with argon2id and a random salt.
pub fn hash_password(password: &str, email: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(PasswordError::ContainsEmail);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_password("cheval-correct-agrafe", "julia@ville.fr").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_password("cheval-correct-agrafe", &h));
        assert!(!verify_password("cheval-correct-agrafE", &h));
        assert!(!verify_password("x", "pas un hash"));
        let again = hash_password("cheval-correct-agrafe", "julia@ville.fr").unwrap();
        assert_ne!(h, again, "a fresh salt each time");
    }

    #[test]
    fn the_policy_refuses_short_and_obvious_passwords() {
        assert_eq!(
            hash_password("court", "a@b.fr"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            hash_password("jcamus-2024-roubaix", "jcamus@ville-roubaix.fr"),
            Err(PasswordError::ContainsEmail)
        );
    }
}
