//! `/` in the Job detail: the query, moving to the rows that hold it (`n` / `N`), and marking
//! each occurrence on the rows drawn. Case is ignored for ASCII letters, which keeps byte
//! positions the same in the text and in its lowered form.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The find line of the Job detail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    pub query: String,
    /// The query is being typed: keys go to it.
    pub editing: bool,
}

impl Find {
    /// The query to look for, if any.
    pub fn active(&self) -> Option<&str> {
        Some(self.query.as_str()).filter(|q| !q.is_empty())
    }
}

fn row_text(row: &Line<'_>) -> String {
    row.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Whether `row` holds `query`, ignoring ASCII case.
pub fn row_matches(row: &Line<'_>, query: &str) -> bool {
    row_text(row)
        .to_ascii_lowercase()
        .contains(&query.to_ascii_lowercase())
}

/// The rows holding `query`, in order.
pub fn matching_rows(rows: &[Line<'_>], query: &str) -> Vec<usize> {
    let query = query.to_ascii_lowercase();
    rows.iter()
        .enumerate()
        .filter(|(_, row)| row_text(row).to_ascii_lowercase().contains(&query))
        .map(|(i, _)| i)
        .collect()
}

/// The match to move to from the row `from`: the first after it (or at it, when `inclusive`),
/// else round to the first; backwards the same way.
pub fn next_match(matches: &[usize], from: usize, forward: bool, inclusive: bool) -> Option<usize> {
    if forward {
        matches
            .iter()
            .copied()
            .find(|&m| if inclusive { m >= from } else { m > from })
            .or_else(|| matches.first().copied())
    } else {
        matches
            .iter()
            .rev()
            .copied()
            .find(|&m| m < from)
            .or_else(|| matches.last().copied())
    }
}

/// `row` with each occurrence of `query` drawn in `mark` over its own style.
pub fn highlight(row: &Line<'static>, query: &str, mark: Style) -> Line<'static> {
    let text = row_text(row);
    let lowered = text.to_ascii_lowercase();
    let query = query.to_ascii_lowercase();
    let mut ranges = Vec::new();
    let mut at = 0;
    while let Some(found) = lowered[at..].find(&query) {
        let start = at + found;
        ranges.push(start..start + query.len());
        at = start + query.len().max(1);
        if at >= lowered.len() {
            break;
        }
    }
    if ranges.is_empty() {
        return row.clone();
    }
    let mut spans = Vec::new();
    let mut offset = 0;
    for span in &row.spans {
        let content = span.content.as_ref();
        let end = offset + content.len();
        // Cut the span at every range boundary that falls inside it.
        let mut cuts = vec![offset, end];
        for r in &ranges {
            for b in [r.start, r.end] {
                if b > offset && b < end {
                    cuts.push(b);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let piece = &content[a - offset..b - offset];
            let marked = ranges.iter().any(|r| r.start <= a && b <= r.end);
            let style = if marked {
                span.style.patch(mark)
            } else {
                span.style
            };
            spans.push(Span::styled(piece.to_string(), style));
        }
        offset = end;
    }
    Line::from(spans).style(row.style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn matches_are_found_and_marked_ignoring_case() {
        let rows = vec![
            Line::raw("  \"name\": \"Ada\""),
            Line::raw("nothing here"),
            Line::from(vec![Span::raw("  NA"), Span::raw("ME = x")]),
        ];
        assert_eq!(matching_rows(&rows, "name"), [0, 2]);
        assert_eq!(next_match(&[0, 2], 0, true, false), Some(2));
        assert_eq!(next_match(&[0, 2], 2, true, false), Some(0));
        assert_eq!(next_match(&[0, 2], 0, false, false), Some(2));
        assert_eq!(next_match(&[0, 2], 1, true, true), Some(2));
        let mark = Style::default().add_modifier(Modifier::REVERSED);
        let marked = highlight(&rows[2], "name", mark);
        let reversed: String = marked
            .spans
            .iter()
            .filter(|s| s.style == mark)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(reversed, "NAME");
        assert_eq!(marked.to_string(), "  NAME = x");
    }
}
