//! One module per route; route components end in `Page`.

pub mod home;
pub mod not_found;
