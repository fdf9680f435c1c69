//! chromedriver, one per test, on a free loopback port, with a fresh Chromium profile.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver, unless `CHROMEDRIVER` names another.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver. Dropping it kills chromedriver and every browser process it
/// started (they share its process group), and deletes the profile directory.
pub struct Chromedriver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Chromedriver {
    /// Starts chromedriver and waits until it accepts sessions.
    pub async fn start() -> io::Result<Self> {
        let program = std::env::var_os("CHROMEDRIVER").unwrap_or_else(|| CHROMEDRIVER.into());
        let port = free_port()?;
        let profile = fresh_profile_dir()?;
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|err| {
                io::Error::new(
                    err.kind(),
                    format!("{}: {err}", Path::new(&program).display()),
                )
            })?;
        let mut driver = Self {
            child,
            port,
            profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if driver.is_ready() {
                return Ok(driver);
            }
            if let Some(status) = driver.child.try_wait()? {
                return Err(io::Error::other(format!("chromedriver exited: {status}")));
            }
            if Instant::now() > deadline {
                return Err(io::Error::other("chromedriver not ready after 20s"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `http://127.0.0.1:<port>`, for the WebDriver client.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The Chromium profile (`--user-data-dir`) of this session.
    pub fn profile_dir(&self) -> &Path {
        &self.profile
    }

    /// `GET /status` answers `"ready": true`.
    fn is_ready(&self) -> bool {
        let addr = ([127, 0, 0, 1], self.port).into();
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
            return false;
        };
        let request = b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .is_err()
            || stream.write_all(request).is_err()
        {
            return false;
        }
        // chromedriver may keep the connection open: read until the answer is in.
        let mut answer = Vec::new();
        let mut chunk = [0; 1024];
        while let Ok(n @ 1..) = stream.read(&mut chunk) {
            answer.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&answer).replace(' ', "");
            if text.contains("\"ready\":true") {
                return true;
            }
        }
        false
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The negative pid names chromedriver's process group: it and its browsers.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn fresh_profile_dir() -> io::Result<PathBuf> {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!(
        "keyline-e2e-profile-{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
