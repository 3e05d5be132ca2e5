//! The signed documents' commands: checking a signed duty archive against the ledger, and
//! writing and checking the feed's exchange files (`lvzhi export-feed`, `lvzhi verify-feed`).

use crate::db;
use crate::state::AppState;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use std::path::{Path, PathBuf};

/// `lvzhi export-feed`: the events of a period (and a region) as a signed NDJSON file.
#[derive(Debug, clap::Args)]
pub struct ExportFeed {
    /// First day (YYYY-MM-DD, congress time) or instant (RFC 3339) included.
    #[arg(long)]
    pub from: String,
    /// First day or instant no longer included.
    #[arg(long)]
    pub to: String,
    /// GB/T 2260 code of the region whose subtree is exported (default: everything).
    #[arg(long)]
    pub region: Option<String>,
    /// Where to write the file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// A day (its start in the congress time zone) or an RFC 3339 instant, in UTC.
fn instant(raw: &str, tz: chrono_tz::Tz) -> Result<NaiveDateTime, String> {
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let local = d.and_hms_opt(0, 0, 0).ok_or("no midnight")?;
        return tz.from_local_datetime(&local).earliest().map(|t| t.naive_utc()).ok_or_else(|| format!("`{raw}`"));
    }
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_utc())
        .map_err(|_| format!("`{raw}` is neither YYYY-MM-DD nor an RFC 3339 instant"))
}

/// Writes the exchange file; says on stderr how many events it holds.
pub async fn export_feed(state: &AppState, a: ExportFeed) -> Result<(), String> {
    let tz = state.settings.tz;
    let span = (instant(&a.from, tz)?, instant(&a.to, tz)?);
    if span.0 >= span.1 {
        return Err("--from must come before --to".into());
    }
    let n = match &a.out {
        Some(path) => {
            let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut w = std::io::BufWriter::new(f);
            let n = crate::feed::export(state, a.region, span, &mut w).await.map_err(|e| e.to_string())?;
            std::io::Write::flush(&mut w).map_err(|e| e.to_string())?;
            n
        }
        None => {
            let mut w = std::io::stdout().lock();
            crate::feed::export(state, a.region, span, &mut w).await.map_err(|e| e.to_string())?
        }
    };
    eprintln!("{n} events exported");
    Ok(())
}

/// Checks an exchange file against this installation's keys.
pub fn verify_feed(state: &AppState, file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let said = crate::feed::verify_file(&state.keys, &text).map_err(|why| format!("file rejected: {why}"))?;
    println!("{said}");
    Ok(())
}

/// Checks a signed duty archive against the ledger.
pub async fn verify_archive(state: &AppState, file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let doc: crate::ledger::SignedArchive =
        serde_json::from_str(&text).map_err(|e| format!("{}: not a signed archive: {e}", file.display()))?;
    let keys = state.keys.clone();
    match db::run(&state.db, move |c| crate::ledger::verify_archive(c, &keys, &doc)).await.map_err(|e| e.to_string())? {
        Ok(ok) => {
            println!("{ok}");
            Ok(())
        }
        Err(why) => Err(format!("archive rejected: {why}")),
    }
}
