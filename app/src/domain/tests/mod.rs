//! Domain tests: table tests with hand-computed values (`table`), invariants (`props`),
//! golden explanation snapshots (`golden`), i18n key completeness (`keys`) and the worked
//! examples of `docs/scoring.md` (`docs`), and a fuzz of the scoring input (`fuzz`).

mod docs;
mod fuzz;
mod golden;
mod helpers;
mod keys;
mod props;
mod table;
