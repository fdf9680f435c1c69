//! Gzip sizes of the release bundle in `dist/`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

/// The raw and gzip (level 9) sizes of every `.wasm`, `.js` and `.css` file in `dist`, and
/// their total, as a printable table.
pub fn bundle_sizes(dist: &Path) -> io::Result<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let counted = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| matches!(ext, "wasm" | "js" | "css"));
        if counted && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no .wasm, .js or .css files in it",
        ));
    }

    let mut table = String::from("bundle sizes (gzip -9):\n");
    let (mut raw_total, mut gzip_total) = (0, 0);
    for path in &files {
        let bytes = std::fs::read(path)?;
        let gzip = gzip_len(&bytes)?;
        raw_total += bytes.len();
        gzip_total += gzip;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let _ = writeln!(table, "{}", row(&name, bytes.len(), gzip));
    }
    let _ = writeln!(table, "{}", row("total", raw_total, gzip_total));
    Ok(table)
}

pub fn gzip_len(bytes: &[u8]) -> io::Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn row(name: &str, raw: usize, gzip: usize) -> String {
    format!(
        "  {name:<24} {raw:>9} B raw  {gzip:>9} B gzip ({})",
        kib(gzip)
    )
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let input = vec![b'a'; 10_000];
        let len = gzip_len(&input).unwrap_or(usize::MAX);
        assert!(len < 100, "{len}");
    }

    #[test]
    fn kib_has_one_decimal() {
        assert_eq!(kib(1536), "1.5 KiB");
    }
}
