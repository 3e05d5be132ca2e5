//! A TCP relay the soak puts between lvzhi and PostgreSQL, to stall the database (connections
//! stay open and nothing passes, as when its processes are stopped) and let it go again.

use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct Relay {
    pub addr: SocketAddr,
    frozen: watch::Sender<bool>,
}

/// Waits until the frozen flag is `want`.
async fn until(rx: &mut watch::Receiver<bool>, want: bool) {
    while *rx.borrow_and_update() != want {
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

impl Relay {
    /// Listens on a free local port and forwards to `upstream` (`host:port`).
    pub async fn start(upstream: String) -> Result<Relay, String> {
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let frozen = watch::channel(false).0;
        let tx = frozen.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (upstream, mut rx) = (upstream.clone(), tx.subscribe());
                tokio::spawn(async move {
                    until(&mut rx, false).await;
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        loop {
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => break,
                                _ = until(&mut rx, true) => until(&mut rx, false).await,
                            }
                        }
                    }
                });
            }
        });
        Ok(Relay { addr, frozen })
    }

    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    pub fn thaw(&self) {
        self.frozen.send_replace(false);
    }
}
