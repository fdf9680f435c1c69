//! Adding up `cargo test` results.

/// Tests passed and failed, over any number of test binaries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub passed: u64,
    pub failed: u64,
}

impl Totals {
    pub fn add(&mut self, other: Totals) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// The one-line summary: `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// Reads a libtest summary line such as
/// `test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s`.
pub fn parse_test_result(line: &str) -> Option<Totals> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let (mut passed, mut failed) = (None, None);
    for part in rest.split([';', '.']) {
        let mut words = part.split_whitespace();
        let (Some(count), Some(what), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let Ok(count) = count.parse::<u64>() else {
            continue;
        };
        match what {
            "passed" => passed = Some(count),
            "failed" => failed = Some(count),
            _ => {}
        }
    }
    Some(Totals {
        passed: passed?,
        failed: failed?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_ok_line() {
        let line = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.31s\n";
        assert_eq!(
            parse_test_result(line),
            Some(Totals {
                passed: 12,
                failed: 0
            })
        );
    }

    #[test]
    fn reads_a_failed_line() {
        let line = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        assert_eq!(
            parse_test_result(line),
            Some(Totals {
                passed: 3,
                failed: 2
            })
        );
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(parse_test_result("test parses ... ok"), None);
        assert_eq!(parse_test_result("running 3 tests"), None);
        assert_eq!(parse_test_result("test result: garbled"), None);
    }

    #[test]
    fn adds_up_and_summarises() {
        let mut totals = Totals::default();
        totals.add(Totals {
            passed: 2,
            failed: 0,
        });
        totals.add(Totals {
            passed: 5,
            failed: 1,
        });
        assert_eq!(totals.summary(), "7 passed, 1 failed");
    }
}
