//! `lvzhi verify-tally FILE`: a downloaded result — the vote's tally or the year-end
//! assessment — recounted and its digest checked, with no database: what anyone holding the
//! file can do.

use super::model::{AssessmentPublished, Published};

/// Reads and checks a published tally or assessment; answers a line saying what was verified,
/// or what does not hold.
pub fn verify_file(file: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if let Ok(a) = serde_json::from_str::<AssessmentPublished>(&text) {
        super::rules::assess::verify(&a.assessment, &a.digest).map_err(|e| format!("assessment rejected: {e}"))?;
        return Ok(format!(
            "assessment verified: round {}, {} rating sheets, {} projects, sha256 {}",
            a.assessment.round_id,
            a.assessment.rated,
            a.assessment.projects.len(),
            a.digest
        ));
    }
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
