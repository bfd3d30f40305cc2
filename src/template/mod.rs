//! Templates: `{{credential.*}}`, `{{input.*}}`, `{{var.*}}`, `{{env.*}}`, `{{now}}`, escaped for where they land.
