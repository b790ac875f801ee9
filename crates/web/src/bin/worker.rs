//! Entry point of the analysis Web Worker; see `loglens_web::worker`.

fn main() {
    loglens_web::worker::start();
}
