//! Believable Vietnamese personal names for demo and scale data, drawn from a seeded generator.

/// Common family names, most frequent first.
const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: [&str; 12] = [
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Anh", "Kim",
];
const GIVEN: [&str; 36] = [
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phong", "Phúc", "Quân", "Quỳnh",
    "Sơn", "Tâm", "Thảo", "Thành", "Thủy", "Trang", "Trung", "Tuấn", "Vy", "Yến", "Lộc", "Nhân",
];

/// A full name such as "Nguyễn Thị Lan".
pub fn full_name(rng: &mut fastrand::Rng) -> String {
    // The first five family names cover most of the population: draw them more often.
    let family = if rng.u8(0..10) < 7 {
        FAMILY[rng.usize(0..5)]
    } else {
        FAMILY[rng.usize(..FAMILY.len())]
    };
    format!(
        "{family} {} {}",
        MIDDLE[rng.usize(..MIDDLE.len())],
        GIVEN[rng.usize(..GIVEN.len())]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_three_words_and_reproducible() {
        let mut a = fastrand::Rng::with_seed(7);
        let mut b = fastrand::Rng::with_seed(7);
        let first = super::full_name(&mut a);
        assert_eq!(first, super::full_name(&mut b));
        assert_eq!(first.split(' ').count(), 3);
    }
}
