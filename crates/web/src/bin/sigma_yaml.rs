//! Entry point of the rule-file worker; see `loglens_web::sigma_yaml_worker`.

fn main() {
    loglens_web::sigma_yaml_worker::start();
}
