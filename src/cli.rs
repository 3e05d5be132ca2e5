//! Subcommands: serve (default), migrate, seed-demo, create-admin, openapi, verify-ledger,
//! verify-tally, rebuild-balances, rebuild-rankings, rotate-keys, rotate-pii-keys, seed-scale.

use crate::config::{LogFormat, Settings};
use crate::platform::Clock;
use crate::startup::{build_state, Application};
use crate::{auth, db, demo, openapi, org};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "lvzhi", version, about = "lvzhi (履职): deputies' duty-performance backend and cloud reception room")]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Apply migrations, start HTTP and the background workers (the default).
    Serve {
        /// Seed the demo congress when the directory holds no deputies yet.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Seed the demo congress (one city, 3 counties, 12 townships, ~400 deputies).
    SeedDemo,
    /// Seed a congress of N deputies with a year of duty, for load tests: regions, groups,
    /// stations (one per 25 deputies), monthly check-ins, the year's ledger, notices to every city.
    SeedScale {
        #[arg(long)]
        deputies: usize,
        /// Notices published to every city.
        #[arg(long, default_value_t = 12)]
        notices: usize,
    },
    /// Create an admin account.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// GB/T 2260 code of the region the admin is scoped to (omit for the whole installation).
        #[arg(long)]
        region: Option<String>,
    },
    /// Print the OpenAPI document (JSON) to stdout.
    Openapi,
    /// Recompute every ledger hash chain; exit 1 naming the first broken entry. With --archive,
    /// check a signed duty archive against the ledger instead.
    VerifyLedger {
        /// A signed duty archive (`GET /api/v1/deputies/{id}/archive/signed`).
        #[arg(long)]
        archive: Option<std::path::PathBuf>,
    },
    /// Recount a downloaded vote result (`/api/v1/public/project-rounds/{id}/result`), check its SHA-256.
    VerifyTally {
        /// The downloaded result.
        file: std::path::PathBuf,
    },
    /// Write the events of a period (and a region's subtree) to a signed NDJSON exchange file.
    ExportFeed(crate::ops::ExportFeed),
    /// Check an exchange file written by `export-feed` against this installation's keys.
    VerifyFeed { file: std::path::PathBuf },
    /// Recompute ledger balances from the entries, report every difference and fix them.
    RebuildBalances,
    /// Rebuild a year's leaderboards (sorted sets) from the database and make them current.
    RebuildRankings {
        /// Calendar year (default: this year in the congress time zone).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Run a local push/SMS gateway that logs what it receives (for the demo; see docs/DEMO.md).
    FakeGateway {
        #[arg(long, default_value = "127.0.0.1:9900")]
        bind: String,
        /// The webhook secret: pushes with a wrong signature are refused.
        #[arg(long)]
        secret: Option<String>,
    },
    /// Retire the generated JWT signing key and create a new one (old tokens stay valid until they expire).
    RotateKeys,
    /// Re-seal personal data under the first key of LVZHI_PII_KEYS and recompute the phone
    /// lookup hashes with LVZHI_PII_HASH_KEY (see docs/SECURITY.md, key rotation).
    RotatePiiKeys,
}

fn init_tracing(s: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match s.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let cmd = cli.cmd.unwrap_or(Cmd::Serve { demo: false });
    if let Cmd::Openapi = cmd {
        print!("{}", openapi::spec_json());
        return ExitCode::SUCCESS;
    }
    if let Cmd::VerifyTally { file } = &cmd {
        return exit(crate::projects::verify_tally_file(file).map(|said| println!("{said}")));
    }
    if let Cmd::FakeGateway { bind, secret } = &cmd {
        return exit(crate::ops::serve_fake_gateway(bind, secret.clone()));
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lvzhi: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&settings);
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lvzhi: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cmd, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lvzhi: {e}");
            ExitCode::FAILURE
        }
    }
}

/// An offline command's outcome as the exit code (its error on stderr).
fn exit(r: Result<(), String>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lvzhi: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cmd: Cmd, settings: Settings) -> Result<(), String> {
    match cmd {
        Cmd::Serve { demo } => serve(settings, demo).await,
        Cmd::Migrate => {
            let pool = db::build_pool(&settings.database_url, 2)?;
            let n = db::migrate(&pool)?;
            println!("applied {n} migration(s)");
            Ok(())
        }
        Cmd::SeedDemo => {
            let state = build_state(settings, Clock::system()).await?;
            let summary = demo::seed(&state).await.map_err(|e| e.to_string())?;
            print_logins(&summary);
            Ok(())
        }
        Cmd::SeedScale { deputies, notices } => {
            let state = build_state(settings, Clock::system()).await?;
            let t = std::time::Instant::now();
            let s = demo::seed_scale(&state, deputies, notices).await.map_err(|e| e.detail.to_string())?;
            println!(
                "seeded {} deputies, {} stations, {} check-ins, {} ledger entries, {} notices ({} inbox rows) in {:.1} s",
                s.deputies,
                s.stations,
                s.checkins,
                s.entries,
                s.notices,
                s.inbox_rows,
                t.elapsed().as_secs_f64()
            );
            for (what, secs) in &s.timings {
                println!("  {what}: {secs:.1} s");
            }
            Ok(())
        }
        Cmd::CreateAdmin { username, password, region } => {
            let state = build_state(settings, Clock::system()).await?;
            let id = demo::create_admin(&state, &username, &password, region.as_deref())
                .await
                .map_err(|e| e.detail.to_string())?;
            println!("created admin `{username}` (account {id})");
            Ok(())
        }
        Cmd::VerifyLedger { archive: Some(file) } => {
            crate::ops::verify_archive(&build_state(settings, Clock::system()).await?, &file).await
        }
        Cmd::ExportFeed(a) => crate::ops::export_feed(&build_state(settings, Clock::system()).await?, a).await,
        Cmd::VerifyFeed { file } => crate::ops::verify_feed(&build_state(settings, Clock::system()).await?, &file),
        Cmd::VerifyLedger { archive: None } => {
            let state = build_state(settings, Clock::system()).await?;
            let v = db::run(&state.db, crate::ledger::verify_chains).await.map_err(|e| e.to_string())?;
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            match v.first_broken_entry {
                None => Ok(()),
                Some(id) => {
                    Err(format!("ledger chain broken at entry {id} (deputy {})", v.broken_deputy.unwrap_or_default()))
                }
            }
        }
        Cmd::RebuildBalances => {
            let state = build_state(settings, Clock::system()).await?;
            let diffs =
                db::tx(&state.db, |c| crate::ledger::rebuild_balances(c, true)).await.map_err(|e| e.to_string())?;
            for d in &diffs {
                println!("{d}");
            }
            println!(
                "{} balance(s) differed from the entries{}",
                diffs.len(),
                if diffs.is_empty() { "" } else { "; rewritten" }
            );
            Ok(())
        }
        Cmd::RebuildRankings { year } => {
            let state = build_state(settings, Clock::system()).await?;
            let year =
                year.unwrap_or_else(|| chrono::Datelike::year(&state.clock.now().with_timezone(&state.settings.tz)));
            let done = match state.settings.rankings {
                crate::config::Rankings::Sql => crate::ledger::build_rank_tables(&state, year)
                    .await
                    .map(|n| format!("ranking tables of {year} brought to the database's totals: {n} deputies")),
                _ => crate::ledger::rebuild_board(&state, year).await.map(|n| {
                    format!("leaderboards of {year} rebuilt: {n} deputies (cache: {})", state.cache.backend())
                }),
            };
            println!("{}", done.map_err(|e| e.to_string())?);
            Ok(())
        }
        Cmd::RotateKeys => {
            let kid = auth::rotate_keys(&settings)?;
            println!("new signing key {kid}; restart the instances to pick it up");
            Ok(())
        }
        Cmd::RotatePiiKeys => {
            let state = build_state(settings, Clock::system()).await?;
            let pii = state.pii.clone();
            let done = db::run(&state.db, move |c| crate::ops::rotate_pii(c, &pii)).await.map_err(|e| e.to_string())?;
            for (column, n) in &done {
                println!("{column}: {n} row(s) re-sealed");
            }
            println!(
                "personal data is sealed under key `{}`; keys after it in LVZHI_PII_KEYS may now be removed",
                state.pii.current_kid()
            );
            Ok(())
        }
        Cmd::Openapi | Cmd::FakeGateway { .. } | Cmd::VerifyTally { .. } => Ok(()),
    }
}

fn print_logins(s: &demo::Summary) {
    println!("demo logins (password for all: {}):", s.password);
    for (user, what) in &s.logins {
        println!("  {user:<14} {what}");
    }
}

async fn serve(settings: Settings, demo_data: bool) -> Result<(), String> {
    let state = build_state(settings, Clock::system()).await?;
    crate::ops::check_agreement(&state).await?;
    if demo_data {
        let deputies = db::run(&state.db, org::count_deputies).await.map_err(|e| e.to_string())?;
        if deputies == 0 {
            let s = demo::seed(&state).await.map_err(|e| e.to_string())?;
            print_logins(&s);
        } else {
            println!("demo data: the directory already holds {deputies} deputies; not seeding");
            println!(
                "demo logins (if seeded before): admin, yaohai, staff1, staff2, unit1, unit2, deputy; password {}",
                demo::PASSWORD
            );
        }
    }
    let app = Application::start(state)?;
    let host =
        app.state.settings.bind.rsplit_once(':').map(|(h, _)| h.to_string()).unwrap_or_else(|| "127.0.0.1".into());
    let base = format!("http://{host}:{}", app.port());
    println!("lvzhi listening on {base}");
    println!("  API      {base}/api/v1");
    println!("  docs     {base}/docs/");
    println!("  OpenAPI  {base}/api-docs/openapi.json");
    if demo_data {
        demo::print_pages(&app.state, &base).await;
    }
    app.run_until_stopped().await.map_err(|e| e.to_string())
}
