//! The binary itself: bad configuration stops start-up naming the variable; create-admin then
//! `serve --demo` still seeds; SIGTERM shuts down gracefully.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn lvzhi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lvzhi"));
    c.env_remove("DATABASE_URL").env_remove("REDIS_URL").env("LVZHI_ARGON2_MEMORY_KIB", "256");
    c
}

#[test]
fn bad_configuration_names_the_variable_and_exits_non_zero() {
    for (var, value) in [
        ("LVZHI_TZ", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://x/y"),
        ("LVZHI_MAX_BODY_BYTES", "lots"),
        ("LVZHI_LOG_FORMAT", "xml"),
    ] {
        let out = lvzhi().arg("migrate").env(var, value).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(var), "{var}: {err}");
    }
    let out = lvzhi().arg("serve").env("LVZHI_ENV", "production").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("LVZHI_JWT_KEY_FILE"));
}

#[test]
fn openapi_subcommand_prints_the_document() {
    let out = lvzhi().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["openapi"], "3.1.0");
}

#[test]
fn demo_serve_after_create_admin_seeds_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let with_env = |c: &mut Command| {
        c.env("LVZHI_DATA_DIR", dir.path()).env("LVZHI_BIND", "127.0.0.1:0");
    };
    let mut admin = lvzhi();
    with_env(&mut admin);
    let out = admin.args(["create-admin", "--username", "admin", "--password", "my-own-password"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut serve = lvzhi();
    with_env(&mut serve);
    let mut child = serve.args(["serve", "--demo"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Read until the listening line appears (bounded).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut buf = String::new();
        let mut chunk = [0u8; 1024];
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
            let _ = tx.send(buf.clone());
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut text = String::new();
    while !text.contains("/docs/") {
        assert!(Instant::now() < deadline, "server did not start: {text}");
        if let Ok(t) = rx.recv_timeout(Duration::from_millis(200)) {
            text = t;
        }
    }
    assert!(text.contains("staff1") && text.contains("13955110000"), "{text}");
    assert!(text.contains("existed already"), "{text}");
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
