use super::*;
use crate::consultations::model::AnswerItem;
use serde_json::json;

#[test]
fn a_regulation_splits_at_its_articles_without_chapters() {
    let text = "合肥市养犬管理条例（草案）\n\n第一章 总则\n第一条 为了规范养犬行为，制定本条例。\n第二条　本市行政区域内的养犬管理适用本条例。\n本条例所称犬只……\n第二章 登记\n第十二条 养犬人应当办理登记。";
    let a = parse_articles(text);
    assert_eq!(a.len(), 4);
    assert_eq!((a[0].number, a[0].heading.as_str(), a[0].body.as_str()), (0, "前言", "合肥市养犬管理条例（草案）"));
    assert_eq!((a[1].number, a[1].heading.as_str()), (1, "第一条"));
    assert_eq!(a[2].body, "本市行政区域内的养犬管理适用本条例。\n本条例所称犬只……");
    assert_eq!((a[3].number, a[3].heading.as_str(), a[3].body.as_str()), (3, "第十二条", "养犬人应当办理登记。"));
}

#[test]
fn a_plan_splits_at_its_numbered_headings_and_plain_text_stays_whole() {
    let a = parse_articles("一、总体要求\n坚持以人民为中心。\n二、主要任务\n（一）完善设施。");
    assert_eq!(a.len(), 2);
    assert_eq!((a[0].heading.as_str(), a[0].body.as_str()), ("一、", "总体要求\n坚持以人民为中心。"));
    assert_eq!(a[1].body, "主要任务\n（一）完善设施。");
    let whole = parse_articles("请对预算草案提出意见。\n谢谢。");
    assert_eq!((whole.len(), whole[0].heading.as_str(), whole[0].number), (1, "全文", 1));
    // "第三条例" inside prose is no marker unless a line starts with it.
    assert_eq!(parse_articles("本法第三条规定……").len(), 1);
}

fn q(number: i32, kind: &str, options: &[&str], required: bool) -> Question {
    Question {
        number,
        kind: kind.into(),
        text: format!("问题{number}"),
        options: options.iter().map(|s| s.to_string()).collect(),
        required,
    }
}

fn item(question: i32) -> AnswerItem {
    AnswerItem { question, choice: None, choices: None, scale: None, text: None }
}

#[test]
fn answers_must_fit_their_questions_and_cover_the_required_ones() {
    let qs = [
        q(1, "single", &["是", "否"], true),
        q(2, "multiple", &["甲", "乙", "丙"], false),
        q(3, "scale", &[], true),
        q(4, "text", &[], false),
    ];
    let ok = check_answers(
        &qs,
        &[
            AnswerItem { choice: Some(1), ..item(1) },
            AnswerItem { choices: Some(vec![2, 0, 2]), ..item(2) },
            AnswerItem { scale: Some(4), ..item(3) },
            AnswerItem { text: Some(" 好 ".into()), ..item(4) },
        ],
    )
    .unwrap();
    assert_eq!(ok, json!({"1": 1, "2": [0, 2], "3": 4, "4": "好"}));
    let missing = check_answers(&qs, &[AnswerItem { choice: Some(0), ..item(1) }]).unwrap_err();
    assert_eq!((missing[0].field.as_str(), missing[0].code.as_str()), ("questions[3]", "required"));
    let foreign = check_answers(&qs, &[AnswerItem { choice: Some(0), ..item(9) }]).unwrap_err();
    assert_eq!((foreign[0].field.as_str(), foreign[0].code.as_str()), ("answers[0].question", "unknown"));
    assert!(check_answers(&qs, &[AnswerItem { choice: Some(2), ..item(1) }, AnswerItem { scale: Some(3), ..item(3) }])
        .is_err());
    assert!(check_answers(&qs, &[AnswerItem { choice: Some(0), ..item(1) }, AnswerItem { scale: Some(6), ..item(3) }])
        .is_err());
    assert!(check_answers(&qs, &[AnswerItem { choice: Some(0), text: Some("x".into()), ..item(1) }]).is_err());
}

#[test]
fn the_tally_counts_with_volumes_means_and_groups() {
    let qs = [q(1, "single", &["是", "否"], true), q(2, "scale", &[], false), q(3, "text", &[], false)];
    let r = |g: &str, v: serde_json::Value| Respondent { group: g.into(), answers: v };
    let rs = [
        r("city", json!({"1": 0, "2": 5})),
        r("city", json!({"1": 1, "2": 4, "3": "再研究"})),
        r("county", json!({"1": 0})),
    ];
    let t = tally(&qs, &rs, true);
    assert_eq!((t[0].answered, t[0].counts[0].count, t[0].counts[0].permille), (3, 2, 667));
    assert_eq!((t[1].answered, t[1].mean_x100, t[1].counts[4].count), (2, Some(450), 1));
    assert_eq!(t[2].texts, vec!["再研究".to_string()]);
    assert_eq!(t[0].groups.len(), 2);
    assert_eq!(
        (t[0].groups[1].group.as_str(), t[0].groups[1].answered, t[0].groups[1].counts[0].count),
        ("county", 1, 1)
    );
}

#[test]
fn the_status_follows_the_window_and_the_feedback() {
    let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let w = (t("2026-12-01 00:00"), t("2026-12-10 00:00"));
    assert_eq!(status("draft", w, false, t("2026-12-05 00:00")), "draft");
    assert_eq!(status("published", w, false, t("2026-11-30 00:00")), "scheduled");
    assert_eq!(status("published", w, false, t("2026-12-05 00:00")), "open");
    assert_eq!(status("published", w, false, t("2026-12-10 00:00")), "closed");
    assert_eq!(status("published", w, true, t("2026-12-11 00:00")), "feedback_published");
}
