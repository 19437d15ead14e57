//! The benchmark baseline: a minimal axum server answering every GET with a
//! fixed 20 KB HTML page. `scripts/bench-web` compares Passerelle to it.
//!
//! ```sh
//! cargo run --release -p passerelle-web --example baseline -- 127.0.0.1:8091
//! ```

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    reason = "a benchmark tool: prints and panics are its interface"
)]

use axum::Router;
use axum::response::Html;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8091".to_owned());
    let mut page =
        String::from("<!doctype html><html lang=\"fr\"><head><title>Base</title></head><body>");
    while page.len() < 20 * 1024 - 20 {
        page.push_str("<p>Une page fixe de vingt kilo-octets.</p>");
    }
    page.push_str("</body></html>");
    let page: &'static str = Box::leak(page.into_boxed_str());
    let app = Router::new().route("/", get(move || async move { Html(page) }));
    let listener = tokio::net::TcpListener::bind(&addr).await.unwrap();
    println!("baseline on http://{}/", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
