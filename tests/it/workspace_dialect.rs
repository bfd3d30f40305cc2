//! Files written by other RON tools, with the dialect announced in an `#![enable(...)]` line,
//! load too.

use payloads::workspace::*;
use std::path::Path;

#[test]
fn an_explicit_enable_line_is_accepted() {
    let ws = parse(Path::new("w.ron"), DEMO_WORKSPACE).unwrap();
    let config = ron::ser::PrettyConfig::default().extensions(
        ron::extensions::Extensions::IMPLICIT_SOME
            | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES,
    );
    let text = ron::ser::to_string_pretty(&ws, config).unwrap();
    assert!(text.starts_with("#![enable("));
    assert_eq!(parse(Path::new("w.ron"), &text).unwrap(), ws);
}
