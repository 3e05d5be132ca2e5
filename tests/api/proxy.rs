//! A TCP proxy the tests put between lvzhi and PostgreSQL or Redis, to take a dependency away
//! (every connection cut, new ones refused) and bring it back on the same port, or to freeze it
//! (connections stay open, nothing passes: a server whose processes are stopped) — the shared
//! services themselves keep running for the other tests.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct Proxy {
    pub addr: SocketAddr,
    upstream: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
    /// True while frozen.
    frozen: tokio::sync::watch::Sender<bool>,
}

/// Waits until the frozen flag is `want`.
async fn until(rx: &mut tokio::sync::watch::Receiver<bool>, want: bool) {
    while *rx.borrow_and_update() != want {
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Proxy {
    /// Listens on a free local port and forwards to `upstream` (`host:port`).
    pub async fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let p = Proxy {
            addr: listener.local_addr().unwrap(),
            upstream: upstream.to_string(),
            tasks: Arc::default(),
            frozen: tokio::sync::watch::channel(false).0,
        };
        p.serve(listener);
        p
    }

    fn serve(&self, listener: TcpListener) {
        let (upstream, tasks, frozen) = (self.upstream.clone(), self.tasks.clone(), self.frozen.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (upstream, mut rx) = (upstream.clone(), frozen.subscribe());
                let pipe = tokio::spawn(async move {
                    until(&mut rx, false).await;
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        // While frozen the sockets stay open and nothing passes either way.
                        loop {
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => break,
                                _ = until(&mut rx, true) => until(&mut rx, false).await,
                            }
                        }
                    }
                });
                tasks.lock().unwrap().push(pipe);
            }
        });
        self.tasks.lock().unwrap().push(accept);
    }

    /// The dependency goes away: open connections are cut and the port refuses new ones.
    pub fn down(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }

    /// The dependency freezes: open connections stay open but carry nothing, new ones are
    /// accepted and wait.
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// It thaws: what waited goes on.
    pub fn thaw(&self) {
        self.frozen.send_replace(false);
    }

    /// It comes back on the same port.
    pub async fn up(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if std::time::Instant::now() < deadline => {
                    let _ = e;
                    tokio::task::yield_now().await;
                }
                Err(e) => panic!("cannot rebind {}: {e}", self.addr),
            }
        };
        self.serve(listener);
    }
}
