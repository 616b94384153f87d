//! Print the positioned lines byrde reads from a PDF (for layout work):
//! `cargo run --example lines -- FILE.pdf [PAGE]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: lines FILE.pdf [PAGE]");
        std::process::exit(2);
    };
    let page: Option<u32> = args.get(2).and_then(|p| p.parse().ok());
    match byrde::ingest::read_path(std::path::Path::new(path)) {
        Ok(doc) => {
            for p in doc
                .pages
                .iter()
                .filter(|p| page.is_none_or(|n| n == p.number))
            {
                for l in &p.lines {
                    println!(
                        "{:>3} y{:>6.1} x{:>6.1}-{:<6.1} s{:>4.1} c{} {}",
                        p.number,
                        l.y,
                        l.x,
                        l.end,
                        l.font_size,
                        l.cells.len(),
                        l.text
                    );
                }
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
