//! Decode throughput of one realistic page: the generated types against `rspotify-model` and
//! against the floor (only what a history needs).
//!
//! Read the ratios, not the absolute figures: the machine is shared, so only numbers measured
//! in the same run compare. `cargo run -p benchmarks --bin ratios` prints them from this run's
//! results.

use std::hint::black_box;

use benchmarks::{SpotifyVariant, floor};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::DeserializeOwned;

/// Benchmarks `serde_json::from_slice::<T>` on `bytes` under the name `name`.
fn decode<T: DeserializeOwned>(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    bytes: &[u8],
) {
    // Fail here, loudly, rather than benchmark the speed of an early error.
    if let Err(e) = serde_json::from_slice::<T>(bytes) {
        panic!("{name} does not decode its page: {e}");
    }
    group.bench_function(name, |b| {
        b.iter(|| serde_json::from_slice::<T>(black_box(bytes)).unwrap())
    });
}

fn spotify(c: &mut Criterion) {
    type Generated = spotify_web_api::types::CursorPagedPlayHistory;
    type Rspotify = rspotify_model::CursorBasedPage<rspotify_model::PlayHistory>;

    // rspotify-model rejects the page as served (a context with a null `href`), so the
    // comparison with it runs on the compatible variant, which differs in that one value.
    let compatible = benchmarks::spotify_recently_played(SpotifyVariant::RspotifyCompatible);
    let mut group = c.benchmark_group("spotify_recently_played_50/rspotify_compatible");
    group.throughput(Throughput::Bytes(compatible.len() as u64));
    // A page takes about a millisecond: 50 samples fit the 3 s a quick run gives them.
    group.sample_size(50);
    decode::<Generated>(&mut group, "generated", &compatible);
    decode::<Rspotify>(&mut group, "rspotify_model", &compatible);
    decode::<floor::SpotifyPage>(&mut group, "floor", &compatible);
    group.finish();

    let served = benchmarks::spotify_recently_played(SpotifyVariant::AsServed);
    let mut group = c.benchmark_group("spotify_recently_played_50/as_served");
    group.throughput(Throughput::Bytes(served.len() as u64));
    group.sample_size(50);
    decode::<Generated>(&mut group, "generated", &served);
    decode::<floor::SpotifyPage>(&mut group, "floor", &served);
    group.finish();
}

fn amazon(c: &mut Criterion) {
    type Generated = amazon_music_web_api::types::RecentlyPlayedEntitiesResponse;

    let page = benchmarks::amazon_recently_played_entities();
    let mut group = c.benchmark_group("amazon_recently_played_entities_100");
    group.throughput(Throughput::Bytes(page.len() as u64));
    decode::<Generated>(&mut group, "generated", &page);
    decode::<floor::AmazonPage>(&mut group, "floor", &page);
    group.finish();
}

criterion_group!(benches, spotify, amazon);
criterion_main!(benches);
