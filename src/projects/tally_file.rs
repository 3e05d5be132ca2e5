//! `lvzhi verify-tally FILE`: a downloaded result recounted and its digest checked, with no
//! database — what anyone holding the file can do.

use super::model::Published;

/// Reads and checks a published tally; answers a line saying what was verified, or what does
/// not hold.
pub fn verify_file(file: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let p: Published =
        serde_json::from_str(&text).map_err(|e| format!("{}: not a published tally: {e}", file.display()))?;
    super::rules::verify(&p.tally, &p.digest).map_err(|e| format!("tally rejected: {e}"))?;
    let adopted = p.tally.results.iter().filter(|r| r.adopted).count();
    Ok(format!(
        "tally verified: round {}, {} app ballots, {} paper ballots, {} of {} candidates adopted, sha256 {}",
        p.tally.round_id,
        p.tally.ballots.len(),
        p.tally.paper_ballots,
        adopted,
        p.tally.candidates.len(),
        p.digest
    ))
}
