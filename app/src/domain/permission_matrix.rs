//! The permission matrix file (`docs/permission-matrix.csv`): for each role held over a unit,
//! each scope of the record touched and each action, what must happen. The access rules are
//! tested against it twice: [`super::access::decide`] in a unit test, and every cell through
//! the real HTTP endpoints in `server/tests/permission_matrix.rs`.

use super::access::{Action, Role};

/// Where the record touched lies, seen from the holder of a grant over a unit U.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// The holder's own record (the holder is an official of U).
    Own,
    /// Another official of U.
    SameUnit,
    /// An official of a unit under U.
    SubUnit,
    /// An official of a sibling of U in the same province.
    OtherUnit,
    /// An official of another province.
    OtherProvince,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Own,
        Scope::SameUnit,
        Scope::SubUnit,
        Scope::OtherUnit,
        Scope::OtherProvince,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::SameUnit => "same_unit",
            Scope::SubUnit => "sub_unit",
            Scope::OtherUnit => "other_unit",
            Scope::OtherProvince => "other_province",
        }
    }
}

/// What a cell expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The action is carried out.
    Allow,
    /// Refused: the caller is signed in but may not.
    Deny,
    /// Refused: nobody is signed in.
    SignIn,
}

/// One cell: `role` (`None` = nobody signed in) × `scope` × `action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub role: Option<Role>,
    pub scope: Scope,
    pub action: Action,
    pub expect: Expect,
}

impl Cell {
    /// `role/scope/action`, e.g. `reviewer/sub_unit/score`.
    pub fn name(&self) -> String {
        format!(
            "{}/{}/{}",
            self.role.map_or("anonymous", Role::code),
            self.scope.code(),
            self.action.code()
        )
    }
}

/// The cells of a matrix file. Lines starting with `#` are comments; the first other line is
/// the header `role,scope,<action>,…`. An unknown role, scope, action or expectation, a short
/// row or a repeated (role, scope) is an error naming the line.
pub fn parse(text: &str) -> Result<Vec<Cell>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
    let (header_no, header) = lines.next().ok_or("the matrix has no header")?;
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.len() < 3 || columns[..2] != ["role", "scope"] {
        return Err(format!(
            "line {header_no}: the header starts with role,scope"
        ));
    }
    let actions = columns[2..]
        .iter()
        .map(|code| {
            Action::from_code(code).ok_or(format!("line {header_no}: unknown action {code}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut cells = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (no, line) in lines {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != columns.len() {
            return Err(format!(
                "line {no}: {} fields, expected {}",
                fields.len(),
                columns.len()
            ));
        }
        let role = match fields[0] {
            "anonymous" => None,
            code => Some(Role::from_code(code).ok_or(format!("line {no}: unknown role {code}"))?),
        };
        let scope = Scope::ALL
            .into_iter()
            .find(|s| s.code() == fields[1])
            .ok_or(format!("line {no}: unknown scope {}", fields[1]))?;
        if !seen.insert((role, scope)) {
            return Err(format!("line {no}: {} repeats", fields[..2].join(",")));
        }
        for (action, value) in actions.iter().zip(&fields[2..]) {
            let expect = match *value {
                "allow" => Expect::Allow,
                "deny" => Expect::Deny,
                "signin" => Expect::SignIn,
                other => return Err(format!("line {no}: unknown expectation {other}")),
            };
            cells.push(Cell {
                role,
                scope,
                action: *action,
                expect,
            });
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::{Grant, Principal, Target, decide};

    const FILE: &str = include_str!("../../../docs/permission-matrix.csv");

    #[test]
    fn the_file_covers_every_role_scope_and_matrix_action() {
        let cells = parse(FILE).expect("the matrix parses");
        // Reading the audit trail has its own tests (it is not about one record).
        let actions = Action::ALL.into_iter().filter(|a| *a != Action::Audit);
        for role in Role::ALL {
            for scope in Scope::ALL {
                for action in actions.clone() {
                    let found = cells
                        .iter()
                        .filter(|c| c.role == Some(role) && c.scope == scope && c.action == action)
                        .count();
                    assert_eq!(
                        found,
                        1,
                        "{}/{}/{}",
                        role.code(),
                        scope.code(),
                        action.code()
                    );
                }
            }
        }
        assert!(
            cells
                .iter()
                .filter(|c| c.role.is_none())
                .all(|c| c.expect == Expect::SignIn),
            "nobody signed in may do nothing"
        );
    }

    #[test]
    fn bad_files_are_refused_with_the_line() {
        let head = "role,scope,read\n";
        assert_eq!(
            parse(&format!("{head}official,own,maybe")),
            Err("line 2: unknown expectation maybe".into())
        );
        assert_eq!(
            parse(&format!("{head}official,own,allow\nofficial,own,deny")),
            Err("line 3: official,own repeats".into())
        );
        assert_eq!(
            parse(&format!("{head}clerk,own,allow")),
            Err("line 2: unknown role clerk".into())
        );
        assert_eq!(
            parse("role,scope,fly\n"),
            Err("line 1: unknown action fly".into())
        );
        assert_eq!(
            parse(&format!("{head}official,own")),
            Err("line 2: 2 fields, expected 3".into())
        );
    }

    /// The tree of the HTTP test: 1 province → 2 unit U → 3 sub-unit; 1 → 4 sibling; 9 → 10
    /// another province's unit. The holder of each role is official 100 + its index, in U;
    /// the record of each other scope belongs to an official assigned to the reviewer holder.
    #[test]
    fn the_access_rules_give_what_the_matrix_says() {
        let reviewer = 100 + Role::ALL.iter().position(|r| *r == Role::Reviewer).unwrap() as i64;
        let record = |holder: i64, scope: Scope| {
            let (unit_path, owner) = match scope {
                Scope::Own => (vec![2, 1], holder),
                Scope::SameUnit => (vec![2, 1], 201),
                Scope::SubUnit => (vec![3, 2, 1], 202),
                Scope::OtherUnit => (vec![4, 1], 203),
                Scope::OtherProvince => (vec![10, 9], 204),
            };
            let reviewer = (owner != reviewer).then_some(reviewer);
            Target {
                unit_path,
                owner: Some(owner),
                reviewer,
            }
        };
        for cell in parse(FILE).expect("the matrix parses") {
            let Some(role) = cell.role else { continue };
            let holder = 100 + Role::ALL.iter().position(|r| *r == role).unwrap() as i64;
            let principal = Principal {
                account_id: holder,
                official_id: Some(holder),
                grants: vec![Grant { role, unit_id: 2 }],
            };
            let mut target = record(holder, cell.scope);
            if cell.action == Action::Export {
                // A unit's list: the unit's own record, no owner.
                target.owner = None;
                target.reviewer = None;
            }
            let allowed = decide(&principal, cell.action, &target).is_some();
            assert_eq!(
                allowed,
                cell.expect == Expect::Allow,
                "{} says {:?}",
                cell.name(),
                cell.expect
            );
        }
    }
}
