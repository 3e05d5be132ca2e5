//! Ceilings measured in the same run: raw single-row INSERT and primary-key SELECT on the
//! configured database, and Redis ZINCRBY / ZREVRANK when Redis is configured.

use diesel::prelude::*;
use lvzhi::config::DatabaseUrl;
use lvzhi::db::{self, AnyConnection};
use std::time::{Duration, Instant};

pub struct Rate {
    pub ops: usize,
    pub errors: usize,
    pub elapsed: Duration,
}

impl Rate {
    pub fn per_sec(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn setup(c: &mut AnyConnection) -> QueryResult<()> {
    let ddl = match c {
        AnyConnection::Pg(_) => "CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)",
        AnyConnection::Sqlite(_) => {
            "CREATE TABLE IF NOT EXISTS bench_ceiling (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL)"
        }
    };
    diesel::sql_query(ddl).execute(c).map(|_| ())
}

/// `threads` connections each insert one row per transaction (autocommit) until the budget runs out.
pub fn insert(url: &DatabaseUrl, threads: usize, max_ops: usize, max_time: Duration) -> Result<Rate, String> {
    let pool = db::build_pool(url, threads as u32 + 1)?;
    setup(&mut *pool.get().map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let per = max_ops / threads;
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let (mut ok, mut err) = (0, 0);
                let Ok(mut c) = pool.get() else { return (0, per) };
                let deadline = Instant::now() + max_time;
                while ok + err < per && Instant::now() < deadline {
                    match diesel::sql_query("INSERT INTO bench_ceiling (v) VALUES ('ceiling')").execute(&mut *c) {
                        Ok(_) => ok += 1,
                        Err(_) => err += 1,
                    }
                }
                (ok, err)
            })
        })
        .collect();
    Ok(joined(handles, start))
}

/// Waits for the worker threads and sums what they did.
fn joined(handles: Vec<std::thread::JoinHandle<(usize, usize)>>, start: Instant) -> Rate {
    let (mut ops, mut errors) = (0, 0);
    for h in handles {
        let (o, e) = h.join().unwrap_or((0, 1));
        ops += o;
        errors += e;
    }
    Rate { ops, errors, elapsed: start.elapsed() }
}

#[derive(QueryableByName)]
struct V {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

/// Primary-key SELECTs of the rows `insert` wrote.
pub fn select(url: &DatabaseUrl, threads: usize, max_ops: usize, max_time: Duration) -> Result<Rate, String> {
    let pool = db::build_pool(url, threads as u32 + 1)?;
    let per = max_ops / threads;
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                let (mut ok, mut err) = (0usize, 0usize);
                let Ok(mut c) = pool.get() else { return (0, per) };
                let deadline = Instant::now() + max_time;
                let mut id = 1 + t as i64 * 7919;
                while ok + err < per && Instant::now() < deadline {
                    id = id % 1000 + 1;
                    let r: QueryResult<Vec<V>> = diesel::sql_query("SELECT v FROM bench_ceiling WHERE id = $1")
                        .bind::<diesel::sql_types::BigInt, _>(id)
                        .load(&mut *c);
                    match r {
                        Ok(rows) if rows.first().is_some_and(|r| !r.v.is_empty()) => ok += 1,
                        _ => err += 1,
                    }
                }
                (ok, err)
            })
        })
        .collect();
    Ok(joined(handles, start))
}

pub fn drop_table(url: &DatabaseUrl) {
    if let Ok(pool) = db::build_pool(url, 1) {
        if let Ok(mut c) = pool.get() {
            let _ = diesel::sql_query("DROP TABLE IF EXISTS bench_ceiling").execute(&mut *c);
        }
    }
}

/// Unpipelined Redis commands from `conns` connections: ZINCRBY, or ZREVRANK when `rank`.
pub async fn redis(url: &str, conns: usize, rank: bool, max_ops: usize, max_time: Duration) -> Result<Rate, String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let key = format!("lvzhi-bench:{}", std::process::id());
    let per = max_ops / conns;
    let start = Instant::now();
    let mut tasks = vec![];
    for t in 0..conns {
        let mut c = client.get_multiplexed_async_connection().await.map_err(|e| e.to_string())?;
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut err) = (0usize, 0usize);
            let deadline = Instant::now() + max_time;
            while ok + err < per && Instant::now() < deadline {
                let member = format!("deputy-{}", (ok * 31 + t) % 5000);
                let r: redis::RedisResult<redis::Value> = if rank {
                    redis::cmd("ZREVRANK").arg(&key).arg(&member).query_async(&mut c).await
                } else {
                    redis::cmd("ZINCRBY").arg(&key).arg(1).arg(&member).query_async(&mut c).await
                };
                if r.is_ok() {
                    ok += 1
                } else {
                    err += 1
                }
            }
            (ok, err)
        }));
    }
    let (mut ops, mut errors) = (0, 0);
    for t in tasks {
        let (o, e) = t.await.unwrap_or((0, 1));
        ops += o;
        errors += e;
    }
    let elapsed = start.elapsed();
    if rank {
        let mut c = client.get_multiplexed_async_connection().await.map_err(|e| e.to_string())?;
        let _: redis::RedisResult<()> = redis::cmd("DEL").arg(&key).query_async(&mut c).await;
    }
    Ok(Rate { ops, errors, elapsed })
}

/// The database's INSERT and SELECT ceilings (8 writers on PostgreSQL, one on SQLite) and
/// Redis's when configured, added to `rows`; answers the INSERT rate.
pub async fn database(
    rows: &mut Vec<crate::Row>,
    db_url: &str,
    (backend, pg): (&str, bool),
    redis_url: Option<&str>,
    b: &crate::rows::Budget,
) -> Result<f64, String> {
    use crate::rows::rate_row;
    let url = DatabaseUrl::parse(db_url)?;
    let writers = if pg { 8 } else { 1 };
    let ins = insert(&url, writers, b.requests / 4, b.time)?;
    rows.push(rate_row(&format!("ceiling: {backend} single-row INSERT ({writers} writer(s), autocommit)"), &ins));
    let sel = select(&url, 2, b.requests, b.time)?;
    rows.push(rate_row(&format!("ceiling: {backend} primary-key SELECT (2 readers)"), &sel));
    drop_table(&url);
    if let Some(r) = redis_url {
        let z = redis(r, 8, false, b.requests, b.time).await?;
        rows.push(rate_row("ceiling: Redis ZINCRBY (8 connections, unpipelined)", &z));
        let zr = redis(r, 8, true, b.requests, b.time).await?;
        rows.push(rate_row("ceiling: Redis ZREVRANK (8 connections, unpipelined)", &zr));
    }
    Ok(ins.per_sec())
}
