//! One helper for the vocabulary stored as text codes (levels, states, unit kinds …): a
//! [`code_enum!`](crate::code_enum) declares the enum with its codes, `ALL`, `code()` and
//! `from_code()`, so no code is spelled twice and no stored string is compared by hand.

/// Declares a fieldless enum whose variants are stored as the given text codes.
///
/// ```ignore
/// code_enum! {
///     /// Doc.
///     pub enum Colour { Red = "red", Blue = "blue" }
/// }
/// assert_eq!(Colour::from_code("red"), Some(Colour::Red));
/// ```
#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and sent over the wire.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value with this code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                $name::from_code(&code).ok_or_else(|| {
                    <D::Error as ::serde::de::Error>::unknown_variant(&code, &[$($code),+])
                })
            }
        }
    };
}
