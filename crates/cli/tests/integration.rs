//! The command line's tests, one module a file, in one test binary: a binary a file
//! meant linking each of them, minutes of every test run.

mod analyze;
mod follow;
mod grep;
mod hostile;
mod learn;
mod rules;
mod sigma;
mod sigma_set;
mod train;
