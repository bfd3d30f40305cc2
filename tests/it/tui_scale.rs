//! A big history and a big workspace stay quick: the Jobs pane and the lists are linear in what
//! they show, so holding j, PgDn, G and typing a filter never stall.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::{Message, Pane};
use tui_support::*;

use tui_support::scale::big_app;

#[test]
fn a_thousand_jobs_list_each_refresh_under_its_run() {
    let app = big_app();
    let rows = app.job_rows();
    assert_eq!(rows.len(), 1000);
    for pair in rows.chunks(2) {
        assert!(!pair[0].nested && pair[1].nested);
        assert_eq!(pair[1].job.id, pair[0].job.id.replace("-b", "-r"));
    }
    assert_eq!(rows[0].job.id, "job-0499-b");
}

#[test]
fn holding_keys_over_a_thousand_jobs_and_two_hundred_payloads_lands_where_it_should() {
    // How long this takes is measured by `cargo bench --bench tui_frames`, not here.
    let mut app = big_app();
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    render(&app, 80, 24);
    press(&mut app, &[key(KeyCode::BackTab)]);
    for _ in 0..200 {
        app.update(key(KeyCode::Char('j')));
        render(&app, 80, 24);
    }
    for code in [KeyCode::PageDown, KeyCode::Char('G')] {
        app.update(key(code));
        render(&app, 80, 24);
    }
    assert_eq!(app.selected_id(Pane::Jobs).as_deref(), Some("job-0000-r"));
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Char('/'))]);
    for c in "bulk-19".chars() {
        app.update(key(KeyCode::Char(c)));
        render(&app, 80, 24);
    }
    assert_eq!(app.visible_payloads().len(), 10);
}

#[test]
fn the_detail_pane_words_only_the_lines_it_can_show_and_draws_the_same() {
    use payloads::tui::view::record_detail::lines;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Block, Paragraph, Widget, Wrap};
    // The Integration's detail names its 200-odd Payloads, one a line.
    let app = big_app();
    let draw = |lines, area: Rect| {
        let mut buffer = Buffer::empty(area);
        Paragraph::new(lines)
            .block(Block::bordered())
            .wrap(Wrap { trim: false })
            .render(area, &mut buffer);
        buffer
    };
    for (width, height) in [(120, 40), (80, 24), (30, 12), (12, 6), (60, 3)] {
        let area = Rect::new(0, 0, width, height);
        let all = lines(&app, Pane::Integrations, width, usize::MAX);
        let shown = lines(&app, Pane::Integrations, width, usize::from(height - 2));
        assert!(
            shown.len() < all.len() / 4,
            "{} of {}",
            shown.len(),
            all.len()
        );
        assert_eq!(draw(shown, area), draw(all, area), "{width}x{height}");
    }
}
