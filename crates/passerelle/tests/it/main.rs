//! The `passerelle` command and server, run for real against a fresh
//! database per test.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test"
)]

mod cli;
mod concurrency;
mod export;
mod funding;
mod limits;
mod metrics;
mod referrals;
mod servers;
mod signin;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) const BOOKLET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/roubaix/livret-2022.md"
);

pub(crate) struct Env {
    pub(crate) dir: tempfile::TempDir,
    /// A PostgreSQL database instead of the data directory's SQLite file.
    database_url: Option<String>,
}

impl Env {
    /// An instance on SQLite, in a fresh data directory.
    pub(crate) fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            database_url: None,
        }
    }

    /// An instance on this database.
    pub(crate) fn on(database: &Database) -> Env {
        let mut env = Env::new();
        if let Database::Postgres(admin) = database {
            env.database_url = Some(create_database(admin));
        }
        env
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The PostgreSQL database's URL, if the instance is on one.
    pub(crate) fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref()
    }

    /// This instance's database, opened beside the server.
    pub(crate) async fn open_store(&self) -> Box<dyn passerelle_store::Store> {
        match &self.database_url {
            Some(url) => Box::new(passerelle_store_postgres::PgStore::open(url).await.unwrap()),
            None => Box::new(
                passerelle_store_sqlite::SqliteStore::open(&format!(
                    "sqlite://{}",
                    self.path("passerelle.db").display()
                ))
                .await
                .unwrap(),
            ),
        }
    }

    /// `passerelle` with this instance's data directory and database.
    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_passerelle"));
        command.env("PASSERELLE_DATA_DIR", self.dir.path());
        match &self.database_url {
            Some(url) => command.env("PASSERELLE_DATABASE_URL", url),
            None => command.env_remove("PASSERELLE_DATABASE_URL"),
        };
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("passerelle runs")
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

/// A GET over a raw TCP connection: status line and body.
pub(crate) fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or("").to_owned();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

pub(crate) fn admin_create(env: &Env, email: &str, password: &str) -> Output {
    use std::io::Write;
    let mut child = env
        .command()
        .args(["admin", "create", "--email", email, "--name", "Julia Camus"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

/// One HTTP/1.1 request over a fresh connection: the status code and body,
/// or None if the server is gone.
pub(crate) fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let code = out.split_whitespace().nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((code, body))
}

/// Starts `passerelle serve` on a free port: the server and the line it
/// printed first (its address).
pub(crate) fn spawn_server(env: &Env) -> (std::process::Child, String) {
    spawn_server_with(env, &[])
}

/// [`spawn_server`] with these environment variables besides.
pub(crate) fn spawn_server_with(env: &Env, vars: &[(&str, &str)]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = env
        .command()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .envs(vars.iter().copied())
        .env("PASSERELLE_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

/// Starts `passerelle serve`: the server and its address (`127.0.0.1:port`).
pub(crate) fn start_server(env: &Env) -> (std::process::Child, String) {
    start_server_with(env, &[])
}

/// [`start_server`] with these environment variables besides.
pub(crate) fn start_server_with(env: &Env, vars: &[(&str, &str)]) -> (std::process::Child, String) {
    let (child, line) = spawn_server_with(env, vars);
    let addr = line
        .trim()
        .trim_end_matches('/')
        .rsplit("http://")
        .next()
        .unwrap()
        .to_owned();
    (child, addr)
}
/// An HTTP answer: status, headers (lower-case names) and body.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a cookie the answer sets.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .find_map(|(_, v)| v.strip_prefix(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }
}

/// One HTTP/1.1 request over a fresh connection, with these headers; None
/// if the server is gone. Bodies are read whole (`Connection: close`).
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Answer> {
    exchange(
        std::net::TcpStream::connect(addr).ok()?,
        addr,
        method,
        path,
        headers,
        body,
    )
}

/// [`request`] from this loopback address (`127.0.0.7`, say), as another
/// client machine would send it: the server's throttles count per address.
pub(crate) fn request_from(
    source: std::net::Ipv4Addr,
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Answer> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).ok()?;
    socket
        .bind(&std::net::SocketAddr::from((source, 0)).into())
        .ok()?;
    let to: std::net::SocketAddr = addr.parse().ok()?;
    socket.connect(&to.into()).ok()?;
    exchange(socket.into(), addr, method, path, headers, body)
}

fn exchange(
    mut s: std::net::TcpStream,
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Answer> {
    use std::io::{Read, Write};
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body.as_bytes()).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let out = String::from_utf8_lossy(&out);
    let (head, body) = out.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_owned()
    };
    Some(Answer {
        status,
        headers,
        body,
    })
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// Roubaix imported, an administrator created with an API token: the token.
pub(crate) fn imported_with_token(env: &Env) -> String {
    env.ok(["import"].as_slice());
    let created = admin_create(env, "coordination@ville-roubaix.fr", "un-long-mot-de-passe");
    assert!(created.status.success());
    env.ok(&[
        "admin",
        "token",
        "--email",
        "coordination@ville-roubaix.fr",
        "--label",
        "tests",
    ])
    .trim()
    .to_owned()
}

/// A running server, stopped when dropped (a failed test leaves none behind).
pub(crate) struct Served {
    pub(crate) child: std::process::Child,
    pub(crate) addr: String,
    pub(crate) token: String,
    /// Its data directory, removed after the server stops.
    _env: Env,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The databases the server tests run on: SQLite, and PostgreSQL when
/// `PASSERELLE_TEST_POSTGRES_URL` names a cluster (required when
/// `PASSERELLE_REQUIRE_POSTGRES` is set, as in CI).
pub(crate) enum Database {
    Sqlite,
    /// The cluster's superuser URL; each instance gets a database of its own.
    Postgres(String),
}

pub(crate) fn databases() -> Vec<Database> {
    let mut all = vec![Database::Sqlite];
    match std::env::var("PASSERELLE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => all.push(Database::Postgres(url)),
        _ => assert!(
            std::env::var("PASSERELLE_REQUIRE_POSTGRES").is_err(),
            "PASSERELLE_REQUIRE_POSTGRES is set but PASSERELLE_TEST_POSTGRES_URL is not"
        ),
    }
    all
}

/// Creates an empty database in the cluster of `admin_url`: its URL.
fn create_database(admin_url: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "passerelle_cli_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = sqlx::PgPool::connect(admin_url).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&admin)
                .await
                .unwrap();
        }
        admin.close().await;
    });
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let (scheme, rest) = base.split_once("://").unwrap();
    let host = rest.split('/').next().unwrap();
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{scheme}://{host}/{name}{query}")
}

/// A fresh instance serving Roubaix on this database, with an
/// administrator and their API token.
pub(crate) fn served_with_token_on(database: &Database) -> Served {
    let env = Env::on(database);
    let token = imported_with_token(&env);
    let (child, addr) = start_server(&env);
    Served {
        child,
        addr,
        token,
        _env: env,
    }
}
