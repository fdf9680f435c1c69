//! Prints a generated workload scenario: `cargo run --example workload -- 100000 > big.kl`.
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    print!("{}", keyline_rules::generate::workload(n));
}
