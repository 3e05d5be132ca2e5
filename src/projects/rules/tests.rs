//! Unit tests of the vote's pure rules.

use super::*;

fn ballot(receipt: &str, a: &str, b: &str) -> Ballot {
    let choices = [("1".to_string(), a.to_string()), ("2".to_string(), b.to_string())].into_iter().collect();
    Ballot { receipt: receipt.into(), choices }
}

fn tally() -> Tally {
    let candidates = vec![Candidate { id: 1, title: "食堂".into() }, Candidate { id: 2, title: "道路".into() }];
    let ballots =
        vec![ballot("a1", "approve", "oppose"), ballot("b2", "approve", "approve"), ballot("c3", "abstain", "approve")];
    let paper = vec![Count { candidate_id: 2, approve: 1, oppose: 0, abstain: 0 }];
    let results = count(&candidates, &ballots, &paper, 1, ("seated", 5, 1));
    Tally {
        round_id: 1,
        region_path: "/1/".into(),
        year: 2027,
        title: "2027年民生实事".into(),
        adoption_rule: "seated".into(),
        seated: 5,
        adopt_count: 1,
        candidates,
        ballots,
        paper_ballots: 1,
        paper,
        results,
    }
}

#[test]
fn ballots_answer_every_candidate_once_within_the_approvals_allowed() {
    let ok: BTreeMap<i64, String> = [(1, "approve".to_string()), (2, "oppose".to_string())].into_iter().collect();
    assert_eq!(check_choices(&ok, &[1, 2], 1), Ok(()));
    assert_eq!(check_choices(&ok, &[1], 1), Err(BallotError::NotOnBallot(2)));
    assert_eq!(check_choices(&ok, &[1, 2, 3], 1), Err(BallotError::Unanswered(3)));
    let two: BTreeMap<i64, String> = [(1, "approve".to_string()), (2, "approve".to_string())].into_iter().collect();
    assert_eq!(check_choices(&two, &[1, 2], 1), Err(BallotError::TooManyApprovals(2)));
    let bad: BTreeMap<i64, String> = [(1, "yes".to_string())].into_iter().collect();
    assert_eq!(check_choices(&bad, &[1], 1), Err(BallotError::BadChoice(1)));
}

#[test]
fn the_count_ranks_by_approvals_and_adopts_above_half_within_the_number() {
    let t = tally();
    // Candidate 2: 2 app approvals + 1 on paper = 3 > 5/2; candidate 1: 2, not above half of 5.
    assert_eq!((t.results[0].candidate_id, t.results[0].approve, t.results[0].adopted), (2, 3, true));
    assert_eq!((t.results[1].candidate_id, t.results[1].approve, t.results[1].adopted), (1, 2, false));
    // Of the 4 ballots cast, 2 approvals are not above half either.
    let cast = count(&t.candidates, &t.ballots, &t.paper, 1, ("cast", 5, 2));
    assert!(cast[0].adopted && !cast[1].adopted);
}

#[test]
fn a_published_tally_verifies_and_any_change_is_caught() {
    let t = tally();
    let d = digest(&t);
    assert_eq!(verify(&t, &d), Ok(()));
    let mut changed = t.clone();
    changed.ballots[0].choices.insert("2".into(), "approve".into());
    assert!(verify(&changed, &d).unwrap_err().contains("results"));
    let mut recounted = changed.clone();
    recounted.results = count(&recounted.candidates, &recounted.ballots, &recounted.paper, 1, ("seated", 5, 1));
    assert!(verify(&recounted, &d).unwrap_err().contains("digest"));
    assert_eq!(canonical(&serde_json::json!({"b": 1, "a": [2, "x"]})), r#"{"a":[2,"x"],"b":1}"#);
}
