//! `grassroots bench log`: the transparency log at size: appends per second (against a raw
//! loop inserting the same leaf rows without the tree, same batching), inclusion and
//! consistency proof times at that size (O(log n) stored-hash reads each), and the time to
//! verify a proof. `bench public-page --page /public/disclosures/1` measures the disclosure
//! page under load.

use crate::CmdResult;
use app::{App, PersonalCipher};
use domain::transparency::merkle;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const BATCH: u64 = 1000;

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

pub async fn run(entries: u64, scratch: Option<&Path>, keep: bool, json: bool) -> CmdResult {
    let file = crate::bench::scratch_file(scratch, "log");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let app = App::open(
        &format!("sqlite://{}", file.display()),
        PersonalCipher::new([5; 32]),
    )
    .await?;
    let leaf = |i: u64| {
        format!(
            "{{\"v\":1,\"kind\":\"bench\",\"i\":{i},\"pad\":\"{}\"}}",
            "x".repeat(200)
        )
    };
    // The raw loop: the same leaf rows, no tree, in the same batches.
    let raw_n = entries.min(200_000);
    let t = Instant::now();
    let mut i = 0;
    while i < raw_n {
        let mut tx = app.db.begin().await?;
        for j in i..(i + BATCH).min(raw_n) {
            sqlx::query("INSERT INTO log_entries (idx, kind, unit_code, ref_id, leaf, created_at) VALUES ($1, 'raw', '', NULL, $2, '')")
                .bind(-(j as i64) - 1)
                .bind(leaf(j))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        i += BATCH;
    }
    let raw_per_s = raw_n as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut i = 0;
    while i < entries {
        let mut tx = app.db.begin().await?;
        for j in i..(i + BATCH).min(entries) {
            app::transparency::append(&mut tx, "bench", "", None, &leaf(j)).await?;
        }
        tx.commit().await?;
        i += BATCH;
        if !json && i % 100_000 == 0 {
            eprintln!("  {i} entries …");
        }
    }
    let append_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let note = app::transparency::checkpoint(&app).await?;
    let checkpoint_ms = t.elapsed().as_secs_f64() * 1000.0;
    let size = entries;
    let root_b64 = note.lines().nth(2).unwrap_or_default().to_string();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let (mut incl, mut verify, mut cons) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..1000 {
        let index = next(size);
        let t = Instant::now();
        let proof = app::transparency::inclusion(&app, index, size).await?;
        incl.push(t.elapsed().as_secs_f64() * 1000.0);
        let e = app::transparency::entry(&app, index).await?;
        let t = Instant::now();
        let root =
            merkle::root_from_inclusion(index, size, &merkle::leaf_hash(e.leaf.as_bytes()), &proof)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        verify.push(t.elapsed().as_secs_f64() * 1000.0);
        use base64::Engine;
        anyhow::ensure!(
            base64::engine::general_purpose::STANDARD.encode(root) == root_b64,
            "proof {index} does not lead to the root"
        );
    }
    for _ in 0..200 {
        let from = next(size - 1) + 1;
        let t = Instant::now();
        app::transparency::consistency(&app, from, size).await?;
        cons.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let per_s = entries as f64 / append_s;
    let out = serde_json::json!({
        "entries": entries,
        "append_s": append_s,
        "append_per_s": per_s,
        "raw_rows_per_s": raw_per_s,
        "ratio_to_raw": per_s / raw_per_s,
        "checkpoint_ms": checkpoint_ms,
        "inclusion_ms": {"p50": pct(&mut incl, 0.5), "p99": pct(&mut incl, 0.99)},
        "consistency_ms": {"p50": pct(&mut cons, 0.5), "p99": pct(&mut cons, 0.99)},
        "verify_ms": {"p50": pct(&mut verify, 0.5), "p99": pct(&mut verify, 0.99)},
        "loadavg": load.trim(),
    });
    if json {
        println!("{out}");
    } else {
        println!(
            "transparency log, {entries} entries (SQLite, batches of {BATCH}), load {}",
            load.trim()
        );
        println!("  append: {per_s:.0} entries/s ({append_s:.1} s); raw leaf rows without the tree: {raw_per_s:.0}/s; ratio {:.2}", per_s / raw_per_s);
        println!("  checkpoint: {checkpoint_ms:.1} ms");
        println!(
            "  inclusion proof: p50 {:.3} ms, p99 {:.3} ms",
            out["inclusion_ms"]["p50"], out["inclusion_ms"]["p99"]
        );
        println!(
            "  consistency proof: p50 {:.3} ms, p99 {:.3} ms",
            out["consistency_ms"]["p50"], out["consistency_ms"]["p99"]
        );
        println!(
            "  verify an inclusion proof: p50 {:.4} ms",
            out["verify_ms"]["p50"]
        );
    }
    if keep {
        eprintln!("kept {}", file.display());
    } else {
        crate::bench::cleanup(&file);
    }
    Ok(ExitCode::SUCCESS)
}
