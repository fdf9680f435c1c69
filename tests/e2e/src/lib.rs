//! End-to-end test support: the release build (`dist/`) served on loopback, opened in headless
//! Chromium through chromedriver, driven by fantoccini.
//!
//! Every test gets its own static server, its own chromedriver (on a free port) and its own
//! Chromium profile, so tests can run in parallel. `KEYLINE_DIST` must name the built `dist/`
//! directory; `cargo xtask test` sets it after `cargo xtask dist`. The accessibility checks
//! ([`Harness::assert_accessible`]) inject axe-core's `axe.min.js`, named by `KEYLINE_AXE`;
//! `cargo xtask test` installs it into `.tools/npm` and sets that too.
//!
//! ```no_run
//! #[tokio::test]
//! async fn summary_is_shown() {
//!     let h = keyline_e2e::session().await;
//!     h.open("").await;
//!     assert!(h.text("[data-summary]").await.ends_with(" failed"));
//!     h.assert_clean_console().await;
//!     h.close().await;
//! }
//! ```
// A test harness: a helper that cannot do what a test asked must fail that test at once, with
// the reason, and `expect` is how it says so. (The workspace denies `unwrap`/`expect` for code
// that users' input reaches; no user runs this.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod driver;
mod server;

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub use driver::Chromedriver;
pub use server::StaticServer;

/// How long [`Harness::wait_for`] waits for an element.
pub const WAIT: Duration = Duration::from_secs(20);

/// One browser session on one served copy of `dist/`.
///
/// Call [`Harness::close`] at the end of a test; if a test panics first, dropping the harness
/// still stops chromedriver and its browser.
pub struct Harness {
    /// The WebDriver client, for anything the helpers below do not cover.
    pub client: Client,
    /// `http://127.0.0.1:<port>/`: where `dist/` is served (ends with `/`).
    pub base_url: String,
    // Dropped in this order: the driver (and browser) first, then the server.
    driver: Chromedriver,
    server: StaticServer,
}

/// Starts a server on `dist/`, chromedriver and a headless Chromium session.
///
/// Panics with a message saying what to do when `KEYLINE_DIST` is unset or wrong, or when
/// chromedriver or Chromium do not start: a test that cannot run must not pass.
pub async fn session() -> Harness {
    session_on(&dist_dir()).await
}

/// Like [`session`], serving `root` instead of `dist/`: a test's own copy of `dist/` with
/// pages of its own (e.g. `tests/element.rs`'s lazy-loading page).
pub async fn session_on(root: &std::path::Path) -> Harness {
    let dist = root;
    let server = StaticServer::start(dist)
        .unwrap_or_else(|err| panic!("cannot serve {}: {err}", dist.display()));
    let driver = Chromedriver::start()
        .await
        .unwrap_or_else(|err| panic!("cannot start chromedriver: {err}"));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities(&driver))
        .connect(&driver.url())
        .await
        .unwrap_or_else(|err| panic!("cannot open a Chromium session through chromedriver: {err}"));
    Harness {
        client,
        base_url: server.url(),
        driver,
        server,
    }
}

/// The `dist/` directory named by `KEYLINE_DIST`, checked.
pub fn dist_dir() -> PathBuf {
    let Some(dist) = std::env::var_os("KEYLINE_DIST") else {
        panic!(
            "KEYLINE_DIST is not set. The end-to-end tests run against a release build: \
             run `cargo xtask test`, or `cargo xtask dist` and then \
             `KEYLINE_DIST=$PWD/dist cargo test -p keyline-e2e`"
        );
    };
    let dist = PathBuf::from(dist);
    if !dist.join("index.html").is_file() {
        panic!(
            "KEYLINE_DIST={} has no index.html; run `cargo xtask dist` first",
            dist.display()
        );
    }
    dist
}

/// The screenshot binaries' output folder: the first command-line argument, or `default`;
/// created, or the process exits with status 2 saying why.
pub fn screenshot_dir(default: &str) -> PathBuf {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| default.into()));
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        std::process::exit(2);
    }
    out
}

fn capabilities(driver: &Chromedriver) -> serde_json::Map<String, Value> {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,800",
    ]
    .iter()
    .map(|arg| arg.to_string())
    .chain([format!(
        "--user-data-dir={}",
        driver.profile_dir().display()
    )])
    .collect::<Vec<_>>();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": driver::CHROMIUM, "args": args },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// One entry of the browser console log, as chromedriver reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// `SEVERE`, `WARNING`, `INFO`, `DEBUG`…
    pub level: String,
    pub message: String,
}

impl Harness {
    /// Navigates to `base_url` + `suffix` (e.g. `""`, `"#s=..."`, `"?embed=1"`) and waits for
    /// the app to render (`[data-app-ready]`).
    pub async fn open(&self, suffix: &str) {
        let url = format!("{}{suffix}", self.base_url);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|err| panic!("cannot open {url}: {err}"));
        self.wait_for("[data-app-ready]").await;
    }

    /// Waits up to [`WAIT`] for an element matching `css`, and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("no element matches `{css}` after {WAIT:?}: {err}"))
    }

    /// Every element matching `css` now (possibly none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("finding `{css}`: {err}"))
    }

    /// The text of the first element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        element
            .text()
            .await
            .unwrap_or_else(|err| panic!("reading the text of `{css}`: {err}"))
    }

    /// An attribute of the first element matching `css` (waiting for it).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        let element = self.wait_for(css).await;
        element
            .attr(name)
            .await
            .unwrap_or_else(|err| panic!("reading `{name}` of `{css}`: {err}"))
    }

    /// Clicks the first element matching `css` (waiting for it), as a user would: WebDriver
    /// scrolls it into view and refuses when something else covers it.
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|err| panic!("clicking `{css}`: {err}"));
    }

    /// The `value` property of the first element matching `css` (waiting for it): what a
    /// textarea, input or select holds now.
    pub async fn value(&self, css: &str) -> String {
        self.wait_for(css).await;
        let value = self
            .execute(
                "return document.querySelector(arguments[0]).value;",
                vec![json!(css)],
            )
            .await;
        value
            .as_str()
            .unwrap_or_else(|| panic!("`{css}` has no string value: {value}"))
            .to_owned()
    }

    /// Waits up to [`WAIT`] until `script` (a function body that gets `args` as `arguments`)
    /// returns `true`; panics naming `what` otherwise.
    pub async fn wait_until(&self, script: &str, args: Vec<Value>, what: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            if self.execute(script, args.clone()).await == Value::Bool(true) {
                return;
            }
            if std::time::Instant::now() > deadline {
                panic!("after {WAIT:?}, still not true: {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Replaces the scenario text in the editor with `text`, as typing would.
    pub async fn set_scenario(&self, text: &str) {
        let area = self.wait_for("textarea#scenario").await;
        area.clear()
            .await
            .unwrap_or_else(|err| panic!("clearing the editor: {err}"));
        area.send_keys(text)
            .await
            .unwrap_or_else(|err| panic!("typing into the editor: {err}"));
    }

    /// Replaces the scenario text in the editor with `text` in one edit, as pasting over a
    /// selection of everything would: the value is set and one `input` event is dispatched.
    pub async fn paste_scenario(&self, text: &str) {
        self.wait_for("textarea#scenario").await;
        self.execute(
            "const area = document.querySelector('textarea#scenario');
             area.focus();
             area.value = arguments[0];
             area.setSelectionRange(area.value.length, area.value.length);
             area.dispatchEvent(new InputEvent('input', {
               bubbles: true, inputType: 'insertFromPaste', data: arguments[0] }));",
            vec![json!(text)],
        )
        .await;
    }

    /// The `textContent` of the first element matching `css` (waiting for it): its text as
    /// written, whatever CSS does to it on screen (`text-transform`, hidden parts).
    pub async fn text_content(&self, css: &str) -> String {
        self.wait_for(css).await;
        let value = self
            .execute(
                "return document.querySelector(arguments[0]).textContent;",
                vec![json!(css)],
            )
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Runs `script` in the page (`return …` to get a value back).
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|err| panic!("running script: {err}"))
    }

    /// Scrolls the first element matching `css` into view, if there is one.
    pub async fn scroll_into_view(&self, css: &str) {
        self.execute(
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView(); return true;",
            vec![json!(css)],
        )
        .await;
    }

    /// Writes a screenshot of the window to `out/name`, saying where (or what went wrong): the
    /// screenshot binaries keep going past one failed picture.
    pub async fn save_screenshot(&self, out: &std::path::Path, name: &str) {
        match self.client.screenshot().await {
            Ok(png) => {
                let path = out.join(name);
                match std::fs::write(&path, png) {
                    Ok(()) => println!("{}", path.display()),
                    Err(e) => eprintln!("{}: {e}", path.display()),
                }
            }
            Err(e) => eprintln!("{name}: {e}"),
        }
    }

    /// The browser console entries logged since the last call (chromedriver clears them).
    pub async fn browser_log(&self) -> Vec<LogEntry> {
        let value = self
            .client
            .issue_cmd(SessionPost("se/log", json!({ "type": "browser" })))
            .await
            .unwrap_or_else(|err| panic!("reading the browser log: {err}"));
        value
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|entry| LogEntry {
                        level: entry["level"].as_str().unwrap_or_default().to_owned(),
                        message: entry["message"].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts the console has no errors since the last read: no Content-Security-Policy
    /// violation, no failed load, no panic.
    pub async fn assert_clean_console(&self) {
        let log = self.browser_log().await;
        let csp: Vec<&LogEntry> = log
            .iter()
            .filter(|e| e.message.contains("Content Security Policy"))
            .collect();
        assert!(
            csp.is_empty(),
            "Content-Security-Policy violations: {csp:#?}"
        );
        let severe: Vec<&LogEntry> = log.iter().filter(|e| e.level == "SEVERE").collect();
        assert!(severe.is_empty(), "console errors: {severe:#?}");
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver and returns its result.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Value {
        self.client
            .issue_cmd(SessionPost(
                "goog/cdp/execute",
                json!({ "cmd": cmd, "params": params }),
            ))
            .await
            .unwrap_or_else(|err| panic!("DevTools {cmd}: {err}"))
    }

    /// Clicks the download button `which` (`data-download`) and returns the text of the file
    /// the page offered (the page's object URL and anchor click are intercepted).
    pub async fn downloaded(&self, which: &str) -> String {
        self.execute(
            "window.__download = null;
             URL.createObjectURL = (blob) => { window.__download = blob; return 'blob:captured'; };
             URL.revokeObjectURL = () => {};
             HTMLAnchorElement.prototype.click = function () { window.__downloadName = this.download; };",
            vec![],
        )
        .await;
        self.click(&format!("[data-download=\"{which}\"]")).await;
        let v: Value = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__download ? window.__download.text().then(done) : done(null);",
                vec![],
            )
            .await
            .expect("blob text");
        v.as_str().expect("a file was offered").to_owned()
    }

    /// What axe-core finds wrong on the page as it is now: the `violations` of
    /// `axe.run(document, …)` with the WCAG 2.0/2.1/2.2 A and AA rules and axe's best
    /// practices, each `{id, impact, help, helpUrl, nodes: [{target, html, failureSummary}]}`.
    ///
    /// axe (`axe.min.js`, named by `KEYLINE_AXE`) is injected through WebDriver's execute
    /// script, which the page's Content-Security-Policy does not govern, once per document.
    /// axe looks into open shadow roots (a `target` then has one selector per shadow level).
    pub async fn axe_violations(&self) -> Vec<Value> {
        let loaded = self
            .execute("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != Value::Bool(true) {
            let source = axe_source();
            self.execute(&format!("{source}\n;return typeof window.axe;"), vec![])
                .await;
        }
        let result: Value = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.axe
                   .run(document, { runOnly: { type: 'tag', values: arguments[0] } })
                   .then(
                     (r) => done({ violations: r.violations.map((v) => ({
                       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                       nodes: v.nodes.map((n) => ({
                         target: n.target, html: n.html, failureSummary: n.failureSummary })),
                     })) }),
                     (e) => done({ error: String(e && e.stack || e) }));",
                vec![json!(AXE_TAGS)],
            )
            .await
            .unwrap_or_else(|err| panic!("running axe: {err}"));
        if let Some(error) = result.get("error") {
            panic!("axe.run failed: {error}");
        }
        match result.get("violations") {
            Some(Value::Array(violations)) => violations.clone(),
            _ => panic!("axe.run returned no violations list: {result}"),
        }
    }

    /// Panics when axe finds any violation on the page as it is now (see
    /// [`Harness::axe_violations`]), listing each rule's id, impact and help with the selectors
    /// of the elements that fail it; `what` names the page or state in the message.
    pub async fn assert_accessible(&self, what: &str) {
        let violations = self.axe_violations().await;
        if violations.is_empty() {
            return;
        }
        let listed: Vec<String> = violations.iter().map(describe_violation).collect();
        panic!(
            "{what}: {} accessibility violation(s) (axe-core, {}):\n{}",
            violations.len(),
            AXE_TAGS.join(", "),
            listed.join("\n")
        );
    }

    /// Ends the browser session, then stops chromedriver and the server.
    pub async fn close(self) {
        let Harness {
            client,
            driver,
            server,
            ..
        } = self;
        // A session that is already gone is not a test failure.
        let _ = client.close().await;
        drop(driver);
        drop(server);
    }
}

/// The axe-core rule tags [`Harness::axe_violations`] runs: WCAG 2.0, 2.1 and 2.2 at levels A
/// and AA, and axe's best practices.
pub const AXE_TAGS: [&str; 7] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22a",
    "wcag22aa",
    "best-practice",
];

/// The text of `axe.min.js`, named by `KEYLINE_AXE` (`cargo xtask test` installs axe-core into
/// `.tools/npm` and sets it).
fn axe_source() -> String {
    let Some(path) = std::env::var_os("KEYLINE_AXE") else {
        panic!(
            "KEYLINE_AXE is not set. The accessibility checks inject axe-core's axe.min.js: \
             run `cargo xtask test`, or `cargo xtask dist` and then \
             `KEYLINE_DIST=$PWD/dist KEYLINE_AXE=$PWD/.tools/npm/node_modules/axe-core/axe.min.js \
             cargo test -p keyline-e2e` (`cargo xtask test` installs axe-core there)"
        );
    };
    let path = PathBuf::from(path);
    std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "KEYLINE_AXE={} cannot be read ({err}); `cargo xtask test` installs axe-core into \
             .tools/npm/node_modules/axe-core",
            path.display()
        )
    })
}

/// One violation as a line per failing element: `id (impact): help — selector`.
fn describe_violation(violation: &Value) -> String {
    let field = |name: &str| violation[name].as_str().unwrap_or("?").to_owned();
    let nodes: Vec<String> = violation["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|node| {
                    let target = node["target"].to_string();
                    let summary = node["failureSummary"]
                        .as_str()
                        .unwrap_or_default()
                        .replace('\n', " ");
                    format!("    {target}: {summary}")
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "- {} ({}): {} [{}]\n{}",
        field("id"),
        field("impact"),
        field("help"),
        field("helpUrl"),
        nodes.join("\n")
    )
}

/// `POST /session/{id}/PATH` with a JSON body: the chromedriver extensions fantoccini has no
/// method for — `se/log` (the browser log, kept when the session asks for `goog:loggingPrefs`)
/// and `goog/cdp/execute` (a Chrome DevTools Protocol command).
#[derive(Debug)]
struct SessionPost(&'static str, Value);

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.0
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.1.to_string()))
    }
}
