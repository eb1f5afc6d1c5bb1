//! Text as people search it: lower case without diacritics (`Điền` → `dien`), the same in the
//! browser, the server and the stored search keys, and the `LIKE` pattern that finds it.

/// Folds Vietnamese text for matching: lower case, without diacritics.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The stored search key of a record: its searchable texts folded and joined by a space.
pub fn search_key(parts: &[&str]) -> String {
    fold(&parts.join(" "))
}

/// A `LIKE … ESCAPE '\'` pattern matching any key that contains the folded `query`; `None`
/// for a blank query (everything matches).
pub fn contains_pattern(query: &str) -> Option<String> {
    let needle = fold(query.trim());
    if needle.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

/// `next` when it is a path on this site — `/` followed by anything but a second `/` or `\`,
/// with no backslash, white space or control character anywhere (browsers drop tabs and
/// newlines, so `/\t/evil.example` would lead to another site) — the one check of every
/// redirect target taken from a request.
pub fn local_path(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let safe = !rest.starts_with('/')
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_whitespace() || c.is_control());
    safe.then_some(next)
}

/// A text cell as a spreadsheet should read it from an exported file: one that would start a
/// formula (`= + - @`, or a tab or carriage return before one) gets a leading `'`, unless it
/// is a number (`-3.5`). The one guard of every CSV this application writes.
pub fn spreadsheet_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `text` with its first letter in upper case (a message or a name standing as a line of its
/// own): `cán bộ "X" không tồn tại` → `Cán bộ "X" không tồn tại`.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_start_a_formula_are_disarmed_numbers_are_not() {
        assert_eq!(spreadsheet_text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(spreadsheet_text("@cmd"), "'@cmd");
        assert_eq!(spreadsheet_text("+84 234"), "'+84 234");
        assert_eq!(spreadsheet_text("\t=1"), "'\t=1");
        assert_eq!(spreadsheet_text("-3.5"), "-3.5");
        assert_eq!(spreadsheet_text("Phường An Cựu"), "Phường An Cựu");
    }

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(fold("Phường An Cựu"), "phuong an cuu");
        assert_eq!(fold("ĐIỀN"), "dien");
        assert_eq!(
            search_key(&["Nguyễn Văn A", "HUE-001"]),
            "nguyen van a hue-001"
        );
    }

    #[test]
    fn only_paths_on_this_site_are_redirect_targets() {
        for good in ["/", "/officials", "/officials/3?q=an+cuu", "/audit#top"] {
            assert_eq!(local_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "officials",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "/a\\b",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_pattern_escapes_the_wildcards_it_contains() {
        assert_eq!(contains_pattern("  "), None);
        assert_eq!(contains_pattern("An Cựu").as_deref(), Some("%an cuu%"));
        assert_eq!(
            contains_pattern("50%_a\\").as_deref(),
            Some("%50\\%\\_a\\\\%")
        );
    }
}
