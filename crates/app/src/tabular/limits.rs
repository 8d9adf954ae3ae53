//! What an import file may be, checked before anything is parsed: a spreadsheet is a zip of XML,
//! and a few hundred hostile bytes can claim gigabytes (a cell at XFD1048576, a shared-string
//! table "of" 10^18 entries, a highly compressible entry). See docs/import-formats.md.

use serde::{Deserialize, Serialize};

/// Bounds of one import file. `Limits::default()` is what the server and the CLI use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Size of the file as uploaded.
    pub max_file_bytes: usize,
    /// XLSX: sum of the entries' declared decompressed sizes.
    pub max_unpacked_bytes: u64,
    /// XLSX: entries in the zip.
    pub max_entries: usize,
    /// XLSX: decompressed/compressed size of an entry (of entries above 1 MB decompressed).
    pub max_ratio: u64,
    /// Data rows (the header not counted).
    pub max_rows: usize,
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// XLSX: entries the shared-string table may claim or hold.
    pub max_shared_strings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_unpacked_bytes: 256 * 1024 * 1024,
            max_entries: 1_000,
            max_ratio: 200,
            max_rows: 300_000,
            max_columns: 100,
            max_cell_chars: 2_000,
            max_shared_strings: 5_000_000,
        }
    }
}

impl Limits {
    /// The national division lists (`villages.csv` has ~700,000 rows) are larger than any
    /// village's file; only the CLI reads them.
    pub fn divisions() -> Limits {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_rows: 5_000_000,
            ..Limits::default()
        }
    }
}

/// Below this an entry's compression ratio is not questioned (a 1 KB sheet of one repeated
/// style compresses 50:1 legitimately).
pub(crate) const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;
