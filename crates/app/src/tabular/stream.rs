//! Reading on a blocking thread: the reader hands rows through a bounded channel to the async
//! importer, and a reader that panics on a hostile file becomes a refusal naming the file.

use super::{issue, no_header, read_into, too_big, Limits, Piece, Row, Table};
use crate::ImportIssue;

enum Sent {
    Piece(Piece),
    /// Data rows go in batches: one hand-off per row would cost more than reading it.
    Rows(Vec<Row>),
    End(Result<(), Vec<ImportIssue>>),
}

/// Rows per hand-off from the reading thread.
const BATCH: usize = 256;

/// The data rows of a file being read on a blocking thread, a few hundred ahead of the
/// importer: a 200,000-row file never sits in memory as rows.
pub struct RowStream {
    file: String,
    rx: tokio::sync::mpsc::Receiver<Sent>,
    batch: std::vec::IntoIter<Row>,
    done: bool,
}

impl RowStream {
    /// The next data row; `Some(Err(..))` once, at the end, when the file had problems.
    pub async fn next(&mut self) -> Option<Result<Row, Vec<ImportIssue>>> {
        loop {
            if let Some(r) = self.batch.by_ref().find(|r| !r.is_blank()) {
                return Some(Ok(r));
            }
            if self.done {
                return None;
            }
            match self.rx.recv().await {
                Some(Sent::Rows(rows)) => self.batch = rows.into_iter(),
                Some(Sent::Piece(Piece::Row(r))) if r.is_blank() => {}
                Some(Sent::Piece(Piece::Row(r))) => return Some(Ok(r)),
                Some(Sent::Piece(Piece::Header(_))) => {}
                Some(Sent::End(Ok(()))) => self.done = true,
                Some(Sent::End(Err(e))) => {
                    self.done = true;
                    return Some(Err(e));
                }
                None => {
                    self.done = true;
                    return Some(Err(vec![reader_failed(&self.file)]));
                }
            }
        }
    }
}

pub(crate) fn reader_failed(file: &str) -> ImportIssue {
    issue(file, 1, "-", domain::message::catalogue::FILE_READER_FAILED)
}

/// Starts reading `bytes` on a blocking thread (a panic of a reader becomes a refusal naming
/// the file) and returns the header — as a [`Table`] without rows, for [`map_columns`] — and
/// the stream of data rows.
pub async fn stream_table(
    file: &str,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<(Table, RowStream), Vec<ImportIssue>> {
    if let Some(i) = too_big(file, &bytes, limits) {
        return Err(vec![i]);
    }
    stream_with(file, bytes, limits, read_into).await
}

type ReadFn =
    fn(&str, &[u8], &Limits, &mut dyn FnMut(Piece) -> bool) -> Result<(), Vec<ImportIssue>>;

async fn stream_with(
    file: &str,
    bytes: Vec<u8>,
    limits: &Limits,
    read: ReadFn,
) -> Result<(Table, RowStream), Vec<ImportIssue>> {
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let (name, data, lim) = (file.to_string(), bytes, limits.clone());
    tokio::task::spawn_blocking(move || {
        let mut rows = Vec::with_capacity(BATCH);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read(&name, &data, &lim, &mut |p| match p {
                Piece::Row(r) => {
                    rows.push(r);
                    rows.len() < BATCH
                        || tx
                            .blocking_send(Sent::Rows(std::mem::replace(
                                &mut rows,
                                Vec::with_capacity(BATCH),
                            )))
                            .is_ok()
                }
                header => tx.blocking_send(Sent::Piece(header)).is_ok(),
            })
        }))
        .unwrap_or_else(|_| Err(vec![reader_failed(&name)]));
        if !rows.is_empty() {
            let _ = tx.blocking_send(Sent::Rows(rows));
        }
        // The importer may have stopped listening (a missing column); nothing to tell then.
        let _ = tx.blocking_send(Sent::End(result));
    });
    let mut stream = RowStream {
        file: file.to_string(),
        rx,
        batch: Vec::new().into_iter(),
        done: false,
    };
    let headers = match stream.rx.recv().await {
        Some(Sent::Piece(Piece::Header(h))) => h,
        Some(Sent::End(Err(e))) => return Err(e),
        None => return Err(vec![reader_failed(file)]),
        Some(_) => return Err(no_header(file)),
    };
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(no_header(file));
    }
    let table = Table {
        file: file.to_string(),
        headers,
        rows: Vec::new(),
    };
    Ok((table, stream))
}

/// [`read_table_with`] on a blocking thread, with a panic of a reader turned into a refusal
/// naming the file: a hostile file must never take a request (or the server) down with it.
pub async fn read_table_off_thread(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Table, Vec<ImportIssue>> {
    if let Some(i) = too_big(file, bytes, limits) {
        return Err(vec![i]);
    }
    let (mut table, mut stream) = stream_table(file, bytes.to_vec(), limits).await?;
    while let Some(row) = stream.next().await {
        table.rows.push(row?);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_reader_that_panics_becomes_a_refusal_naming_the_file() {
        fn boom(
            _: &str,
            _: &[u8],
            _: &Limits,
            sink: &mut dyn FnMut(Piece) -> bool,
        ) -> Result<(), Vec<ImportIssue>> {
            sink(Piece::Header(vec!["户号".into()]));
            sink(Piece::Row(Row::new(2, ["1"])));
            panic!("capacity overflow")
        }
        let Ok((table, mut rows)) =
            stream_with("evil.xlsx", Vec::new(), &Limits::default(), boom).await
        else {
            panic!("the header arrives before the panic")
        };
        assert_eq!(table.headers, vec!["户号"]);
        assert!(matches!(rows.next().await, Some(Ok(r)) if r.number == 2));
        let Some(Err(issues)) = rows.next().await else {
            panic!("the panic is reported")
        };
        assert_eq!(issues[0].file, "evil.xlsx");
        assert!(issues[0].message.en.contains("could not be read"));
        assert!(rows.next().await.is_none());
    }
}
