//! Embeds every rule pack in `rules/` into the binary, so womlint works with no files around
//! it, and a new built-in pack is a new YAML file with no Rust to write.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let rules = Path::new(&manifest).join("rules");
    let mut packs: Vec<_> = fs::read_dir(&rules)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    // The core pack comes first: its vocabulary is what other packs fall back on.
    packs.sort_by_key(|p| (p.file_name().is_none_or(|n| n != "womma.yaml"), p.clone()));
    let mut code = String::from(
        "/// The built-in packs: file name and YAML text.\npub static BUILTIN_PACKS: &[(&str, &str)] = &[\n",
    );
    for path in &packs {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(code, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned())).join("builtin_packs.rs");
    if let Err(err) = fs::write(&out, code) {
        println!("cargo:warning=cannot write {}: {err}", out.display());
    }
}
