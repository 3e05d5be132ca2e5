//! A phone in a real browser for the page tests: ChromeDriver and headless Chromium at a 390 px
//! viewport with WeChat's user agent (WebDriver through `fantoccini`), screenshots into
//! `tests/artifacts/`, axe-core's accessibility check, and Chromium's network emulation.

use crate::helpers::*;
use crate::phone::WECHAT_UA;
use crate::reception::code_for;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct Browser {
    pub c: Client,
    _driver: tokio::process::Child,
    axe: String,
}

fn required() -> bool {
    std::env::var("LVZHI_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1")
}

fn axe_source() -> Option<String> {
    let path = std::env::var("LVZHI_AXE_JS")
        .unwrap_or_else(|_| format!("{}/target/axe/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR")));
    std::fs::read_to_string(path).ok()
}

/// Starts ChromeDriver and a phone-sized headless Chromium (None: not installed here).
pub async fn browser() -> Option<Browser> {
    started(json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0}, "userAgent": WECHAT_UA})).await
}

/// The same at a tablet's size, as station staff use the desk.
pub async fn tablet() -> Option<Browser> {
    started(json!({"deviceMetrics": {"width": 1024, "height": 768, "pixelRatio": 1.0}})).await
}

async fn started(screen: Value) -> Option<Browser> {
    let installed = ["/usr/bin/chromium", "/usr/bin/chromedriver"].iter().all(|p| std::path::Path::new(p).exists());
    let axe = axe_source();
    if !installed || axe.is_none() {
        assert!(!required(), "LVZHI_REQUIRE_CHROMIUM=1 but Chromium, ChromeDriver or axe-core is missing");
        eprintln!("skipping a browser test: install chromium, chromium-driver and axe-core (see .ci/run)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = tokio::process::Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap().keep();
    let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.display()), "--lang=zh-CN"],
            "mobileEmulation": screen
        }
    }))
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let c = loop {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => break c,
            Err(e) => {
                assert!(Instant::now() < deadline, "no WebDriver session: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    Some(Browser { c, _driver: driver, axe: axe.unwrap_or_default() })
}

impl Browser {
    pub async fn open(&self, app: &TestApp, path: &str) {
        self.c.goto(&app.url(path)).await.unwrap();
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let u = self.c.current_url().await.unwrap();
        match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        }
    }

    /// Waits (with a deadline) until the browser is on a path starting with `prefix`.
    pub async fn wait_path(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let p = self.path().await;
            if p.starts_with(prefix) {
                return p;
            }
            assert!(Instant::now() < deadline, "still on {p}, waiting for {prefix}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn html(&self) -> String {
        self.c.source().await.unwrap()
    }

    pub async fn fill(&self, id: &str, text: &str) {
        self.c.wait().for_element(Locator::Id(id)).await.unwrap().send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.c.wait().for_element(Locator::Css(css)).await.unwrap().click().await.unwrap();
    }

    /// A screenshot of the page into tests/artifacts/m-{name}.png.
    pub async fn shot(&self, name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.c.screenshot().await.unwrap();
        assert!(png.len() > 3_000, "a screenshot of {name}");
        std::fs::write(dir.join(format!("m-{name}.png")), png).unwrap();
    }

    /// The page's serious and critical accessibility violations, by axe-core.
    pub async fn axe(&self, name: &str) -> Vec<String> {
        let loaded = format!("{};\nreturn typeof axe;", self.axe);
        assert_eq!(self.c.execute(&loaded, vec![]).await.unwrap(), json!("object"), "axe-core loaded on {name}");
        let run = "const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
              .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))
              .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));";
        let found = self.c.execute_async(run, vec![]).await.unwrap();
        found
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
            .map(|v| format!("{name}: {} ({}) at {}", v["id"], v["help"], v["nodes"]))
            .collect()
    }

    /// Signs in through the pages with the texted code, starting from `start`; returns where
    /// the browser is afterwards.
    pub async fn sign_in(&self, app: &TestApp, g: &crate::fake_gateway::Gateway, phone: &str, texts_before: usize) {
        self.fill("phone", phone).await;
        self.click("form[action='/m/sign-in/code'] button[type=submit]").await;
        self.c.wait().for_element(Locator::Id("code")).await.unwrap();
        let code = code_for(app, g, phone, texts_before + 1).await;
        self.fill("code", &code).await;
        self.click("input[name=consent]").await;
    }
}

/// Chromium's network emulation through ChromeDriver.
#[derive(Debug)]
pub struct NetworkConditions(pub Value);

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/chromium/network_conditions", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "network_conditions": self.0 }).to_string()))
    }
}
