//! The simulations' integration tests, one module per service, in one test binary.

mod amazon;
mod spotify;
