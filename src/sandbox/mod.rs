//! The built-in sandbox API: an OAuth 2 token endpoint and protected JSON endpoints on loopback.
