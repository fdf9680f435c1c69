#![forbid(unsafe_code)]
fn main() {
    let r = keyline_rules::evaluate("");
    println!("{} passed, {} failed", r.passed, r.failed);
}
