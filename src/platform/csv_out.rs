//! Every CSV the server writes goes through here: a UTF-8 BOM (spreadsheet programs then read
//! Chinese text right) and cells that cannot run as formulas. A cell starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is prefixed with `'` (OWASP's advice against CSV
//! injection), unless it is a plain number, which a spreadsheet reads as a number anyway.

use crate::error::{AppError, AppResult};
use std::borrow::Cow;

/// A cell as it is written: formulas defused, everything else unchanged.
pub fn cell(value: &str) -> Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && value.parse::<f64>().is_err() {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Builds a CSV document row by row.
pub struct CsvOut(csv::Writer<Vec<u8>>);

impl Default for CsvOut {
    fn default() -> Self {
        CsvOut(csv::Writer::from_writer(vec![]))
    }
}

impl CsvOut {
    /// Writes one row, every cell through [`cell`].
    pub fn row<I, S>(&mut self, cells: I) -> AppResult<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|c| cell(c.as_ref()).into_owned()).collect();
        self.0.write_record(&cells).map_err(AppError::internal)
    }

    /// The document, with a BOM.
    pub fn finish(self) -> AppResult<String> {
        let bytes = self.0.into_inner().map_err(AppError::internal)?;
        Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(cell("+1+cmd"), "'+1+cmd");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("-10"), "-10");
        assert_eq!(cell("会议缺席"), "会议缺席");
        let mut w = CsvOut::default();
        w.row(["a", "=1+1"]).unwrap();
        assert_eq!(w.finish().unwrap(), "\u{feff}a,'=1+1\n");
    }
}
