use pest::Parser;
fn main() {
    for f in std::env::args().skip(1) {
        let s = std::fs::read_to_string(&f).unwrap();
        match slac::syntax::grammar::SlacParser::parse(slac::syntax::grammar::Rule::file, &s) {
            Ok(_) => println!("{f}: ok"),
            Err(e) => println!("{f}: {e}"),
        }
    }
}
