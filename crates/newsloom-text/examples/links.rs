//! Prints the `中文名（Latin）` links the miner finds in each line of stdin (a debugging aid).
use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        for l in newsloom_text::extract_links(&line) {
            println!("{}\t{}\t{:?}", l.form, l.latin, l.kind);
        }
    }
}
