//! The phone pages in a real browser: headless Chromium driven through ChromeDriver (WebDriver),
//! at a phone's viewport with WeChat's user agent. One test walks the whole path — a station's
//! page, sign-in with the texted code, an opinion with a photo, the deputy's answer, the close
//! and the rating — with a screenshot of each page in `tests/artifacts/` and an axe-core check
//! of each (no serious or critical violation); another sends three 3 MB photos over an emulated
//! 3G network. Without Chromium, ChromeDriver or axe-core the tests say so and pass, unless
//! LVZHI_REQUIRE_CHROMIUM=1 (CI sets it and installs them).

use crate::browser::{browser, NetworkConditions};
use crate::phone::codes;
use crate::reception::app_with_sms;
use fantoccini::Locator;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
pub async fn a_constituent_walks_from_the_poster_to_a_rated_answer_on_a_phone() {
    let Some(b) = browser().await else { return };
    let (app, g) = app_with_sms().await;
    let (station, deputy_code) = codes(&app).await;
    let phone = "13800142001";
    // The demo deputy is on duty at the station from a minute on: the opinion is theirs.
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    crate::opinion_cases::on_duty(&app, &admin, 1, 1, 1).await;
    let mut problems = vec![];
    b.open(&app, &format!("/m/{station}")).await;
    assert!(b.html().await.contains("本周接待安排"));
    b.shot("station").await;
    problems.extend(b.axe("station").await);
    b.click("a.button[href$='/opinion']").await;
    b.wait_path("/m/sign-in").await;
    b.shot("sign-in").await;
    problems.extend(b.axe("sign-in").await);
    b.sign_in(&app, &g, phone, 0).await;
    b.shot("sign-in-code").await;
    problems.extend(b.axe("sign-in-code").await);
    b.click("form[action='/m/sign-in'] button[type=submit]").await;
    b.wait_path(&format!("/m/{station}/opinion")).await;
    b.c.wait().for_element(Locator::Id("title")).await.unwrap().click().await.unwrap();
    b.c.find(Locator::Id("category")).await.unwrap().select_by_value("transport").await.unwrap();
    b.fill("title", "明光路公交站没有遮雨棚").await;
    b.fill("content", "下雨天候车的老人孩子只能淋雨，希望加装遮雨棚。").await;
    let photo = format!("{}/tests/fixtures/gps.jpg", env!("CARGO_MANIFEST_DIR"));
    b.c.find(Locator::Id("photos")).await.unwrap().send_keys(&photo).await.unwrap();
    b.shot("opinion").await;
    problems.extend(b.axe("opinion").await);
    b.click("form[data-photos] button[type=submit]").await;
    let at = b.wait_path("/m/cases/").await;
    let ticket = at.trim_start_matches("/m/cases/").split('?').next().unwrap().to_string();
    let html = b.html().await;
    assert!(html.contains("提交成功") && html.contains(&ticket) && html.contains("<img"), "the case with its photo");
    b.shot("case").await;
    problems.extend(b.axe("case").await);
    // Staff accept it, the deputy on duty answers it through the API; the page shows the answer.
    app.post(&format!("/api/v1/opinions/{ticket}/accept"), &admin, json!({})).await.expect(200, "");
    let answer = "已联系公交公司，本月底前加装遮雨棚。";
    app.post(&format!("/api/v1/opinions/{ticket}/answer"), &deputy, json!({"body": answer})).await.expect(200, "");
    b.c.refresh().await.unwrap();
    let html = b.html().await;
    assert!(html.contains(answer) && html.contains("代表已答复"));
    b.shot("case-answered").await;
    // Closed by staff; the constituent rates it on the page.
    app.post(&format!("/api/v1/opinions/{ticket}/close"), &admin, json!({})).await.expect(200, "");
    b.c.refresh().await.unwrap();
    b.click("input[name=satisfaction][value=satisfied]").await;
    b.shot("case-closed").await;
    problems.extend(b.axe("case-closed").await);
    b.click("form[action$='/rate'] button[type=submit]").await;
    b.wait_path(&format!("/m/cases/{ticket}?done=rated")).await;
    assert!(b.html().await.contains("已评价"));
    let rated = app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await;
    assert_eq!(
        (rated.body["status"].as_str(), rated.body["satisfaction"].as_str()),
        (Some("rated"), Some("satisfied"))
    );
    // A text was queued at each milestone (sent once the quiet hours allow): accepted,
    // answered, closed.
    lvzhi::reception::text_milestones(&app.state).await.unwrap();
    let mut queued: Vec<String> = app
        .raw_strings("SELECT dedup_id AS v FROM sms_outbox WHERE dedup_id LIKE 'case:%'")
        .into_iter()
        .flatten()
        .map(|d| d.split(':').nth(2).unwrap().to_string())
        .collect();
    queued.sort();
    assert_eq!(queued, ["accepted", "answered", "closed"]);
    // The other pages a constituent meets.
    for (name, path) in [
        ("cases", "/m/cases".to_string()),
        ("deputy", format!("/m/{deputy_code}")),
        ("book", format!("/m/{station}/book")),
        ("not-found", "/m/NO-SUCH-CODE".to_string()),
    ] {
        b.open(&app, &path).await;
        b.shot(name).await;
        problems.extend(b.axe(name).await);
    }
    assert!(problems.is_empty(), "accessibility: {problems:#?}");
    b.c.close().await.unwrap();
}

#[tokio::test]
pub async fn three_3_mb_photos_go_through_a_3g_network_in_under_15_seconds() {
    let Some(b) = browser().await else { return };
    let (app, g) = app_with_sms().await;
    let (station, _) = codes(&app).await;
    b.open(&app, &format!("/m/{station}/opinion")).await;
    b.wait_path("/m/sign-in").await;
    b.sign_in(&app, &g, "13800142002", 0).await;
    b.click("form[action='/m/sign-in'] button[type=submit]").await;
    b.wait_path(&format!("/m/{station}/opinion")).await;
    b.fill("title", "河道垃圾").await;
    b.fill("content", "桥下河道漂浮大量垃圾，附照片三张。").await;
    // Three camera-sized photos (4000×3000, over 3 MB each), made in the page.
    let make = "const done = arguments[arguments.length - 1];
        const one = (seed) => new Promise(ok => {
          const c = document.createElement('canvas'); c.width = 4000; c.height = 3000;
          const g = c.getContext('2d');
          const grad = g.createLinearGradient(0, 0, 4000, 3000);
          grad.addColorStop(0, `hsl(${seed * 70}, 60%, 55%)`); grad.addColorStop(1, `hsl(${seed * 70 + 140}, 50%, 35%)`);
          g.fillStyle = grad; g.fillRect(0, 0, 4000, 3000);
          const img = g.getImageData(0, 0, 4000, 3000), d = img.data;
          let x = seed * 2654435761 >>> 0;
          for (let i = 0; i < d.length; i += 4) { x = (x * 1103515245 + 12345) >>> 0; const n = (x >>> 24) % 25 - 12; d[i] += n; d[i + 1] += n; d[i + 2] += n; }
          g.putImageData(img, 0, 0);
          c.toBlob(b => ok(new File([b], `IMG_${seed}.jpg`, {type: 'image/jpeg'})), 'image/jpeg', 0.92);
        });
        Promise.all([1, 2, 3].map(one)).then(files => {
          const dt = new DataTransfer(); files.forEach(f => dt.items.add(f));
          const input = document.getElementById('photos'); input.files = dt.files;
          input.dispatchEvent(new Event('change'));
          done(files.map(f => f.size));
        });";
    let sizes = b.c.execute_async(make, vec![]).await.unwrap();
    let sizes: Vec<u64> = sizes.as_array().unwrap().iter().map(|s| s.as_u64().unwrap()).collect();
    assert!(sizes.iter().all(|s| *s >= 3 * 1024 * 1024), "each photo is over 3 MB: {sizes:?}");
    // Chromium's "3G" preset (DevTools' Fast 3G): 562.5 ms latency, 1.6 Mbit/s down, 750 kbit/s up.
    let g3 = json!({"offline": false, "latency": 562.5, "download_throughput": 180_000, "upload_throughput": 84_375});
    b.c.issue_cmd(NetworkConditions(g3)).await.unwrap();
    let sent = Instant::now();
    b.click("form[data-photos] button[type=submit]").await;
    let at = b.wait_path("/m/cases/").await;
    let took = sent.elapsed();
    let ticket = at.trim_start_matches("/m/cases/").split('?').next().unwrap().to_string();
    assert!(took < Duration::from_secs(15), "accepted end to end in {took:?} on 3G");
    let admin = app.login("admin").await;
    let case = app.get(&format!("/api/v1/opinions/{ticket}"), &admin).await;
    assert_eq!(case.body["photos"].as_array().unwrap().len(), 3, "{}", case.text);
    eprintln!("three photos of {sizes:?} bytes filed over emulated 3G in {took:?}");
    b.c.close().await.unwrap();
}
