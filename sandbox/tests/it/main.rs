//! The simulations' integration tests, one module per service and one for their authorization
//! servers, in one test binary.

mod amazon;
mod sign_in;
mod spotify;
