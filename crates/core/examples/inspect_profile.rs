//! Where the time of the page's `inspect` goes, natively: the same facade path the wasm export
//! takes (a `Session` with the header request, only the ranges it asks for copied in, the
//! report written as JSON), over a folder of files, many times, for `perf` or `valgrind`.
//!
//! ```sh
//! cargo run --release -p dicom-leakcheck --example inspect_profile -- DIR [ROUNDS] [--deid]
//! perf record -g target/release/examples/inspect_profile DIR 50
//! ```
//!
//! Prints the median time per round of the core (session to report) and of writing the JSON,
//! the JSON's size, and the slowest files.

use dicom_leakcheck::{Key, Options, PixelWork, Request, Session, KEY_BYTES};
use std::time::{Duration, Instant};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .ok_or("usage: inspect_profile DIR [ROUNDS] [--deid]")?;
    let rounds: usize = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map_or(Ok(20), |r| r.parse().map_err(|e| format!("ROUNDS: {e}")))?;
    let deid = args.iter().any(|a| a == "--deid");
    let request = if deid {
        Request::deidentify(Options::basic(), Key::from_bytes([7; KEY_BYTES]))
    } else {
        Request::inspect(Options::basic()).with_pixels(PixelWork::HeaderRisk)
    };
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{dir}: {e}"))?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read(p).ok()?,
            ))
        })
        .collect();
    let mut per_file = vec![Vec::new(); files.len()];
    let (mut core_rounds, mut json_rounds) = (Vec::new(), Vec::new());
    let mut json_bytes = 0;
    for _ in 0..rounds {
        let (mut core, mut json) = (Duration::ZERO, Duration::ZERO);
        json_bytes = 0;
        for (i, (_, bytes)) in files.iter().enumerate() {
            let t0 = Instant::now();
            let outcome = run(&request, bytes);
            let t1 = Instant::now();
            let text = outcome
                .map(|o| serde_json::to_string(&o.report).unwrap_or_default())
                .unwrap_or_default();
            let t2 = Instant::now();
            json_bytes += text.len();
            core += t1 - t0;
            json += t2 - t1;
            per_file[i].push(t2 - t0);
        }
        core_rounds.push(core);
        json_rounds.push(json);
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "{} files, {} rounds: core {:.2} ms, JSON {:.2} ms ({:.1} MB) per round (median)",
        files.len(),
        rounds,
        median(core_rounds).as_secs_f64() * 1e3,
        median(json_rounds).as_secs_f64() * 1e3,
        json_bytes as f64 / 1e6
    );
    let mut slowest: Vec<(Duration, &str)> = per_file
        .into_iter()
        .zip(&files)
        .map(|(t, (name, _))| (median(t), name.as_str()))
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (t, name) in slowest.iter().take(8) {
        println!("{:8.3} ms  {name}", t.as_secs_f64() * 1e3);
    }
    Ok(())
}

/// The wasm layer's loop: copy in only what the session asks for.
fn run(request: &Request, file: &[u8]) -> Result<dicom_leakcheck::Outcome, dicom_leakcheck::Error> {
    let mut session = Session::new(request.clone(), file.len() as u64);
    loop {
        let ranges = session.need();
        if ranges.is_empty() {
            return session.finish();
        }
        for range in ranges {
            session.give(
                range.start,
                file[range.start as usize..range.end as usize].to_vec(),
            )?;
        }
    }
}
