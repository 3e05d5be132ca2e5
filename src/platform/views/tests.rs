use super::noting::{COLLAPSE, NOTED};
use super::serve::{not_modified, tag_of};
use super::*;
use actix_web::http::header::IF_NONE_MATCH;
use actix_web::web::Bytes;

fn serving() -> Views {
    let v = Views::new(1 << 20);
    v.set_following(true);
    v
}

fn kept(b: &[u8]) -> Kept {
    Kept { body: Bytes::copy_from_slice(b), tag: tag_of(b) }
}

fn body(k: Option<Kept>) -> Option<Bytes> {
    k.map(|k| k.body)
}

fn at(h: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 26).and_then(|d| d.and_hms_opt(h, 0, 0)).unwrap()
}

#[test]
fn an_entry_is_served_until_a_change_to_its_deputy_is_applied() {
    let v = serving();
    let s = v.stamp();
    v.put(View::Unread, 7, 0, s, None, kept(b"1"));
    assert_eq!(body(v.get(View::Unread, 7, 0, at(9))).as_deref(), Some(&b"1"[..]));
    assert_eq!(v.get(View::Unread, 7, 1, at(9)), None, "another variant");
    v.apply(vec![Touch { family: Family::Points, deputy: Some(7) }], false);
    assert!(v.get(View::Unread, 7, 0, at(9)).is_some(), "another family");
    v.apply(vec![Touch { family: Family::Inbox, deputy: Some(8) }], false);
    assert!(v.get(View::Unread, 7, 0, at(9)).is_some(), "another deputy");
    v.apply(vec![Touch { family: Family::Inbox, deputy: Some(7) }], false);
    assert_eq!(v.get(View::Unread, 7, 0, at(9)), None);
    assert_eq!(v.hits(), 3);
}

#[test]
fn a_change_applied_while_the_read_was_in_flight_makes_its_entry_stale() {
    let v = serving();
    let s = v.stamp();
    // The write commits and is applied after the read took its stamp, before it keeps its answer.
    v.apply(vec![Touch { family: Family::Inbox, deputy: Some(7) }], false);
    v.put(View::InboxPage, 7, 0, s, None, kept(b"old"));
    assert_eq!(v.get(View::InboxPage, 7, 0, at(9)), None);
    // A read that starts after the change is served.
    let s = v.stamp();
    v.put(View::InboxPage, 7, 0, s, None, kept(b"new"));
    assert_eq!(body(v.get(View::InboxPage, 7, 0, at(9))).as_deref(), Some(&b"new"[..]));
    // A change to everyone in the family.
    v.apply(vec![Touch { family: Family::Inbox, deputy: None }], false);
    assert_eq!(v.get(View::InboxPage, 7, 0, at(9)), None);
}

#[test]
fn nothing_is_served_while_the_bus_is_not_followed_or_after_the_view_expires() {
    let v = Views::new(1 << 20);
    let s = v.stamp();
    v.set_following(true);
    v.put(View::Points, 7, 2026, s, Some(at(10)), kept(b"x"));
    assert!(v.get(View::Points, 7, 2026, at(9)).is_some());
    assert_eq!(v.get(View::Points, 7, 2026, at(10)), None, "the view is no longer true at 10:00");
    v.set_following(false);
    assert_eq!(v.get(View::Points, 7, 2026, at(9)), None);
    // Following again forgets what was kept.
    v.forget_all();
    v.set_following(true);
    assert_eq!(v.get(View::Points, 7, 2026, at(9)), None);
    assert!(!Views::new(0).serving(), "a size of 0 keeps nothing");
}

#[test]
fn changes_noted_in_a_job_are_applied_when_it_ends_and_announced() {
    let v = serving();
    let (tx, mut rx) = mpsc::unbounded_channel();
    v.set_outbox(tx);
    let s = v.stamp();
    v.put(View::Points, 3, 2026, s, None, kept(b"x"));
    within(&v, || {
        touch(Family::Points, 3);
        touch_all(Family::Inbox);
    });
    assert_eq!(v.get(View::Points, 3, 2026, at(9)), None);
    assert_eq!(
        rx.try_recv().unwrap(),
        vec![Touch { family: Family::Inbox, deputy: None }, Touch { family: Family::Points, deputy: Some(3) }]
    );
    // Outside a job nothing is applied anywhere, and nothing leaks into the next job.
    touch(Family::Points, 4);
    committed();
    within(&v, || {});
    assert!(rx.try_recv().is_err());
}

#[test]
fn many_changes_in_one_job_collapse_into_a_change_to_everyone() {
    for d in 0..(COLLAPSE as i64 + 5) {
        touch(Family::Points, d);
    }
    let noted = NOTED.with_borrow_mut(std::mem::take);
    assert!(noted.len() < 10);
    assert!(noted.contains(&Touch { family: Family::Points, deputy: None }));
}

#[test]
fn announcements_read_back_and_unknown_parts_mean_more_not_less() {
    let t = vec![Touch { family: Family::Inbox, deputy: Some(12) }, Touch { family: Family::Points, deputy: None }];
    assert_eq!(decode(&encode(&t)), t);
    assert_eq!(decode("x:5").len(), 2);
    assert_eq!(decode("i:abc"), vec![Touch { family: Family::Inbox, deputy: None }]);
    assert!(decode("").is_empty());
    // The announcing instance's mark is not a change, and an instance knows its own.
    let v = Views::new(1 << 20);
    let own = format!("{},p:3", v.0.origin);
    assert_eq!(decode(&own), vec![Touch { family: Family::Points, deputy: Some(3) }]);
    assert!(v.own(&own) && v.own(&v.0.origin));
    assert!(!v.own(&format!("{}0,p:3", v.0.origin)) && !v.own("o:0000000000000000,p:3") && !v.own("p:3"));
}

#[test]
fn a_change_to_one_deputy_leaves_the_others_kept() {
    let v = serving();
    let s = v.stamp();
    for d in 1..=1000 {
        v.put(View::Points, d, 2026, s, None, kept(b"x"));
    }
    within(&v, || touch(Family::Points, 500));
    assert_eq!(v.get(View::Points, 500, 2026, at(9)), None);
    // Another family of the same deputy, and (but for a rare shared slot) other deputies, stay.
    let kept_now = (1..=1000).filter(|d| v.get(View::Points, *d, 2026, at(9)).is_some()).count();
    assert!(kept_now >= 995, "{kept_now} of 999 kept");
    v.put(View::Unread, 500, 0, s, None, kept(b"1"));
    assert!(v.get(View::Unread, 500, 0, at(9)).is_some());
}

#[test]
fn a_rendering_over_the_size_limit_is_not_kept() {
    let v = serving();
    let s = v.stamp();
    v.put(View::Points, 9, 2026, s, None, kept(&vec![b' '; MAX_KEPT_BYTES + 1]));
    assert_eq!(v.get(View::Points, 9, 2026, at(9)), None);
    v.put(View::Points, 9, 2026, s, None, kept(&vec![b' '; MAX_KEPT_BYTES]));
    assert!(v.get(View::Points, 9, 2026, at(9)).is_some());
}

#[test]
fn tags_name_the_bytes_and_if_none_match_is_read_like_http_says() {
    assert_eq!(tag_of(b"{}"), tag_of(b"{}"));
    assert_ne!(tag_of(b"{\"unread\":1}"), tag_of(b"{\"unread\":2}"));
    let req = |v: &str| actix_web::test::TestRequest::default().insert_header((IF_NONE_MATCH, v)).to_http_request();
    let t = tag_of(b"x");
    assert!(not_modified(&req(&t), &t));
    assert!(not_modified(&req(&format!("\"other\", W/{t}")), &t));
    assert!(not_modified(&req("*"), &t));
    assert!(!not_modified(&req("\"other\""), &t));
    assert!(!not_modified(&actix_web::test::TestRequest::default().to_http_request(), &t));
}
