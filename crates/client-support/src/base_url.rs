//! Where a client sends its requests.

use std::fmt;
use std::net::IpAddr;

/// A checked base URL: `https`, or plain `http` only to a loopback address (the local
/// sandbox, a recording proxy on this machine). Tokens never travel in clear text elsewhere.
///
/// ```
/// use client_support::BaseUrl;
///
/// assert!(BaseUrl::parse("https://api.spotify.com/v1").is_ok());
/// assert!(BaseUrl::parse("http://127.0.0.1:8080/v1").is_ok());
/// assert!(BaseUrl::parse("http://localhost:8080").is_ok());
/// assert!(BaseUrl::parse("http://api.spotify.com/v1").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks `url`; a trailing `/` is dropped so that operation paths can be appended.
    pub fn parse(url: &str) -> Result<Self, InvalidBaseUrl> {
        let invalid = |reason| InvalidBaseUrl {
            url: without_userinfo(url),
            reason,
        };
        let parsed = reqwest::Url::parse(url).map_err(|_| invalid("it is not an absolute URL"))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("it must not have a query or a fragment"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(invalid("it must not carry credentials"));
        }
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => return Err(invalid("plain http is only allowed to a loopback address")),
            _ => return Err(invalid("the scheme must be https (or http to loopback)")),
        }
        Ok(Self(parsed.as_str().trim_end_matches('/').to_string()))
    }

    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `url` as it may be shown: a user name and password in it become `<redacted>`, and so
/// does anything unparsable that looks as if it held them.
fn without_userinfo(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("<redacted>");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) if url.contains('@') => "<redacted>".to_string(),
        Err(_) => url.to_string(),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.0).finish()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A base URL the client refuses to send credentials to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidBaseUrl {
    /// The URL as given.
    pub url: String,
    /// Why it was refused.
    pub reason: &'static str,
}

impl fmt::Display for InvalidBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refusing base URL `{}`: {}", self.url, self.reason)
    }
}

impl std::error::Error for InvalidBaseUrl {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        for ok in [
            "https://api.music.amazon.dev/v1/",
            "http://127.0.0.1:1/v1",
            "http://127.8.9.10",
            "http://[::1]:9/",
            "http://LOCALHOST",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok} should be accepted");
        }
        for refused in [
            "http://10.0.0.1/v1",
            "http://example.com",
            "http://127.0.0.1.example.com",
            "ftp://127.0.0.1",
            "https://user:pw@api.spotify.com",
            "https://api.spotify.com/v1?x=1",
            "api.spotify.com/v1",
        ] {
            assert!(
                BaseUrl::parse(refused).is_err(),
                "{refused} should be refused"
            );
        }
        assert_eq!(
            BaseUrl::parse("https://api.spotify.com/v1/")
                .unwrap()
                .as_str(),
            "https://api.spotify.com/v1"
        );
    }

    #[test]
    fn credentials_in_either_part_are_refused_and_a_url_without_them_is_shown_as_given() {
        for url in [
            "https://user@api.spotify.com/v1",
            "https://:hunter22@api.spotify.com/v1",
        ] {
            let refused = BaseUrl::parse(url).unwrap_err();
            assert_eq!(refused.reason, "it must not carry credentials", "{url}");
            assert!(!refused.url.contains("hunter22"), "{refused:?}");
        }
        let refused = BaseUrl::parse("http://10.0.0.1/v1").unwrap_err();
        assert_eq!(
            refused.url, "http://10.0.0.1/v1",
            "nothing to hide, shown as given"
        );
    }

    #[test]
    fn a_base_url_shows_as_it_is_used() {
        let url = BaseUrl::parse("http://127.0.0.1:9/v1/").unwrap();
        assert_eq!(url.to_string(), "http://127.0.0.1:9/v1");
    }

    #[test]
    fn a_refused_url_never_shows_its_password() {
        for url in [
            "https://user:hunter22@api.spotify.com/v1",
            "http://me:hunter22@10.0.0.1",
            // Not a URL (the port is out of range), but it looks as if it held credentials.
            "https://user:hunter22@api.spotify.com:99999",
        ] {
            let refused = BaseUrl::parse(url).unwrap_err();
            let shown = format!("{refused} {refused:?}");
            assert!(
                !shown.contains("hunter22") && !shown.contains("user"),
                "{shown}"
            );
        }
    }
}
