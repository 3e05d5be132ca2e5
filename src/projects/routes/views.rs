//! Builds the views of adopted projects from their rows: units by name, milestones with their
//! red light, progress reports with signed photo links, inspections with the deputies' remarks.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::projects::model::{
    InspectionView, MilestoneView, PhotoLinkView, ProgressView, ProjectView, PublicProject, RemarkView, UnitRef,
};
use crate::projects::rules::assess::Rated;
use crate::projects::rules::works::{self, LEAD};
use crate::projects::store::{works as ws, CandidateRow, RoundRow};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Signed links to project photos name this kind.
pub const PHOTO_LINK: &str = "project_photo";

/// What the views need besides the rows: the signing keys, now (seconds) and the local day.
pub struct Ctx<'a> {
    pub keys: &'a crate::auth::KeySet,
    pub now: i64,
    pub today: NaiveDate,
}

fn unit_names(c: &mut AnyConnection, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    let mut out = HashMap::new();
    for id in ids {
        if let Some((u, _)) = crate::org::unit(c, *id)? {
            out.insert(*id, u.name);
        }
    }
    Ok(out)
}

/// The projects given (of rounds in `rounds`), in the order given.
pub fn projects(
    c: &mut AnyConnection,
    x: &Ctx,
    rows: Vec<CandidateRow>,
    rounds: &[RoundRow],
) -> AppResult<Vec<ProjectView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let units = ws::units_of(c, &ids)?;
    let mut uids: Vec<i64> = units.iter().map(|u| u.1).collect();
    let progress = ws::progress(c, &ids)?;
    uids.extend(progress.iter().map(|p| p.2));
    uids.sort_unstable();
    uids.dedup();
    let names = unit_names(c, &uids)?;
    let unit = |id: i64| UnitRef { id, name: names.get(&id).cloned().unwrap_or_default() };
    let milestones = ws::milestones(c, &ids)?;
    let report_ids: Vec<i64> = progress.iter().map(|p| p.0).collect();
    let photos = ws::photos_of(c, &report_ids)?;
    let inspections = ws::inspections(c, &ids)?;
    let remarks = ws::remarks(c, &ids)?;
    let mut deputies: Vec<i64> = remarks.iter().map(|r| r.2).collect();
    deputies.sort_unstable();
    deputies.dedup();
    let dnames: HashMap<i64, String> = crate::org::deputy_names(c, &deputies)?.into_iter().collect();
    let exp = x.now + crate::files::LINK_SECS;
    Ok(rows
        .into_iter()
        .map(|r| {
            let year = rounds.iter().find(|x| x.id == r.round_id).map(|x| x.year).unwrap_or_default();
            let mine: Vec<&(i64, i64, String)> = units.iter().filter(|u| u.0 == r.id).collect();
            let ms: Vec<MilestoneView> = milestones
                .iter()
                .filter(|m| m.1 == r.id)
                .map(|m| MilestoneView {
                    id: m.0,
                    title: m.2.clone(),
                    due_on: m.3.clone(),
                    done_on: m.4.clone(),
                    overdue: works::overdue(&m.3, m.4.as_deref(), x.today),
                })
                .collect();
            let reports: Vec<ProgressView> = progress
                .iter()
                .filter(|p| p.1 == r.id)
                .map(|p| ProgressView {
                    id: p.0,
                    unit: unit(p.2),
                    quarter: p.3.clone(),
                    percent: p.4,
                    spent_yuan: p.5,
                    text: p.6.clone(),
                    photos: photos
                        .iter()
                        .filter(|f| f.1 == Some(p.0))
                        .map(|f| PhotoLinkView {
                            id: f.0,
                            url: format!(
                                "/api/v1/files/project-photos/{}?{}",
                                f.0,
                                crate::files::sign_link(x.keys, PHOTO_LINK, f.0, exp)
                            ),
                        })
                        .collect(),
                    created_at: crate::db::utc(p.7),
                })
                .collect();
            let inspected = inspections
                .iter()
                .filter(|i| i.0 == r.id)
                .map(|i| InspectionView {
                    event_id: i.1,
                    remarks: remarks
                        .iter()
                        .filter(|m| m.0 == r.id && m.1 == i.1)
                        .map(|m| RemarkView {
                            deputy_id: m.2,
                            deputy_name: dnames.get(&m.2).cloned().unwrap_or_default(),
                            text: m.3.clone(),
                            created_at: crate::db::utc(m.4),
                        })
                        .collect(),
                })
                .collect();
            ProjectView {
                id: r.id,
                round_id: r.round_id,
                year,
                title: r.title,
                description: r.description,
                location: r.location,
                budget_yuan: r.budget_yuan,
                rank: r.rank,
                approvals: r.approvals,
                lead_unit: mine.iter().find(|u| u.2 == LEAD).map(|u| unit(u.1)),
                co_units: mine.iter().filter(|u| u.2 != LEAD).map(|u| unit(u.1)).collect(),
                percent: reports.first().map(|p| p.percent).unwrap_or(0),
                spent_yuan: reports.first().map(|p| p.spent_yuan).unwrap_or(0),
                red: ms.iter().any(|m| m.overdue),
                milestones: ms,
                progress: reports,
                inspections: inspected,
            }
        })
        .collect())
}

/// The ratings published for a round's projects, once assessed.
pub fn ratings(r: &RoundRow) -> Vec<Rated> {
    r.assessment
        .as_deref()
        .and_then(|a| serde_json::from_str::<crate::projects::model::AssessmentPublished>(a).ok())
        .map(|a| a.assessment.projects)
        .unwrap_or_default()
}

/// A project as the public sees it (with its round's `ratings`): no reports' texts or photos,
/// no remarks.
pub fn public(p: ProjectView, r: &RoundRow, congress: &str, ratings: &[Rated]) -> PublicProject {
    let assessment = ratings.iter().find(|x| x.candidate_id == p.id).cloned();
    PublicProject {
        id: p.id,
        round_id: p.round_id,
        year: p.year,
        congress: congress.to_string(),
        status: r.status.clone(),
        title: p.title,
        description: p.description,
        location: p.location,
        budget_yuan: p.budget_yuan,
        rank: p.rank,
        approvals: p.approvals,
        lead_unit: p.lead_unit.map(|u| u.name),
        co_units: p.co_units.into_iter().map(|u| u.name).collect(),
        percent: p.percent,
        spent_yuan: p.spent_yuan,
        red: p.red,
        milestones: p.milestones,
        assessment,
    }
}
