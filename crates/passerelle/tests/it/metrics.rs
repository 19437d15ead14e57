//! The metrics as configured: a token too short refused at start, and
//! `/metrics` on a listener of its own, not on the main one.

use crate::signin::serve;
use crate::{Env, http_get};

#[test]
fn a_short_metrics_token_is_refused_at_start_in_french() {
    let env = Env::new();
    env.ok(&["import"]);
    let err = serve(&env, "[metrics]\ntoken = \"court\"\n").expect_err("refused");
    assert!(
        err.contains("[metrics] token") && err.contains("au moins 32 caractères"),
        "{err}"
    );
}

#[test]
fn the_metrics_listener_serves_them_and_the_main_one_does_not() {
    let env = Env::new();
    env.ok(&["import"]);
    // A free port for the metrics' listener.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n");
    let (mut child, addr) = serve(&env, &config).expect("serves");
    let (status, _) = http_get(&addr, "/actions/5");
    assert!(status.contains("200"), "{status}");
    // No token: the main listener has no metrics.
    let (status, _) = http_get(&addr, "/metrics");
    assert!(status.contains("404"), "{status}");
    let own = format!("127.0.0.1:{port}");
    let mut scraped = None;
    for _ in 0..50 {
        let (status, body) = http_get(&own, "/metrics");
        if status.contains("200") {
            scraped = Some(body);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let body = scraped.expect("the metrics' listener answers");
    assert!(
        body.contains(r#"passerelle_http_requests_total{method="GET",route="/actions/{fiche}",status="200"} 1"#),
        "{body}"
    );
    // Roubaix's snapshot, built at start-up, timed.
    assert!(
        body.contains(r#"passerelle_snapshot_build_duration_seconds_count{cite="roubaix"} 1"#),
        "{body}"
    );
    assert!(body.contains("process_resident_memory_bytes "), "{body}");
    assert!(
        body.contains(r#"passerelle_db_pool_connections{state="idle"}"#),
        "{body}"
    );
}
