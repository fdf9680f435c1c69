//! `cargo bench -p keyline-rules`: parse + evaluate of a generated 100,000-statement workload
//! (the quiet path `keyline check` runs), and the full report of a 10,000-statement one.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use keyline_rules::{check, generate, Program, Report};
use std::hint::black_box;

fn engine(c: &mut Criterion) {
    let big = generate::workload(100_000);
    let statements = Program::parse(&big).statement_count() as u64;
    let mut g = c.benchmark_group("check");
    g.throughput(Throughput::Elements(statements));
    g.sample_size(20);
    g.bench_function("parse+evaluate 100k statements", |b| {
        b.iter(|| check(&Program::parse(black_box(&big))))
    });
    g.finish();

    let small = generate::workload(10_000);
    let statements = Program::parse(&small).statement_count() as u64;
    let mut g = c.benchmark_group("report");
    g.throughput(Throughput::Elements(statements));
    g.sample_size(10);
    g.bench_function("full report 10k statements", |b| {
        b.iter(|| Report::build(&Program::parse(black_box(&small))))
    });
    g.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
