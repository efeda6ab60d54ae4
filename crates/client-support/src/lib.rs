//! What the Spotify and Amazon Music history clients need alike.
