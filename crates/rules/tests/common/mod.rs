//! What the engine's property tests share.

use proptest::prelude::ProptestConfig;

/// `cases` runs (or `PROPTEST_CASES`), and no failure files written into the source tree.
pub fn cfg(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
