//! The templates the phone pages fill, each with the `Head` every page carries, and the lines
//! they show, already put in words.

use super::kit::Head;
use super::model::{Case, Deputy, Similar, Station};
use askama::Template;

/// One line of a station's week, ready to show.
pub struct DutyLine {
    pub when: String,
    pub names: String,
}

/// A published duty report (述职评议) on a deputy's card.
pub struct ReportLine {
    pub when: String,
    pub result: String,
    pub body: String,
}

/// A deputy's published yearly duty summary (履职情况), put in words.
pub struct DutyYear {
    pub year: i32,
    pub lines: Vec<String>,
}

/// What a printed code shows, put in words once and kept while its public page is.
pub enum Card {
    Deputy { d: Deputy, seats: Vec<String>, reports: Vec<ReportLine>, duty: Option<DutyYear> },
    Station { s: Station, map: String, week: Vec<DutyLine> },
}

#[derive(Template)]
#[template(path = "m/deputy.html")]
pub struct DeputyPage<'a> {
    pub head: Head,
    pub d: &'a Deputy,
    pub seats: &'a [String],
    pub reports: &'a [ReportLine],
    pub duty: &'a Option<DutyYear>,
}

#[derive(Template)]
#[template(path = "m/station.html")]
pub struct StationPage<'a> {
    pub head: Head,
    pub s: &'a Station,
    pub map: &'a str,
    pub week: &'a [DutyLine],
}

/// A page that only says something: not found, gone, refused, failed.
#[derive(Template)]
#[template(path = "m/message.html")]
pub struct MessagePage {
    pub head: Head,
    pub heading: String,
    pub text: String,
}

/// The rating form of a duty report's session.
#[derive(Template)]
#[template(path = "m/rate_report.html")]
pub struct RateReportPage {
    pub head: Head,
    pub id: i64,
    pub token: String,
    pub error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "m/sign_in.html")]
pub struct SignInPage {
    pub head: Head,
    pub next: String,
    /// Set once a code was sent: the second step.
    pub phone: Option<String>,
    pub notice: String,
    pub notice_version: String,
    pub error: Option<&'static str>,
}

/// What the opinion form holds (kept when it is shown again).
#[derive(Debug, Default, Clone)]
pub struct OpinionDraft {
    pub category: String,
    pub title: String,
    pub content: String,
    pub latitude: String,
    pub longitude: String,
    pub coord_system: String,
    pub photo_ids: String,
    pub key: String,
}

#[derive(Template)]
#[template(path = "m/opinion.html")]
pub struct OpinionPage {
    pub head: Head,
    pub code: String,
    /// Whom it goes to: the station's or deputy's name.
    pub to: String,
    pub categories: Vec<(&'static str, &'static str)>,
    pub f: OpinionDraft,
    pub photos_kept: usize,
    pub similar: Vec<Similar>,
    pub error: Option<String>,
}

impl OpinionPage {
    pub fn status_name(&self, s: &str) -> &'static str {
        super::rules::status_name(s)
    }
}

/// A line of the case's history, ready to show.
pub struct Step {
    pub when: String,
    pub what: &'static str,
    pub who: &'static str,
    pub note: Option<String>,
}

/// A message of the thread, ready to show.
pub struct Said {
    pub when: String,
    pub who: &'static str,
    pub mine: bool,
    pub body: String,
}

#[derive(Template)]
#[template(path = "m/case.html")]
pub struct CasePage {
    pub head: Head,
    pub c: Case,
    pub category: &'static str,
    pub status: &'static str,
    pub filed: String,
    pub steps: Vec<Step>,
    pub thread: Vec<Said>,
    pub can_rate: bool,
    pub can_write: bool,
    pub flash: Option<&'static str>,
    pub error: Option<&'static str>,
}

pub struct ItemLine {
    pub ticket: String,
    pub title: String,
    pub status: &'static str,
    pub when: String,
}

pub struct AppointmentLine {
    pub id: i64,
    pub when: String,
    pub mode: &'static str,
    pub topic: String,
    pub status: &'static str,
    pub note: Option<String>,
    pub video_url: Option<String>,
    pub can_cancel: bool,
}

#[derive(Template)]
#[template(path = "m/cases.html")]
pub struct CasesPage {
    pub head: Head,
    pub items: Vec<ItemLine>,
    pub appointments: Vec<AppointmentLine>,
}

/// A choice of the booking form: a deputy in a slot.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "m/book.html")]
pub struct BookPage {
    pub head: Head,
    pub code: String,
    pub to: String,
    pub choices: Vec<Choice>,
    pub topic: String,
    pub error: Option<&'static str>,
}

/// An adopted livelihood project (民生实事) as the public page shows it.
pub struct ProjectLine {
    pub title: String,
    /// 2027年 · 某某区 · 第1名（312票赞成）
    pub heading: String,
    pub description: String,
    pub units: String,
    pub percent: i64,
    /// 已完成 3/5 个节点
    pub milestones: String,
    /// Some milestone is overdue.
    pub red: bool,
    /// The year-end ratings, in words, once assessed.
    pub assessment: Option<String>,
}

#[derive(Template)]
#[template(path = "m/projects.html")]
pub struct ProjectsPage {
    pub head: Head,
    pub code: String,
    pub projects: Vec<ProjectLine>,
}

/// A consultation in a station's list.
pub struct ConsultationLine {
    pub id: i64,
    pub title: String,
    /// 征求中 · 截至12月20日
    pub state: String,
}

#[derive(Template)]
#[template(path = "m/consultations.html")]
pub struct ConsultationsPage {
    pub head: Head,
    pub code: String,
    pub items: Vec<ConsultationLine>,
}

/// A question of a consultation's questionnaire as its form shows it.
pub struct QuestionField {
    /// The form field's name: `{kind}-{number}`.
    pub name: String,
    pub kind: String,
    pub text: String,
    pub choices: Vec<(usize, String)>,
    pub required: bool,
}

#[derive(Template)]
#[template(path = "m/consultation.html")]
pub struct ConsultationPage {
    pub head: Head,
    pub code: String,
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub state: String,
    pub open: bool,
    /// (number, heading, body)
    pub articles: Vec<(i64, String, String)>,
    pub questions: Vec<QuestionField>,
    pub feedback: Option<String>,
    pub error: Option<String>,
    pub done: Option<String>,
}
