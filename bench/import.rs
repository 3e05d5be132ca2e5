//! The CSV import scenario: N deputies with their seats in one all-or-nothing request.

use crate::setup::csv_rows;
use crate::Row;
use std::time::Instant;

/// Imports `n` deputies in one request; its row is read against `ceiling` rows a second.
pub async fn scenario(base: &str, token: &str, n: usize, ceiling: f64) -> Result<Row, String> {
    let csv = csv_rows(n);
    let t = Instant::now();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/deputies/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let ok = r.status().as_u16() == 201;
    Ok(Row {
        name: format!("scenario: CSV import of {n} deputies (one request, all-or-nothing)"),
        ops: n,
        rate: n as f64 / secs,
        p50: Some(secs * 1000.0),
        p99: None,
        errors: usize::from(!ok),
        ceiling: Some(("INSERT ceiling".into(), ceiling)),
    })
}
