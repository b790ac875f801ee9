//! Unsupervised models: they learn what is usual in the file itself and score the rest.

pub mod forest;
