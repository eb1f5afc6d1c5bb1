//! Password hashing with Argon2id (PHC strings), and the password rules.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

pub use crate::ssr::state::Cost;

/// The Argon2id hasher of a cost.
fn hasher(cost: Cost) -> Result<Argon2<'static>, AppError> {
    let (memory_kib, passes) = match cost {
        Cost::Owasp => (19 * 1024, 2),
        Cost::TestOnly => (8, 1),
    };
    let params = Params::new(memory_kib, passes, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The shortest password accepted (NIST SP 800-63B and ASVS 5.0 V6.2 ask for at least 8).
pub const MIN_LENGTH: usize = 12;
/// The longest password accepted (characters).
pub const MAX_LENGTH: usize = 128;

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str, cost: Cost) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher(cost)?
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

/// The stored hash of an account without a password: not a PHC string, so nothing verifies.
pub const NONE: &str = "!";

/// Whether `password` matches the stored PHC string (its own parameters are used).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of no account's password, made with the parameters [`hash`] uses at `cost` (a
/// test checks they stay the same), so that verifying against it takes as long as verifying
/// a real account's password.
fn unused_hash(cost: Cost) -> &'static str {
    match cost {
        Cost::Owasp => {
            "$argon2id$v=19$m=19456,t=2,p=1$q/HYE6Kbf9/afCtf17ukxg$miPjkENI34JCWLrRAsKROhYvvxVGSIprCV8HXQPTlqY"
        }
        Cost::TestOnly => {
            "$argon2id$v=19$m=8,t=1,p=1$UaF+foyyHVIHBF3JYwJUzg$zWg0X+AOaPVFAYumXNLkOFmAItdvp4sDyIqsB6eavIg"
        }
    }
}

/// Spends the time of one verification, and only that, when there is no account to check, so
/// that response times do not reveal which usernames exist. (It used to hash a password first,
/// then verify: twice the time of a wrong password for a real account.)
pub fn verify_nothing(password: &str, cost: Cost) {
    let _ = verify(password, unused_hash(cost));
}

/// Words of this application and its users that make a password easy to guess when they
/// are all its letters (with digits and symbols around them): `thuocdo2026!` is refused.
pub const CONTEXT_WORDS: [&str; 12] = [
    "thuocdo",
    "matkhau",
    "password",
    "admin",
    "quantri",
    "hue",
    "thuathienhue",
    "ubnd",
    "canbo",
    "congchuc",
    "noivu",
    "qwerty",
];

/// Whether `password` is easy to guess: one character repeated, a run of the keyboard or of
/// the alphabet or digits, or, once digits and symbols are taken away, nothing but the
/// username or one of the [`CONTEXT_WORDS`].
pub fn guessable(password: &str, username: &str) -> bool {
    let plain: String = password
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let letters: String = plain.chars().filter(char::is_ascii_alphabetic).collect();
    let first = plain.chars().next();
    let runs = [
        "01234567890123456789012345678901234567890",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
        "09876543210987654321098765432109876543210",
    ];
    if !password.is_ascii() {
        // Vietnamese words with diacritics are not in the lists; keep only the run checks.
        return plain.chars().all(|c| Some(c) == first) && plain.len() >= MIN_LENGTH;
    }
    plain.chars().all(|c| Some(c) == first)
        || runs.iter().any(|run| run.contains(plain.as_str()))
        || letters.is_empty()
        || letters == username.to_lowercase()
        || CONTEXT_WORDS.contains(&letters.as_str())
}

/// Checks a new password of `username` against the rules; the error names the field.
pub fn check_new(
    new: &str,
    confirm: &str,
    current: Option<&str>,
    username: &str,
) -> Result<(), AppError> {
    let invalid = |field: &str, message: &str| AppError::Invalid {
        field: field.into(),
        message: message.into(),
    };
    let length = new.chars().count();
    if length < MIN_LENGTH {
        return Err(invalid("new_password", "password_too_short"));
    }
    if length > MAX_LENGTH {
        return Err(invalid("new_password", "password_too_long"));
    }
    if guessable(new, username) {
        return Err(invalid("new_password", "password_guessable"));
    }
    if new != confirm {
        return Err(invalid("confirm_password", "password_mismatch"));
    }
    if current == Some(new) {
        return Err(invalid("new_password", "password_unchanged"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_is_argon2id() {
        let stored = hash("đúng mật khẩu 2026", Cost::TestOnly).expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$"));
        assert!(verify("đúng mật khẩu 2026", &stored));
        assert!(!verify("sai mật khẩu 2026", &stored));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn an_unknown_username_costs_one_verification_with_the_accounts_parameters() {
        for cost in [Cost::Owasp, Cost::TestOnly] {
            let real = hash("một mật khẩu thật 2026", cost).expect("hash");
            let real = PasswordHash::new(&real).expect("phc");
            let unused = PasswordHash::new(unused_hash(cost)).expect("phc");
            assert_eq!(unused.algorithm, real.algorithm);
            assert_eq!(unused.version, real.version);
            assert_eq!(unused.params, real.params);
            assert_eq!(unused.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
            assert!(verify("not-an-account-password", unused_hash(cost)));
        }
    }

    #[test]
    fn owasp_cost_uses_19_mib_and_two_passes() {
        let stored = hash("correct horse battery", Cost::Owasp).expect("hash");
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        let a = hash("same password here", Cost::TestOnly).expect("hash");
        let b = hash("same password here", Cost::TestOnly).expect("hash");
        assert_ne!(a, b);
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        let field = |r: Result<(), AppError>| match r {
            Err(AppError::Invalid { field, message }) => format!("{field}:{message}"),
            other => format!("{other:?}"),
        };
        assert_eq!(
            field(check_new("short", "short", None, "an")),
            "new_password:password_too_short"
        );
        assert_eq!(
            field(check_new("long enough pw", "long enough px", None, "an")),
            "confirm_password:password_mismatch"
        );
        assert_eq!(
            field(check_new(
                "long enough pw",
                "long enough pw",
                Some("long enough pw"),
                "an"
            )),
            "new_password:password_unchanged"
        );
        assert!(check_new("mật khẩu mới dài", "mật khẩu mới dài", Some("cũ"), "an").is_ok());
        assert_eq!(
            field(check_new("Thuocdo@2026!", "Thuocdo@2026!", None, "an")),
            "new_password:password_guessable"
        );
    }

    #[test]
    fn guessable_passwords_are_recognised() {
        for weak in [
            "123456789012",
            "aaaaaaaaaaaa",
            "qwertyuiop[]",
            "abcdefghijklm",
            "0987654321098",
            "2026-11-24!!!",
            "thuocdo2026!",
            "MatKhau@12345",
            "nguyenvan2026",
        ] {
            assert!(guessable(weak, "NguyenVan"), "{weak}");
        }
        for strong in [
            "demo-thuocdo-2026",
            "correct horse battery",
            "mật khẩu mới dài",
            "Hue mua thu 1975",
        ] {
            assert!(!guessable(strong, "nguyenvan"), "{strong}");
        }
    }
}
