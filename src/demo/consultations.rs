//! Demo consultations (征求意见): the city's draft regulation on civilised conduct, open to its
//! deputies and the public for two weeks with a short questionnaire, station 1 a grassroots
//! legislative contact point, a deputy's comment and a walk-in's view already in; and last
//! month's budget consultation, closed, its comments decided and its feedback report public.

use crate::consultations::seeding as cs;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::platform::pii::Pii;
use chrono::{Duration, NaiveDateTime};

const REGULATION: &str = "合肥市文明行为促进条例（草案）
第一章 总则
第一条 为了培育和践行社会主义核心价值观，引导和促进文明行为，提升市民文明素质和社会文明程度，根据有关法律、法规，结合本市实际，制定本条例。
第二条 本条例适用于本市行政区域内的文明行为促进工作。
第二章 文明行为规范
第三条 公民应当文明出行，遵守交通信号，有序排队候车，不随意变道、鸣笛。
第四条 公民应当维护公共环境卫生，不随地吐痰、乱扔垃圾，按照规定分类投放生活垃圾。
第五条 饲养犬只的，应当依法办理登记，出户时束犬链并及时清理犬只粪便。
第三章 保障措施
第六条 市、县（市）区人民政府应当将文明行为促进工作纳入国民经济和社会发展规划。";

const QUESTIONS: [(&str, &str, &str, bool); 3] = [
    ("single", "您是否赞成对见义勇为、志愿服务等文明行为予以表彰奖励？", r#"["赞成","不赞成","说不清"]"#, true),
    (
        "multiple",
        "您认为最需要重点治理的不文明行为有哪些？",
        r#"["乱扔垃圾","不文明养犬","高空抛物","占用消防通道"]"#,
        false,
    ),
    ("scale", "您对草案的总体评价（1-5分）", "[]", true),
];

pub fn seed(c: &mut AnyConnection, pii: &Pii, now: NaiveDateTime, tz: chrono_tz::Tz) -> AppResult<()> {
    let admin = crate::auth::seeding::by_username(c, "admin")?.ok_or_else(AppError::not_found)?.id;
    let (_, city, _) = crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    let deputies = crate::org::seated_in_congress(c, &path)?;
    let audience = format!(r#"{{"regions":[{city}]}}"#);
    let open = cs::NewConsultation {
        congress: (city, &path),
        title: "合肥市文明行为促进条例（草案）",
        kind: "regulation",
        summary: "市人大常委会就《合肥市文明行为促进条例（草案）》公开征求意见，欢迎代表和社会各界逐条提出修改建议。",
        window: (now - Duration::days(3), now + Duration::days(11)),
        audience: &audience,
        public: true,
        anonymous: false,
        attachments: r#"[{"title":"关于《合肥市文明行为促进条例（草案）》的起草说明","url":"https://www.npc.gov.cn/"}]"#,
        by: admin,
    };
    let id = publish(c, &open, REGULATION, tz, now - Duration::days(3))?;
    for (i, (kind, text, options, required)) in QUESTIONS.into_iter().enumerate() {
        cs::insert_question(c, id, (i as i32 + 1, kind, text, options, required))?;
    }
    cs::put_points(c, id, &[1])?;
    let said = now - Duration::days(2);
    let other = deputies.iter().copied().find(|d| *d != 1).unwrap_or(1);
    cs::insert_comment(
        c,
        id,
        (
            Some(5),
            "建议明确犬只粪便清理的监管部门。",
            Some("饲养犬只的，应当依法办理登记，出户时束犬链并及时清理犬只粪便；城市管理部门负责监督检查。"),
        ),
        &cs::Author::Deputy(other),
        said,
    )?;
    let sealed = pii.seal(crate::platform::pii::field::WALK_IN_COMMENT_PHONE, "13900560001");
    let walk_in = cs::Author::WalkIn(1, "visit", Some(&sealed), admin);
    cs::insert_comment(c, id, (Some(3), "建议增加电动自行车文明停放的内容。", None), &walk_in, said)?;
    let answers = cs::NewAnswer {
        key: "demo-answer-1",
        respondent: Some(&format!("d:{other}")),
        level: "city",
        region_path: Some(&path),
        answers: r#"{"1":0,"2":[0,1],"3":4}"#,
    };
    cs::take_part(c, id, &format!("d:{other}"))?;
    cs::insert_answer(c, id, &answers)?;
    budget(c, (city, &path), (&deputies, tz), admin, now)
}

/// Writes a consultation with its articles, published at `at` to its audience.
fn publish(
    c: &mut AnyConnection,
    n: &cs::NewConsultation,
    text: &str,
    tz: chrono_tz::Tz,
    at: NaiveDateTime,
) -> AppResult<i64> {
    let id = cs::insert(c, n, at)?;
    let articles = cs::parse_articles(text);
    let rows: Vec<(i32, &str, &str)> =
        articles.iter().map(|a| (a.number, a.heading.as_str(), a.body.as_str())).collect();
    cs::put_articles(c, id, &rows)?;
    let audience: crate::notices::Audience = serde_json::from_str(n.audience).map_err(AppError::internal)?;
    let body = format!("{}，请在履职App中逐条提出意见。", n.summary);
    let (notice, _, _) = crate::notices::publish_from_system(
        c,
        n.congress,
        ("general", &format!("征求意见：{}", n.title), &body),
        &audience,
        at,
        tz,
        None,
    )?;
    cs::mark_published(c, id, notice, at)?;
    // Everyone the notice reached may answer, as when staff publish through the API.
    let reached = crate::notices::resolve_audience(c, n.congress.1, &audience)?;
    cs::fill_audience(c, id, &reached)?;
    Ok(id)
}

/// Last month's budget consultation: closed, decided and fed back.
fn budget(
    c: &mut AnyConnection,
    congress: (i64, &str),
    (deputies, tz): (&[i64], chrono_tz::Tz),
    admin: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let audience = format!(r#"{{"regions":[{}]}}"#, congress.0);
    let n = cs::NewConsultation {
        congress,
        title: "市级预算草案征求代表意见",
        kind: "budget",
        summary: "市人大常委会预算工作委员会就下一年度市级预算草案征求代表意见。",
        window: (now - Duration::days(45), now - Duration::days(30)),
        audience: &audience,
        public: false,
        anonymous: false,
        attachments: "[]",
        by: admin,
    };
    let text = "一、总体安排\n坚持量入为出、收支平衡。\n二、民生支出\n教育、医疗、养老支出占比不低于七成。\n三、政府债务\n严格控制新增债务规模。";
    let id = publish(c, &n, text, tz, now - Duration::days(45))?;
    let at = now - Duration::days(40);
    let list = [
        (2, "建议提高养老服务支出比重。", "adopted", "已在民生支出中增列养老服务补助。"),
        (3, "建议公开债务还本付息计划。", "partly_adopted", "将在预算执行报告中说明。"),
        (1, "建议压减会议费。", "not_adopted", "会议费已按规定压减，不再调整。"),
    ];
    for (i, (article, text, decision, reason)) in list.into_iter().enumerate() {
        let d = deputies.get(i).copied().unwrap_or(1);
        let cid = cs::insert_comment(c, id, (Some(article), text, None), &cs::Author::Deputy(d), at)?;
        cs::decide(c, cid, (decision, reason), admin, now - Duration::days(25))?;
    }
    cs::set_feedback(c, id, "共收到代表意见3条，采纳1条、部分采纳1条，未采纳的已说明理由。", now - Duration::days(20))?;
    Ok(())
}
