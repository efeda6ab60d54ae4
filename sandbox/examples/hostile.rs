//! Serves one misbehaviour of the hostile server on 127.0.0.1 until Ctrl-C, for trying a
//! client or `recently-played` against it by hand:
//!
//! ```sh
//! cargo run -p music-history-sandbox --example hostile -- endless-body
//! SPOTIFY_API_BASE_URL=<the printed URL> cargo run -p recently-played -- --json
//! ```
//!
//! The names are `Hostile::names()`; an unknown one prints them.

use music_history_sandbox::hostile::{Hostile, HostileServer};

#[tokio::main]
async fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(hostile) = Hostile::named(&name) else {
        let names: Vec<&str> = Hostile::names().collect();
        eprintln!("usage: hostile <{}>", names.join(", "));
        std::process::exit(2);
    };
    let server = HostileServer::start(hostile).await;
    println!("{}", server.base_url());
    let _ = tokio::signal::ctrl_c().await;
}
