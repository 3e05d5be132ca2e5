//! Spawns the real application on port 0 with a fresh database per test: a SQLite temp file, or a
//! new PostgreSQL database when `TEST_DATABASE_URL` is set (Redis too with `TEST_REDIS_URL`).

pub use crate::client::*;
use diesel::{Connection, PgConnection, RunQueryDsl};
use lvzhi::config::Settings;
use lvzhi::platform::Clock;
use lvzhi::startup::{build_state, Application};
use lvzhi::state::AppState;
use std::collections::HashMap;

pub const PASSWORD: &str = lvzhi::demo::PASSWORD;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    pub state: AppState,
    pg_db: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

pub fn pg_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty())
}

/// Creates a fresh PostgreSQL database; returns its URL and name.
pub fn fresh_pg(base: &str) -> (String, String) {
    let name = format!("lvzhi_t_{}", uuid::Uuid::new_v4().simple());
    lvzhi::db::checkout::init_tls();
    let mut c =
        PgConnection::establish(base).expect("TEST_DATABASE_URL must be reachable (CI fails rather than skips)");
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create test database");
    let (head, _) = base.rsplit_once('/').expect("TEST_DATABASE_URL needs a database path");
    (format!("{head}/{name}"), name)
}

/// Drops a database made by [`fresh_pg`] (nothing without TEST_DATABASE_URL).
pub fn drop_pg(name: &str) {
    if let Some(base) = pg_admin_url() {
        lvzhi::db::checkout::init_tls();
        if let Ok(mut c) = PgConnection::establish(&base) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((_, name)) = &self.pg_db {
            let name = name.clone();
            let _ = std::thread::spawn(move || drop_pg(&name)).join();
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(&[]).await
}

/// Spawns with extra environment settings (e.g. a lower login rate limit).
pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut env: HashMap<String, String> = HashMap::new();
    let pg_db = pg_admin_url().map(|base| fresh_pg(&base));
    let db_url = match &pg_db {
        Some((url, _)) => url.clone(),
        None => format!("sqlite://{}", dir.path().join("test.db").display()),
    };
    env.insert("DATABASE_URL".into(), db_url);
    if let Ok(r) = std::env::var("TEST_REDIS_URL") {
        if !r.is_empty() {
            env.insert("REDIS_URL".into(), r);
            env.insert("LVZHI_REDIS_PREFIX".into(), format!("lvzhi-test:{}:", uuid::Uuid::new_v4().simple()));
        }
    }
    env.insert("LVZHI_BIND".into(), "127.0.0.1:0".into());
    env.insert("LVZHI_DATA_DIR".into(), dir.path().display().to_string());
    env.insert("LVZHI_ARGON2_MEMORY_KIB".into(), "256".into());
    env.insert("LVZHI_WORKERS".into(), "2".into());
    env.insert("LVZHI_DB_POOL_SIZE".into(), "4".into());
    env.insert("LVZHI_LOGIN_RATE_PER_MINUTE".into(), "1000".into());
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let settings = Settings::from_lookup(&move |k| env.get(k).cloned()).expect("test settings");
    let clock = Clock::system();
    let state = build_state(settings, clock.clone()).await.expect("build state");
    let app = Application::start(state.clone()).expect("start app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { base, client, clock, state, pg_db, _dir: dir }
}

/// Spawns and seeds the demo congress (Hefei; admin = city, yaohai = 瑶海区 only).
pub async fn spawn_demo() -> TestApp {
    spawn_demo_with(&[]).await
}

/// [`spawn_demo`] with extra environment settings.
pub async fn spawn_demo_with(extra: &[(&str, &str)]) -> TestApp {
    let app = spawn_with(extra).await;
    lvzhi::demo::seed_directory(&app.state).await.expect("seed demo");
    app
}

impl TestApp {
    /// Applies pending leaderboard changes (the board worker does it every 250 ms).
    pub async fn settle_rankings(&self) {
        while lvzhi::ledger::drain_board(&self.state).await.expect("drain the ranking outbox") > 0 {}
    }

    /// A second server over the same state with changed settings (e.g. another ranking source);
    /// answers its base URL.
    pub fn twin(&self, change: impl FnOnce(&mut Settings)) -> String {
        let mut settings = (*self.state.settings).clone();
        change(&mut settings);
        let mut state = self.state.clone();
        state.settings = std::sync::Arc::new(settings);
        let app = Application::start(state).expect("start twin");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }
}

impl TestApp {
    /// Another server over the same database with another state (e.g. other personal-data
    /// keys); the original keeps (and drops) the database.
    pub fn sibling(&self, state: AppState) -> TestApp {
        let app = Application::start(state.clone()).expect("start sibling");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            client: self.client.clone(),
            clock: self.clock.clone(),
            state,
            pg_db: None,
            _dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Rows of the query's first column, as text (`SELECT … AS v`).
    pub fn raw_strings(&self, sql: &str) -> Vec<Option<String>> {
        #[derive(diesel::QueryableByName)]
        struct V {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            v: Option<String>,
        }
        let mut c = self.state.db.get().expect("connection");
        diesel::sql_query(sql).load::<V>(&mut *c).expect(sql).into_iter().map(|r| r.v).collect()
    }

    /// The tables holding `needle` anywhere in a row, read raw (every column as text).
    pub fn tables_containing(&self, needle: &str) -> Vec<String> {
        let tables: Vec<String> = if self.is_postgres() {
            self.raw_strings("SELECT tablename AS v FROM pg_tables WHERE schemaname = 'public'")
        } else {
            self.raw_strings("SELECT name AS v FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        }
        .into_iter()
        .flatten()
        .collect();
        let mut hits = vec![];
        for t in tables {
            let sql = if self.is_postgres() {
                format!("SELECT CAST(count(*) AS TEXT) AS v FROM \"{t}\" x WHERE x::text LIKE '%{needle}%'")
            } else {
                let cols = self.raw_strings(&format!("SELECT name AS v FROM pragma_table_info('{t}')"));
                let any = cols
                    .into_iter()
                    .flatten()
                    .map(|c| format!("CAST(\"{c}\" AS TEXT) LIKE '%{needle}%'"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                format!("SELECT CAST(count(*) AS TEXT) AS v FROM \"{t}\" WHERE {any}")
            };
            if self.raw_strings(&sql).first().cloned().flatten().as_deref() != Some("0") {
                hits.push(t);
            }
        }
        hits
    }
}

impl TestApp {
    /// A second instance over the same database and cache, with its own live-stream side (as
    /// another process would have); answers its base URL.
    pub fn twin_instance(&self) -> String {
        let mut state = self.state.clone();
        state.live = Default::default();
        let app = Application::start(state).expect("start twin");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }
}
