//! Demo term coverage: the demo deputy's fixed contacts among constituents (one visited last
//! month, one overdue) and the city's online initial-training course with its quiz, open for
//! two months — for a deputy to complete on the API and for the coverage view to count.

use crate::contacts::seeding as contacts;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::platform::pii::{field, Pii};
use crate::training::seeding as training;
use chrono::{Duration, NaiveDateTime};

const QUESTIONS: [(&str, &str, &str, &str); 3] = [
    ("single", "代表联络站的主要职能是？", r#"["联系群众、听取意见","招商引资","行政审批"]"#, "[0]"),
    ("multiple", "代表建议的办理环节包括？", r#"["交办","答复","评价","拍卖"]"#, "[0,1,2]"),
    ("true_false", "代表可以委托他人代为表决。", r#"["是","否"]"#, "[1]"),
];

pub fn seed(c: &mut AnyConnection, pii: &Pii, now: NaiveDateTime) -> AppResult<()> {
    let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?.id;
    let (_, city, term) =
        crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    let day = |d: i64| (now - Duration::days(d)).format("%Y-%m-%d").to_string();
    let people = [("李桂兰", "13900550001", "城南社区", 30, 35), ("王德福", "13900550002", "杏花村", 60, 90)];
    for (i, (name, phone, community, every, consented)) in people.into_iter().enumerate() {
        let sealed = pii.seal(field::FIXED_CONTACT_PHONE, phone);
        let (consent_on, how) = (day(consented), "written");
        let n = contacts::NewContact {
            deputy: 1,
            region_path: &path,
            name,
            phone_sealed: &sealed,
            community,
            every_days: every,
            consent: (&consent_on, how),
        };
        let id = contacts::insert(c, &n, now - Duration::days(consented))?;
        if i == 0 {
            let on = day(20);
            let v = contacts::NewVisit {
                contact: id,
                on: &on,
                channel: "visit",
                summary: "入户走访，了解老旧小区改造后的居住情况。",
                issues: "",
                opinion_ticket: None,
            };
            contacts::add_visit(c, &v, now - Duration::days(20))?;
        }
    }
    let materials = r#"[{"title":"中华人民共和国全国人民代表大会和地方各级人民代表大会代表法","kind":"link","url":"https://www.npc.gov.cn/"},{"title":"代表履职案例讲解","kind":"video","url":"https://www.npc.gov.cn/"}]"#;
    let closes = (now + Duration::days(60)).format("%Y-%m-%d").to_string();
    let course = training::NewCourse {
        congress: (city, &path),
        term,
        title: "新任代表初任培训（线上）",
        kind: "online",
        event_id: None,
        materials,
        min_seconds: 300,
        pass_mark: 60,
        max_attempts: 3,
        closes_on: &closes,
        initial: true,
        by: admin,
    };
    let id = training::insert(c, &course, now - Duration::days(10))?;
    for (i, (kind, text, options, answer)) in QUESTIONS.into_iter().enumerate() {
        training::insert_question(c, id, i as i32, (kind, text), (options, answer))?;
    }
    Ok(())
}
