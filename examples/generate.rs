//! Write a register of N activities for benchmarks:
//! `cargo run --release --example generate -- DIR N`.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate DIR N");
        std::process::exit(2);
    };
    match generate::generate(std::path::Path::new(&dir), n) {
        Ok(g) => eprintln!(
            "{dir}: {} activities, {} sign-offs, {} commits",
            g.activities, g.sign_offs, g.commits
        ),
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(1);
        }
    }
}
