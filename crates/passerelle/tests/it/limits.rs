//! The server's connection limits, from outside: a client holding many
//! half-sent requests neither starves another client nor keeps them open.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::{Env, request_from, start_server_with};

/// A connection from `source` that sends the start of a request and stops.
fn half_sent(source: Ipv4Addr, to: SocketAddr) -> Option<TcpStream> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).ok()?;
    socket.bind(&SocketAddr::from((source, 0)).into()).ok()?;
    socket
        .connect_timeout(&to.into(), Duration::from_secs(1))
        .ok()?;
    let mut stream: TcpStream = socket.into();
    stream
        .write_all(b"GET /actions HTTP/1.1\r\nHost: passerelle\r\nX-Lent: ")
        .ok()?;
    Some(stream)
}

/// Whether the server has closed this connection (read gives end of file
/// or an error, or an answer, within `wait`).
fn closed_by_server(stream: &TcpStream, wait: Duration) -> bool {
    let _ = stream.set_read_timeout(Some(wait));
    let mut reader = stream;
    // To the end of the stream: whatever the server said before closing.
    match reader.read_to_end(&mut Vec::new()) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn half_sent_requests_starve_nobody_and_are_cut_off_after_the_header_timeout() {
    let env = Env::new();
    env.ok(["import"].as_slice());
    let (mut server, addr) = start_server_with(
        &env,
        &[
            ("PASSERELLE_MAX_CONNECTIONS", "120"),
            ("PASSERELLE_MAX_CONNECTIONS_PER_ADDRESS", "40"),
            ("PASSERELLE_HEADER_READ_TIMEOUT_SECS", "2"),
        ],
    );
    let to: SocketAddr = addr.parse().unwrap();
    // One client tries 300 connections, each a request half sent: it
    // holds 40; the others are closed at once.
    let attacker = Ipv4Addr::new(127, 0, 0, 1);
    let started = Instant::now();
    let mut held: Vec<TcpStream> = (0..300).filter_map(|_| half_sent(attacker, to)).collect();
    // Another client is answered at once, and so is the health check.
    for path in ["/healthz", "/actions/5"] {
        let asked = Instant::now();
        let answer = request_from(Ipv4Addr::new(127, 0, 0, 2), &addr, "GET", path, &[], "");
        let took = asked.elapsed();
        let answer = answer.unwrap_or_else(|| panic!("{path}: no answer"));
        assert_eq!(answer.status, 200, "{path}");
        assert!(took < Duration::from_secs(1), "{path} answered in {took:?}");
    }
    // Of the 300, those beyond the address's share were closed at once…
    let refused = held
        .iter()
        .filter(|s| closed_by_server(s, Duration::from_millis(50)))
        .count();
    assert!(refused >= 250, "{refused} of 300 closed at once");
    // …and the rest once the header timeout (2 s) has passed.
    let still_open = held
        .iter()
        .filter(|s| !closed_by_server(s, Duration::from_secs(4)))
        .count();
    assert_eq!(
        still_open,
        0,
        "half-sent requests still open after {:?}",
        started.elapsed()
    );
    held.clear();
    // The attacker's address is served again once its connections closed.
    let again = request_from(attacker, &addr, "GET", "/healthz", &[], "").unwrap();
    assert_eq!(again.status, 200);
    let _ = server.kill();
    let _ = server.wait();
}
