//! The phone pages' other paths: booking a reception from a station's or a deputy's page and
//! cancelling it; following a similar case nearby instead of filing it again, and unfollowing.

use crate::opinion_cases::on_duty;
use crate::phone::{codes, Phone};
use crate::reception::app_with_sms;

#[tokio::test]
pub async fn a_reception_is_booked_from_the_station_page_and_cancelled() {
    let (app, g) = app_with_sms().await;
    let (station, deputy) = codes(&app).await;
    let admin = app.login("admin").await;
    let slot = on_duty(&app, &admin, 1, 1, 3 * 24 * 60).await;
    let mut phone = Phone::new(&app);
    phone.sign_in(&app, &g, "13800144001", "/m/cases").await;
    let form = phone.get(&format!("/m/{station}/book")).await;
    assert_eq!(form.status, 200);
    let choice = format!("{slot}:1");
    assert!(form.html.contains(&format!("value=\"{choice}\"")), "the slot in three days is offered");
    // The deputy's own page offers the same slot.
    let theirs = phone.get(&format!("/m/{deputy}/book")).await;
    assert!(theirs.html.contains(&format!("value=\"{choice}\"")));
    let csrf = phone.csrf();
    // No video room is configured here: said in words.
    let online = phone
        .post(
            &format!("/m/{station}/book"),
            &[("csrf", &csrf), ("choice", &choice), ("mode", "online"), ("topic", "t")],
        )
        .await;
    assert!(online.status == 422 && online.html.contains("暂不提供视频接待"));
    let booked = phone
        .post(
            &format!("/m/{station}/book"),
            &[("csrf", &csrf), ("choice", &choice), ("mode", "in_person"), ("topic", "老旧小区加装电梯")],
        )
        .await;
    assert_eq!((booked.status, booked.location()), (303, "/m/cases#appointments"));
    let list = phone.get("/m/cases").await;
    assert!(list.html.contains("老旧小区加装电梯") && list.html.contains("待确认") && list.html.contains("到站面谈"));
    // Booking the same again answers in words, not a stack trace.
    let again = phone
        .post(
            &format!("/m/{station}/book"),
            &[("csrf", &csrf), ("choice", &choice), ("mode", "in_person"), ("topic", "再约")],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.html.contains("您已预约过该时段"), "{}", again.html);
    let id = list.html.split("/m/appointments/").nth(1).unwrap().split('/').next().unwrap().to_string();
    let cancelled = phone.post(&format!("/m/appointments/{id}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!(cancelled.status, 303);
    assert!(phone.get("/m/cases").await.html.contains("已取消"));
}

#[tokio::test]
pub async fn a_similar_case_nearby_is_shown_first_and_can_be_followed_instead() {
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    let (lat, lng) = ("31.8480", "117.3000");
    let mut alice = Phone::new(&app);
    alice.sign_in(&app, &g, "13800144002", "/m/cases").await;
    let filed = alice
        .file(
            &station,
            &[
                ("category", "environment"),
                ("title", "河道发臭"),
                ("content", "桥下河道发臭"),
                ("latitude", lat),
                ("longitude", lng),
                ("coord_system", "wgs84"),
            ],
        )
        .await;
    assert_eq!(filed.status, 303, "{}", filed.html);
    let ticket = filed.location().trim_start_matches("/m/cases/").split('?').next().unwrap().to_string();
    // Bob, 50 m away, about the same thing: the case is shown before his is filed.
    let mut bob = Phone::new(&app);
    bob.sign_in(&app, &g, "13800144003", "/m/cases").await;
    let shown = bob
        .file(
            &station,
            &[
                ("category", "environment"),
                ("title", "河水很臭"),
                ("content", "夏天更严重"),
                ("latitude", "31.8484"),
                ("longitude", lng),
                ("coord_system", "wgs84"),
            ],
        )
        .await;
    let csrf = bob.csrf();
    assert_eq!(shown.status, 200);
    assert!(shown.html.contains("附近已有类似意见") && shown.html.contains(&ticket), "{}", shown.html);
    assert!(
        shown.html.contains("value=\"河水很臭\"") && shown.html.contains("name=\"confirm\" value=\"1\""),
        "what he typed is kept"
    );
    assert_eq!(app.raw_strings("SELECT ticket AS v FROM opinions").len(), 1, "nothing filed yet");
    let followed = bob
        .post(
            &format!("/m/cases/{ticket}/follow"),
            &[("csrf", &csrf), ("latitude", "31.8484"), ("longitude", lng), ("coord_system", "wgs84")],
        )
        .await;
    assert_eq!((followed.status, followed.location()), (303, format!("/m/cases/{ticket}?done=followed").as_str()));
    let seen = bob.get(&format!("/m/cases/{ticket}")).await;
    assert!(seen.html.contains("取消关注") && !seen.html.contains("桥下河道发臭"), "a follower sees a summary only");
    let gone = bob.post(&format!("/m/cases/{ticket}/unfollow"), &[("csrf", &csrf)]).await;
    assert_eq!((gone.status, gone.location()), (303, "/m/cases"));
    assert_eq!(bob.get(&format!("/m/cases/{ticket}")).await.status, 404);
}
