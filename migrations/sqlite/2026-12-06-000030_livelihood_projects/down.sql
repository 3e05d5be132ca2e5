DROP TABLE project_paper_tallies; DROP TABLE project_ballots; DROP TABLE project_pending_ballots; DROP TABLE project_participation; DROP TABLE project_candidates; DROP TABLE project_rounds;
