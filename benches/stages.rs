//! Per-stage throughput under criterion: `cargo bench --bench stages`.
//!
//! Each stage runs on every Markdown letter of the sample corpus (and of
//! `../shared/real-letters` when it is beside the checkout, which the output says) and
//! reports MB of text per second. `scripts/bench.sh` prints the same figures quickly, with
//! the other goals of the performance issue, through `examples/stages.rs`.

use byrde::classify::classify;
use byrde::ingest::{self, RawDoc};
use byrde::measure::measure;
use byrde::rules::RuleSet;
use byrde::{layout, meta, segment};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn letters() -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("corpus")];
    let real = root.join("../shared/real-letters");
    if real.is_dir() {
        eprintln!("stages: with the real letters in {}", real.display());
        dirs.push(real);
    } else {
        eprintln!("stages: no ../shared/real-letters: sample corpus only");
    }
    let collected = byrde::corpus::collect_paths(&dirs);
    collected
        .files
        .into_iter()
        .chain(collected.twins.into_iter().map(|(text, _pdf)| text))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

fn stages(c: &mut Criterion) {
    let files = letters();
    let rules = RuleSet::defaults().expect("default rules");
    let raws: Vec<RawDoc> = files
        .iter()
        .filter_map(|(p, b)| ingest::read_bytes(p, b).ok())
        .collect();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let paras: Vec<_> = raws.iter().map(layout::layout).collect();
    let docs: Vec<_> = paras.iter().cloned().map(segment::segment).collect();
    let metas: Vec<_> = docs
        .iter()
        .zip(&raws)
        .map(|(d, r)| meta::detect(d, &r.path))
        .collect();
    let classified: Vec<_> = docs
        .iter()
        .zip(&metas)
        .map(|(d, m)| classify(d, m, &rules))
        .collect();

    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("ingest", |b| {
        b.iter(|| {
            for (p, bytes) in &files {
                let _ = black_box(ingest::read_bytes(p, bytes));
            }
        })
    });
    g.bench_function("layout", |b| {
        b.iter(|| {
            for r in &raws {
                black_box(layout::layout(r));
            }
        })
    });
    g.bench_function("segment", |b| {
        b.iter(|| {
            for p in &paras {
                black_box(segment::segment(p.clone()));
            }
        })
    });
    g.bench_function("meta", |b| {
        b.iter(|| {
            for (d, r) in docs.iter().zip(&raws) {
                black_box(meta::detect(d, &r.path));
            }
        })
    });
    g.bench_function("classify", |b| {
        b.iter(|| {
            for (d, m) in docs.iter().zip(&metas) {
                black_box(classify(d, m, &rules));
            }
        })
    });
    g.bench_function("measure", |b| {
        b.iter(|| {
            for (cl, d) in classified.iter().zip(&docs) {
                black_box(measure(&cl.items, &cl.excluded, d.word_count()));
            }
        })
    });
    g.bench_function("text to items", |b| {
        b.iter(|| {
            for r in &raws {
                let doc = segment::segment(layout::layout(r));
                let m = meta::detect(&doc, &r.path);
                let cl = classify(&doc, &m, &rules);
                black_box(measure(&cl.items, &cl.excluded, doc.word_count()));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = stages
}
criterion_main!(benches);
