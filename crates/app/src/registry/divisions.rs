//! Importing the `china-division` CSV layout (any subset of provinces/cities/areas/streets/
//! villages.csv). The national set is 665,276 units: each file is read row by row on a
//! blocking thread and each checked row goes straight into the import's one transaction in
//! multi-row INSERTs, so memory holds one file's bytes and a few thousand rows, never the set.
//! All or nothing: any problem rolls the transaction back and the problems come back as
//! file:row:column.

use crate::error::MAX_LISTED_ISSUES;
use crate::tabular::{self, cell_at, col, map_columns, Column, Limits, Row, RowStream};
use crate::{audit, Actor, App, AppError, ImportIssue, Result};
use domain::access::Permission;
use domain::message::catalogue as msg;
use domain::registry::{Level, UnitCode};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use store::registry::units::{self, UnitRow};

/// What a divisions import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct UnitsImportReport {
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub files: Vec<String>,
}

const FILES: [(&str, Level, Option<&str>); 5] = [
    ("provinces.csv", Level::Province, None),
    ("cities.csv", Level::City, Some("provinceCode")),
    ("areas.csv", Level::County, Some("cityCode")),
    ("streets.csv", Level::Township, Some("areaCode")),
    ("villages.csv", Level::Village, Some("streetCode")),
];

/// Rows written per progress call (ten INSERT statements).
const BATCH: usize = units::UPSERT_CHUNK * 10;

/// Where the files come from: a folder (each file read when its turn comes) or memory.
enum Source<'a> {
    Dir(PathBuf),
    Memory(&'a [(String, Vec<u8>)]),
}

impl Source<'_> {
    /// The file of `name`, if present: its display name and bytes.
    fn open(&self, name: &str) -> Option<(String, Vec<u8>)> {
        match self {
            Source::Dir(dir) => {
                let path = dir.join(name);
                std::fs::read(&path)
                    .ok()
                    .map(|b| (path.display().to_string(), b))
            }
            Source::Memory(found) => found
                .iter()
                .find(|(f, _)| f.ends_with(name))
                .map(|(f, b)| (f.clone(), b.clone())),
        }
    }

    /// Data lines in all files (an estimate, for progress only), without keeping any file.
    fn lines(&self) -> u64 {
        let count = |b: &[u8]| bytecount(b).saturating_sub(1);
        FILES
            .iter()
            .map(|(name, _, _)| match self {
                Source::Dir(dir) => lines_in(&dir.join(name)),
                Source::Memory(found) => found
                    .iter()
                    .find(|(f, _)| f.ends_with(name))
                    .map(|(_, b)| count(b))
                    .unwrap_or(0),
            })
            .sum()
    }
}

fn bytecount(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

fn lines_in(path: &Path) -> u64 {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return 0;
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0;
    while let Ok(k) = f.read(&mut buf) {
        if k == 0 {
            break;
        }
        n += bytecount(&buf[..k]);
    }
    n.saturating_sub(1)
}

/// Problems found so far: the first [`MAX_LISTED_ISSUES`] (+1) kept, the rest only counted,
/// so a file of garbage cannot fill memory with complaints.
#[derive(Default)]
struct Issues {
    kept: Vec<ImportIssue>,
    dropped: usize,
}

impl Issues {
    fn push(&mut self, i: ImportIssue) {
        if self.kept.len() <= MAX_LISTED_ISSUES {
            self.kept.push(i);
        } else {
            self.dropped += 1;
        }
    }
    fn extend(&mut self, v: Vec<ImportIssue>) {
        v.into_iter().for_each(|i| self.push(i));
    }
    fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
    /// As [`AppError::import`] lists them: the last kept issue carries the count of the
    /// dropped ones, which [`ImportIssue::capped`] adds to its "and N more".
    fn into_vec(mut self) -> Vec<ImportIssue> {
        if let Some(last) = self.kept.last_mut() {
            last.more += self.dropped;
        }
        self.kept
    }
}

/// The file being read: its rows and where its columns are.
struct OpenFile {
    file: String,
    level: Level,
    rows: RowStream,
    code: usize,
    name: usize,
    /// The declared parent code's column and header.
    parent: Option<(usize, String)>,
    headers: Vec<String>,
}

impl OpenFile {
    fn issue(&self, row: &Row, at: usize, message: domain::message::Text) -> ImportIssue {
        let column = self.headers.get(at).cloned().unwrap_or_else(|| "-".into());
        ImportIssue {
            file: self.file.clone(),
            row: row.number,
            column,
            message,
            more: 0,
        }
    }

    /// The unit of one row, or the row's problem.
    fn check(&self, r: &Row) -> std::result::Result<UnitRow, ImportIssue> {
        let code = cell_at(r, self.code);
        let c = UnitCode::parse(code).map_err(|e| self.issue(r, self.code, e.text()))?;
        if c.level() != self.level {
            return Err(self.issue(r, self.code, {
                let found = msg::level_label(c.level().as_str());
                let expected = msg::level_label(self.level.as_str());
                msg::DIVISION_LEVEL.with(&[
                    ("code", &c),
                    ("found_zh", &found.0),
                    ("found_en", &found.1),
                    ("expected_zh", &expected.0),
                    ("expected_en", &expected.1),
                ])
            }));
        }
        let parent = c.parent().map(|p| p.to_string());
        if let (Some((at, _)), Some(p)) = (&self.parent, &parent) {
            let declared = cell_at(r, *at);
            if declared != p {
                return Err(self.issue(
                    r,
                    *at,
                    msg::DIVISION_PARENT.with(&[("declared", &declared), ("code", &code)]),
                ));
            }
        }
        let name = cell_at(r, self.name);
        if name.is_empty() {
            return Err(self.issue(r, self.name, msg::DIVISION_NAME_EMPTY.text()));
        }
        Ok(UnitRow {
            code: c.to_string(),
            name: name.to_string(),
            level: self.level.as_str().into(),
            parent_code: parent,
            leader: String::new(),
        })
    }
}

/// The checked units of all files, one after another, as they are read.
struct Units<'a> {
    source: Source<'a>,
    next_file: usize,
    current: Option<OpenFile>,
    issues: Issues,
    files: Vec<String>,
}

impl<'a> Units<'a> {
    fn new(source: Source<'a>) -> Units<'a> {
        Units {
            source,
            next_file: 0,
            current: None,
            issues: Issues::default(),
            files: Vec::new(),
        }
    }

    /// The next good unit; problems are collected in `issues` on the way.
    async fn next(&mut self) -> Option<UnitRow> {
        loop {
            let Some(f) = &mut self.current else {
                self.current = self.open_next().await?;
                continue;
            };
            match f.rows.next().await {
                None => self.current = None,
                Some(Err(e)) => self.issues.extend(e),
                Some(Ok(r)) => match f.check(&r) {
                    Ok(u) => return Some(u),
                    Err(i) => self.issues.push(i),
                },
            }
        }
    }

    /// Opens the next present file (`Some(None)` when one was present but unreadable, its
    /// problems recorded); `None` when all are done.
    async fn open_next(&mut self) -> Option<Option<OpenFile>> {
        while let Some((name, level, parent_col)) = FILES.get(self.next_file).copied() {
            self.next_file += 1;
            let Some((file, bytes)) = self.source.open(name) else {
                continue;
            };
            let (table, rows) =
                match tabular::stream_table(&file, bytes, &Limits::divisions()).await {
                    Ok(t) => t,
                    Err(e) => {
                        self.issues.extend(e);
                        return Some(None);
                    }
                };
            let spec: Vec<Column> = [col("code", &[], true), col("name", &[], true)]
                .into_iter()
                .chain(parent_col.map(|p| col(p, &[], true)))
                .collect();
            let mapped = match map_columns(&table, &spec) {
                Ok(m) => m,
                Err(e) => {
                    self.issues.extend(e);
                    return Some(None);
                }
            };
            let (Some(code), Some(nm)) = (mapped.position("code"), mapped.position("name")) else {
                return Some(None);
            };
            let parent = parent_col.and_then(|p| mapped.position(p).map(|i| (i, p.to_string())));
            self.files.push(name.to_string());
            return Some(Some(OpenFile {
                file,
                level,
                rows,
                code,
                name: nm,
                parent,
                headers: table.headers,
            }));
        }
        None
    }
}

/// Imports the division files found in `dir` in one transaction: new codes are added, changed
/// names updated, nothing is duplicated. `progress` is called with the rows written so far
/// and the (estimated) total.
pub async fn import_divisions(
    app: &App,
    actor: &Actor,
    dir: &Path,
    progress: impl FnMut(u64, u64),
) -> Result<UnitsImportReport> {
    actor.require(Permission::Administer)?;
    if !FILES.iter().any(|(name, _, _)| dir.join(name).is_file()) {
        return Err(AppError::import(vec![ImportIssue {
            file: dir.display().to_string(),
            row: 0,
            column: "-".into(),
            message: msg::NO_DIVISION_FILES.text(),
            ..Default::default()
        }]));
    }
    let source = Source::Dir(dir.to_path_buf());
    write(app, actor, &dir.display().to_string(), source, progress).await
}

/// Imports divisions already in memory, named by path (the file name says which level it
/// holds): the demo's embedded sample.
pub async fn import_division_files(
    app: &App,
    actor: &Actor,
    found: &[(String, Vec<u8>)],
) -> Result<UnitsImportReport> {
    actor.require(Permission::Administer)?;
    write(app, actor, "embedded", Source::Memory(found), |_, _| {}).await
}

/// Reads and checks the files in `dir` without writing (how long reading alone takes, for
/// the benchmark): the number of good rows, or the problems.
pub async fn check_divisions(dir: &Path) -> std::result::Result<u64, Vec<ImportIssue>> {
    let mut units = Units::new(Source::Dir(dir.to_path_buf()));
    let mut n = 0;
    while units.next().await.is_some() {
        n += 1;
    }
    if units.issues.is_empty() {
        Ok(n)
    } else {
        Err(units.issues.into_vec())
    }
}

async fn write(
    app: &App,
    actor: &Actor,
    source_name: &str,
    source: Source<'_>,
    mut progress: impl FnMut(u64, u64),
) -> Result<UnitsImportReport> {
    let estimate = source.lines();
    let mut units = Units::new(source);
    let mut tx = app.db.begin().await?;
    let before = units::count_all(&mut tx).await? as u64;
    let (mut total, mut changed) = (0u64, 0u64);
    let mut batch = Vec::with_capacity(BATCH);
    // Provinces written to, whose per-level unit counts are recounted at the end.
    let mut provinces = std::collections::BTreeSet::new();
    while let Some(u) = units.next().await {
        // After the first problem the rest is only checked: it will all be rolled back.
        if !units.issues.is_empty() {
            batch.clear();
            continue;
        }
        if let Some(p) = u.code.get(..2) {
            if !provinces.contains(p) {
                provinces.insert(p.to_string());
            }
        }
        batch.push(u);
        if batch.len() == BATCH {
            changed += units::upsert(&mut tx, &batch).await?;
            total += batch.len() as u64;
            batch.clear();
            progress(total, estimate.max(total));
        }
    }
    if !units.issues.is_empty() {
        tx.rollback().await?;
        return Err(AppError::import(units.issues.into_vec()));
    }
    changed += units::upsert(&mut tx, &batch).await?;
    total += batch.len() as u64;
    progress(total, total);
    if changed > 0 {
        units::recount_levels(&mut tx, &provinces).await?;
    }
    let after = units::count_all(&mut tx).await? as u64;
    let added = after - before;
    let report = UnitsImportReport {
        rows: total,
        added,
        updated: changed.saturating_sub(added),
        unchanged: total - changed,
        files: units.files,
    };
    audit::record(
        &mut tx,
        actor,
        "units.import",
        "units",
        source_name,
        &actor.scope.root,
        json!(report),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}
