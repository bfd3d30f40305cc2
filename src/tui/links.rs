//! Following references: j / k over the records a detail names and Enter to open one (its Token
//! Payload, what uses it), Enter on a form's Token Payload field, and the Credential form's
//! discovery of its endpoints from an issuer. Esc goes back along the trail (`App::go_back`).

use super::app::{App, Overlay, Screen};
use super::forms::credential::NEW_TOKEN_PAYLOAD;
use super::forms::{FieldKey, Form, FormPurpose};
use super::keys::Command;
use super::message::Action;
use super::scroll::Scroll;
use super::view::record_detail;
use crate::oauth::discovery::Endpoints;
use crate::oauth::grant::Grant;

impl App {
    /// j / k / Enter in a record's detail.
    pub(super) fn on_link_command(&mut self, command: Command) {
        let links = record_detail::links(self);
        let Screen::RecordDetail { scroll, link } = &mut self.screen else {
            return;
        };
        if links.is_empty() {
            // Nothing to select: j / k scroll as in the other views.
            match command {
                Command::NextLink => scroll.scroll(Scroll::Down),
                Command::PrevLink => scroll.scroll(Scroll::Up),
                _ => self.note = Some("this record names no other record".into()),
            }
            return;
        }
        let at = (*link).min(links.len() - 1);
        match command {
            Command::NextLink => *link = (at + 1).min(links.len() - 1),
            Command::PrevLink => *link = at.saturating_sub(1),
            _ => {
                let target = &links[at];
                if !self.follow(target.kind, &target.id) {
                    self.note = Some(format!("{} is no longer in the workspace", target.id));
                }
                return;
            }
        }
        // The selected link stays in view (a page holds the lines above it when it can).
        let line = links[*link].line;
        let visible = scroll.visible().unwrap_or(10).max(1);
        if line < scroll.top() || line >= scroll.top() + visible {
            scroll.show(line.saturating_sub(visible / 2));
        }
    }

    /// Enter on a form's field naming a record (a Credential's Token Payload, a Payload's
    /// Credential): its detail over the form, which Esc brings back with every edit in it.
    /// (Asking to save or discard first would stop the user mid-edit for a look; the detail's
    /// `e` still edits the record, and Esc after that comes back.)
    pub(super) fn follow_from_form(&mut self, form: Box<Form>) -> Vec<Action> {
        let key = form.focused().key;
        let id = form.value(key);
        self.overlays.push(Overlay::Form(form));
        let Some(kind) = key.names_a_record() else {
            return vec![];
        };
        if id == NEW_TOKEN_PAYLOAD {
            self.note = Some("the Token Payload is made when the Credential is saved".into());
            return vec![];
        }
        if !self.follow(kind, &id) {
            self.note = Some(format!("no {} chosen here to open", kind.label()));
        }
        vec![]
    }

    /// Ctrl-O in a Credential form: the issuer's metadata is read off the UI thread; the form
    /// stays usable and is filled in when it arrives (`on_discovered`).
    pub(super) fn discover(&mut self, mut form: Box<Form>) -> Vec<Action> {
        let credential_form = matches!(form.purpose, FormPurpose::Credential { .. })
            && form.is_visible_key(FieldKey::Issuer);
        let issuer = form.value(FieldKey::Issuer).trim().to_string();
        let integration = form.value(FieldKey::Integration);
        let actions = if !credential_form {
            self.note = Some("Ctrl-O discovers a Bearer Token Credential's endpoints".into());
            vec![]
        } else if issuer.is_empty() {
            form.refuse(
                FieldKey::Issuer,
                "type the issuer's URL first (e.g. https://login.example.com), then Ctrl-O",
            );
            vec![]
        } else if let Err(reason) = crate::oauth::discovery::metadata_urls(&issuer) {
            form.refuse(FieldKey::Issuer, reason);
            vec![]
        } else {
            self.note = Some(format!("reading the discovery metadata of {issuer}…"));
            vec![Action::Discover {
                integration,
                issuer,
            }]
        };
        self.overlays.push(Overlay::Form(form));
        actions
    }

    /// The answer to a discovery: fills the form that asked, if it is still open with the
    /// same issuer (a late answer never writes into another form).
    pub(super) fn on_discovered(&mut self, issuer: String, result: Result<Endpoints, String>) {
        let form = self.overlays.iter_mut().rev().find_map(|o| match o {
            Overlay::Form(form)
                if matches!(form.purpose, FormPurpose::Credential { .. })
                    && form.value(FieldKey::Issuer).trim() == issuer =>
            {
                Some(form)
            }
            _ => None,
        });
        let Some(form) = form else {
            self.note = Some(format!(
                "the discovery of {issuer} came back after its form closed: nothing filled"
            ));
            return;
        };
        let found = match result {
            Ok(found) => {
                form.error = None;
                found
            }
            Err(reason) => {
                form.error = Some(reason);
                return;
            }
        };
        let mut filled = Vec::new();
        if let Some(token) = &found.token {
            form.set_text(FieldKey::TokenEndpoint, token);
            filled.push(format!("token endpoint {token}"));
        }
        let (login, what) = match form.choice::<Grant>(FieldKey::Grant) {
            Some(Grant::DeviceCode) => (&found.device_authorization, "device authorization"),
            Some(Grant::AuthorizationCode) => (&found.authorization, "authorization"),
            _ => (&None, ""),
        };
        match login {
            Some(endpoint) => {
                form.set_text(FieldKey::LoginEndpoint, endpoint);
                filled.push(format!("{what} endpoint {endpoint}"));
            }
            None if !what.is_empty() => {
                form.error = Some(format!(
                    "{issuer}'s metadata names no {what} endpoint: this grant cannot log in \
                     there (the token endpoint was filled)"
                ));
            }
            None => {}
        }
        self.note = Some(format!("discovered: {}", filled.join(", ")));
    }
}
