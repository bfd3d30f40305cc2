//! The token endpoint of `oauth_workspace` as a wiremock mock: `POST /oauth/token`, answering
//! with a token response, so the tests that only vary the tokens, the count or the failure do not
//! each spell out the matchers and the JSON.

use super::token_json;
use wiremock::matchers::{method, path};
use wiremock::{Match, Mock, MockBuilder, ResponseTemplate};

/// The path the standard Token Payload posts to.
pub const TOKEN_PATH: &str = "/oauth/token";

/// A mock of `POST /oauth/token`; narrow it with `and`, then say how it answers.
pub fn token_endpoint() -> TokenEndpoint {
    TokenEndpoint(Mock::given(method("POST")).and(path(TOKEN_PATH)))
}

pub struct TokenEndpoint(MockBuilder);

impl TokenEndpoint {
    /// Only requests that also match `matcher` (a grant type, a header, a body part).
    pub fn and(self, matcher: impl Match + 'static) -> Self {
        TokenEndpoint(self.0.and(matcher))
    }

    /// A 200 token response with these tokens; `expect`, `named` and `mount` as on any Mock.
    pub fn answers(self, access: &str, refresh: &str, expires_in: u64) -> Mock {
        self.responds(
            ResponseTemplate::new(200).set_body_json(token_json(access, refresh, expires_in)),
        )
    }

    /// Any other answer: an OAuth error, a delayed response, a malformed body.
    pub fn responds(self, answer: ResponseTemplate) -> Mock {
        self.0.respond_with(answer)
    }
}
