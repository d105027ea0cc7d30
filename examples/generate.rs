//! Write a register of N activities for benchmarks:
//! `cargo run --release --example generate -- DIR N [--signed]`.

#[path = "../benches/support/generate.rs"]
mod generate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let signed = args.iter().any(|a| a == "--signed");
    let mut rest = args.iter().filter(|a| *a != "--signed");
    let (Some(dir), Some(n), None) = (
        rest.next(),
        rest.next().and_then(|n| n.parse().ok()),
        rest.next(),
    ) else {
        eprintln!("usage: generate DIR N [--signed]");
        std::process::exit(2);
    };
    match generate::generate(std::path::Path::new(dir), n, signed) {
        Ok(g) => eprintln!(
            "{dir}: {} activities, {} sign-offs, {} commits{}",
            g.activities,
            g.sign_offs,
            g.commits,
            if signed { ", every one signed" } else { "" }
        ),
        Err(e) => {
            eprintln!("generate: {e}");
            std::process::exit(1);
        }
    }
}
