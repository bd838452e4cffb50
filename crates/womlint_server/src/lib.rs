//! The language server that `womlint server` runs: a language server over stdio, so that findings show while the copy is
//! written, in any editor with an LSP client.
//!
//! One thread reads and frames the client's messages ([`transport`]); the main thread keeps
//! the open documents ([`documents`]) and the configuration ([`session`]), checks documents
//! and publishes their diagnostics ([`diagnostics`]), and answers code actions ([`actions`])
//! and hovers ([`hover`]). Changes are applied as they come, and a changed document is
//! checked once no message is waiting (or once its oldest unchecked change is
//! [`MAX_DELAY`] old), so a burst of keystrokes costs one check.
//!
//! This crate depends on the engine ([`womlint_core`]: config, document, lint, rules,
//! finding, span, and `pipeline`, the check of one document that the command line runs too)
//! only: the command line (the `womlint` package), clap and miette are not among its
//! dependencies, so it cannot use them.

mod actions;
mod diagnostics;
mod documents;
mod hover;
mod position;
mod session;
mod transport;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, PublishDiagnosticsParams, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;

use self::documents::{Checked, Documents, check_text, file_path, file_uri};
use self::position::Encoding;
use self::session::Session;
use self::transport::{Incoming, Writer};

/// The longest a change waits for its check while more messages keep coming.
const MAX_DELAY: Duration = Duration::from_millis(200);

/// Runs the server until the client says `exit` (or closes the input): exit code 0 after a
/// `shutdown` request, 1 without one, as the protocol asks.
pub fn run() -> ExitCode {
    let receiver = match transport::stdin_reader() {
        Ok(receiver) => receiver,
        Err(err) => {
            eprintln!("womlint server: cannot read standard input: {err}");
            return ExitCode::from(2);
        }
    };
    let mut out = Writer::stdout();
    let Some((id, params)) = initialize(&receiver, &mut out) else { return ExitCode::from(1) };
    let mut server = Server::new(out, &params);
    let result = InitializeResult {
        capabilities: server.capabilities(),
        server_info: Some(ServerInfo {
            name: "womlint".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    server.respond(Response::new_ok(id, result));
    server.send_messages();
    let shut_down = server.serve(&receiver);
    if shut_down { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Waits for `initialize`, answering anything else as the protocol asks before it.
fn initialize(receiver: &Receiver<Incoming>, out: &mut Writer) -> Option<(RequestId, InitializeParams)> {
    loop {
        match receiver.recv().ok()? {
            Incoming::Invalid { id, code, message } => out.send_error(id, code, &message),
            Incoming::Message(Message::Request(request)) if request.method == "initialize" => {
                match serde_json::from_value(request.params) {
                    Ok(params) => return Some((request.id, params)),
                    Err(err) => out.send(error(request.id, ErrorCode::InvalidParams, format!("initialize: {err}"))),
                }
            }
            Incoming::Message(Message::Request(request)) => out.send(error(
                request.id,
                ErrorCode::ServerNotInitialized,
                format!("{}: the server is not initialized yet", request.method),
            )),
            Incoming::Message(Message::Notification(n)) if n.method == "exit" => return None,
            Incoming::Message(_) => {}
        }
    }
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Message {
    Message::Response(Response::new_err(id, code as i32, message))
}

struct Server {
    out: Writer,
    encoding: Encoding,
    documents: Documents,
    session: Session,
    /// Whether the client lets the server register a file watcher.
    can_watch: bool,
    next_id: i32,
    shut_down: bool,
    /// When the oldest change not yet checked came.
    pending_since: Option<Instant>,
}

impl Server {
    fn new(out: Writer, params: &InitializeParams) -> Self {
        let capabilities = &params.capabilities;
        let offered = capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref());
        let encoding = Encoding::negotiate(offered);
        let mut roots: Vec<_> =
            params.workspace_folders.iter().flatten().filter_map(|folder| file_path(&folder.uri)).collect();
        #[allow(deprecated)] // Older clients send only `rootUri`.
        if roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(file_path)
        {
            roots.push(root);
        }
        let can_watch = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let session = Session::new(params.initialization_options.clone(), roots, encoding);
        Server {
            out,
            encoding,
            documents: Documents::default(),
            session,
            can_watch,
            next_id: 0,
            shut_down: false,
            pending_since: None,
        }
    }

    fn capabilities(&self) -> ServerCapabilities {
        let sync = TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        };
        let actions = CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(actions::FIX_ALL)]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        };
        ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(sync)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(actions)),
            ..ServerCapabilities::default()
        }
    }

    /// The main loop; gives whether `shutdown` came before the end.
    fn serve(&mut self, receiver: &Receiver<Incoming>) -> bool {
        loop {
            let overdue = self.pending_since.is_some_and(|since| since.elapsed() >= MAX_DELAY);
            if self.documents.any_dirty() && (receiver.is_empty() || overdue) {
                self.check_dirty();
            }
            let Ok(incoming) = receiver.recv() else { return self.shut_down };
            match incoming {
                Incoming::Invalid { id, code, message } => {
                    eprintln!("womlint server: {message}");
                    self.out.send_error(id, code, &message);
                }
                Incoming::Message(Message::Request(request)) => self.request(request),
                Incoming::Message(Message::Notification(notification)) => {
                    if notification.method == "exit" {
                        return self.shut_down;
                    }
                    self.notification(notification);
                }
                Incoming::Message(Message::Response(response)) => {
                    if let Err(err) = response.response_result {
                        eprintln!("womlint server: the client refused request {}: {}", response.id, err.message);
                    }
                }
            }
        }
    }

    fn respond(&mut self, response: Response) {
        self.out.send(Message::Response(response));
    }

    fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        if self.shut_down {
            let message = format!("{method}: the server is shutting down");
            return self.out.send(error(id, ErrorCode::InvalidRequest, message));
        }
        match method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                self.respond(Response::new_ok(id, ()));
            }
            "initialize" => self.out.send(error(id, ErrorCode::InvalidRequest, "already initialized".to_owned())),
            "textDocument/codeAction" => {
                let Some(params) = self.params::<CodeActionParams>(&id, &method, params) else { return };
                let uri = params.text_document.uri;
                self.check_now(&uri);
                let actions = match self.documents.get(&uri) {
                    Some(doc) => {
                        actions::code_actions(doc, params.range, params.context.only.as_deref(), self.encoding)
                    }
                    None => {
                        eprintln!("womlint server: code actions for {}, which is not open", uri.as_str());
                        Vec::new()
                    }
                };
                self.respond(Response::new_ok(id, actions));
            }
            "textDocument/hover" => {
                let Some(params) = self.params::<HoverParams>(&id, &method, params) else { return };
                let at = params.text_document_position_params;
                self.check_now(&at.text_document.uri);
                let hover = self
                    .documents
                    .get(&at.text_document.uri)
                    .and_then(|doc| hover::hover(doc, at.position, self.encoding));
                self.respond(Response::new_ok(id, hover));
            }
            _ => self.out.send(error(id, ErrorCode::MethodNotFound, format!("unknown method {method}"))),
        }
    }

    /// A request's parameters, or `None` once `InvalidParams` is sent.
    fn params<P: DeserializeOwned>(&mut self, id: &RequestId, method: &str, params: serde_json::Value) -> Option<P> {
        match serde_json::from_value(params) {
            Ok(params) => Some(params),
            Err(err) => {
                self.out.send(error(id.clone(), ErrorCode::InvalidParams, format!("{method}: {err}")));
                None
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            "initialized" => self.watch_configuration(),
            "textDocument/didOpen" => {
                let Some(p) = notification_params::<DidOpenTextDocumentParams>(&method, params) else { return };
                let doc = p.text_document;
                if self.documents.open(doc.uri, &doc.language_id, doc.version, doc.text) {
                    self.pending_since.get_or_insert_with(Instant::now);
                }
            }
            "textDocument/didChange" => {
                let Some(p) = notification_params::<DidChangeTextDocumentParams>(&method, params) else { return };
                let Some(doc) = self.documents.get_mut(&p.text_document.uri) else {
                    eprintln!(
                        "womlint server: a change to {}, which is not open, ignored",
                        p.text_document.uri.as_str()
                    );
                    return;
                };
                for change in p.content_changes {
                    doc.apply(change, self.encoding);
                }
                doc.version = p.text_document.version;
                self.pending_since.get_or_insert_with(Instant::now);
            }
            "textDocument/didSave" => {
                let Some(p) = notification_params::<DidSaveTextDocumentParams>(&method, params) else { return };
                if file_path(&p.text_document.uri).is_some_and(|path| self.session.is_watched(&path)) {
                    self.reload();
                } else if let Some(doc) = self.documents.get_mut(&p.text_document.uri) {
                    doc.dirty = true;
                    self.pending_since.get_or_insert_with(Instant::now);
                }
            }
            "textDocument/didClose" => {
                let Some(p) = notification_params::<DidCloseTextDocumentParams>(&method, params) else { return };
                if self.documents.close(&p.text_document.uri).is_some() {
                    self.publish(p.text_document.uri, Vec::new(), None);
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let Some(p) = notification_params::<DidChangeWatchedFilesParams>(&method, params) else { return };
                if p.changes.iter().filter_map(|c| file_path(&c.uri)).any(|path| self.session.is_watched(&path)) {
                    self.reload();
                }
            }
            _ => {}
        }
    }

    /// Reads the configuration again and checks every open document with it.
    fn reload(&mut self) {
        self.session.reload();
        self.documents.mark_all_dirty();
        self.pending_since.get_or_insert_with(Instant::now);
    }

    /// Asks the client to report changes to configuration files and packs, if it can.
    fn watch_configuration(&mut self) {
        if !self.can_watch {
            return;
        }
        let watchers = ["**/womlint.yaml", "**/.womlint.yaml", "**/*.{yaml,yml}"]
            .into_iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "womlint-configuration".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_id += 1;
        let params = RegistrationParams { registrations: vec![registration] };
        let request = Request::new(RequestId::from(self.next_id), "client/registerCapability".to_owned(), params);
        self.out.send(Message::Request(request));
    }

    /// Checks `uri` now if it changed since its last check (a request needs its findings).
    fn check_now(&mut self, uri: &Uri) {
        if self.documents.get(uri).is_some_and(|d| d.dirty) {
            self.check(uri);
            self.send_messages();
        }
    }

    fn check_dirty(&mut self) {
        let dirty: Vec<Uri> = self.documents.iter_mut().filter(|d| d.dirty).map(|d| d.uri.clone()).collect();
        for uri in dirty {
            self.check(&uri);
        }
        self.pending_since = None;
        self.send_messages();
    }

    /// Checks one document and publishes its diagnostics.
    fn check(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get_mut(uri) else { return };
        let name = doc.name();
        let resolved = self.session.resolve(&name, doc.path.as_deref());
        let mut checked = Checked {
            findings: Vec::new(),
            rules: resolved.rules.clone(),
            front_matter: None,
            defaults: resolved.defaults.clone(),
        };
        if let Some(rules) = resolved.rules.as_ref().filter(|_| !resolved.excluded) {
            // A long-lived process: whole pattern lists, compiled once and shared by every check.
            rules.rules.prepare_gate_for(true);
            (checked.findings, checked.front_matter) =
                check_text(name, doc.text.as_str(), doc.kind, rules, &resolved.defaults);
        }
        doc.checked = checked;
        doc.dirty = false;
        let diagnostics =
            doc.checked.findings.iter().map(|f| diagnostics::from_finding(f, doc, self.encoding)).collect();
        let version = doc.version;
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams { uri, diagnostics, version };
        self.out.send(Message::Notification(Notification::new("textDocument/publishDiagnostics".to_owned(), params)));
    }

    /// Publishes problems in configuration files and packs, and shows new messages.
    fn send_messages(&mut self) {
        let (problems, messages) = self.session.take_problems();
        for (path, diagnostics) in problems {
            match file_uri(&path) {
                Some(uri) => self.publish(uri, diagnostics, None),
                None => eprintln!("womlint server: no URI for {}", path.display()),
            }
        }
        for message in messages {
            eprintln!("{message}");
            let params = ShowMessageParams { typ: MessageType::ERROR, message };
            self.out.send(Message::Notification(Notification::new("window/showMessage".to_owned(), params)));
        }
    }
}

/// A notification's parameters; a bad one is logged (a notification gets no answer).
fn notification_params<P: DeserializeOwned>(method: &str, params: serde_json::Value) -> Option<P> {
    serde_json::from_value(params).map_err(|err| eprintln!("womlint server: {method}: bad parameters: {err}")).ok()
}

#[cfg(test)]
mod tests {
    /// The crate graph keeps the command line, clap and miette out of the server; this keeps
    /// out the parts of the engine that only the command line drives: the walk over folders
    /// and the per-file report its renderers write.
    #[test]
    fn the_server_uses_the_engine_only() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut read = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let whole = std::fs::read_to_string(&path).unwrap();
            // The code, not its tests (this one names what it looks for).
            let text = whole.split("#[cfg(test)]").next().unwrap();
            for forbidden in ["womlint_core::input", "womlint_core::report", "womlint::"] {
                assert!(!text.contains(forbidden), "{} uses {forbidden}", path.display());
            }
            read += 1;
        }
        assert_eq!(read, 8, "every file of the server's src is read");
        let manifest = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
        let manifest = manifest.unwrap();
        let dependencies = manifest.split("[dependencies]").nth(1).unwrap_or_default();
        for front_end in ["womlint =", "clap", "miette"] {
            assert!(!dependencies.contains(front_end), "the server depends on {front_end}");
        }
    }
}
