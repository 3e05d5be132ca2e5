//! Prometheus metrics: request counts and latency histograms per route, DB pool usage, and what
//! the database writer threads did (jobs, transactions, fallbacks: jobs per transaction is the
//! group-commit factor), the reads served from kept views, what the outboxes settled and
//! how the background jobs went.

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    writer: IntGaugeVec,
    views: IntGaugeVec,
    outbox: IntGaugeVec,
    jobs: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("lvzhi".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route and status"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency by route")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]),
            &["method", "route"],
        )?;
        let pool =
            IntGaugeVec::new(Opts::new("db_pool_connections", "database pool connections by state"), &["state"])?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        let writer = IntGaugeVec::new(
            Opts::new("db_writer_count", "database writer threads since start: jobs, transactions, fallbacks"),
            &["kind"],
        )?;
        registry.register(Box::new(writer.clone()))?;
        let views = IntGaugeVec::new(
            Opts::new(
                "views_count",
                "kept views: reads served from memory since start, and whether they are served now (1) or not (0)",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(views.clone()))?;
        let outbox = IntGaugeVec::new(
            Opts::new("outbox_settled_count", "push and SMS rows settled since start, by outbox and step"),
            &["outbox", "step"],
        )?;
        registry.register(Box::new(outbox.clone()))?;
        let jobs = IntGaugeVec::new(
            Opts::new("background_job_count", "background jobs since start: rounds run and steps failed"),
            &["job", "kind"],
        )?;
        registry.register(Box::new(jobs.clone()))?;
        Ok(Metrics { registry, requests, latency, pool, writer, views, outbox, jobs })
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.latency.with_label_values(&[method, route]).observe(secs);
    }

    pub fn render(&self, db: &crate::db::Db, views: &crate::platform::views::Views) -> String {
        let st = db.pool.state();
        let (jobs, transactions, fallbacks) = db.writer.counts.snapshot();
        for (k, v) in [("jobs", jobs), ("transactions", transactions), ("fallbacks", fallbacks)] {
            self.writer.with_label_values(&[k]).set(v as i64);
        }
        self.views.with_label_values(&["served_from_memory"]).set(views.hits() as i64);
        self.views.with_label_values(&["serving"]).set(views.serving() as i64);
        for (outbox, step, n) in crate::platform::outbox::Tally::snapshot() {
            self.outbox.with_label_values(&[outbox, step]).set(n as i64);
        }
        for (job, rounds, failures) in crate::platform::jobs::snapshot() {
            self.jobs.with_label_values(&[job, "rounds"]).set(rounds as i64);
            self.jobs.with_label_values(&[job, "failed_steps"]).set(failures as i64);
        }
        self.pool.with_label_values(&["idle"]).set(st.idle_connections as i64);
        self.pool.with_label_values(&["in_use"]).set((st.connections - st.idle_connections) as i64);
        let mut buf = vec![];
        if TextEncoder::new().encode(&self.registry.gather(), &mut buf).is_err() {
            return String::new();
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}
