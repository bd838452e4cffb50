//! `womlint server` driven over stdio, as an editor drives it: `Content-Length` frames, a
//! real message sequence, and malformed input.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

/// A copy with a gift and no label, on a line with accents and emoji before the words.
const GIFTED: &str = "---\nplatform: instagram\n---\nCittà più bella 🌿 questa settimana!\n\nChe giornata 🌿👩‍💻 perché \
                      @glowco sent me their new serum and I love it. Use my code GLOW20 for 20% off!\n";

const GIFT_RULE: &str = "relationship/undisclosed-connection";

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Messages read while waiting for others.
    seen: Vec<Value>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_womlint"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("as the test expects");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("every frame has a Content-Length")];
                reader.read_exact(&mut body).expect("as the test expects");
                if sender.send(serde_json::from_slice(&body).expect("the server writes JSON")).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Server { child, stdin, messages, next_id: 0, seen: Vec::new() }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("as the test expects");
        stdin.write_all(bytes).expect("as the test expects");
        stdin.flush().expect("as the test expects");
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message (read now or earlier) that `matches`; the others are kept.
    fn wait_for(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.seen.iter().position(&matches) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if matches(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no such message in {WAIT:?}; got {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped; got {:#?}", self.seen),
            }
        }
    }

    /// The diagnostics published for `uri` at `version` (any version when `None`).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let published = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        published["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn initialize(&mut self, capabilities: Value, options: Value, root: &Path) -> Value {
        let root = uri(root);
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "capabilities": capabilities,
                "initializationOptions": options,
                "workspaceFolders": [{ "uri": root, "name": "drafts" }],
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": language, "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    }

    /// `shutdown`, `exit`, and the exit code.
    fn stop(mut self) -> Option<i32> {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("as the test expects") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_str().expect("as the test expects").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The byte offset of an LSP position, counting characters in UTF-16 or UTF-8 units.
fn offset(text: &str, position: &Value, utf16: bool) -> usize {
    let line = position["line"].as_u64().expect("as the test expects") as usize;
    let character = position["character"].as_u64().expect("as the test expects") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units == character {
            return start + at;
        }
        units += if utf16 { c.len_utf16() } else { c.len_utf8() };
    }
    text.len()
}

/// What `womlint check --format json` says about `text` as `name` in `dir`: (rule, byte start,
/// byte end) per diagnostic.
fn cli_findings(dir: &Path, name: &str, text: &str) -> Vec<(String, usize, usize)> {
    std::fs::write(dir.join(name), text).expect("as the test expects");
    let out = Command::new(env!("CARGO_BIN_EXE_womlint"))
        .args(["check", "--format", "json", name])
        .current_dir(dir)
        .output()
        .expect("as the test expects");
    let report: Value = serde_json::from_slice(&out.stdout).expect("as the test expects");
    report["diagnostics"]
        .as_array()
        .expect("as the test expects")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("as the test expects").to_owned(),
                d["byte_start"].as_u64().expect("as the test expects") as usize,
                d["byte_end"].as_u64().expect("as the test expects") as usize,
            )
        })
        .collect()
}

fn spans(text: &str, diagnostics: &[Value], utf16: bool) -> Vec<(String, usize, usize)> {
    diagnostics
        .iter()
        .map(|d| {
            let code = d["code"].as_str().expect("as the test expects").to_owned();
            (code, offset(text, &d["range"]["start"], utf16), offset(text, &d["range"]["end"], utf16))
        })
        .collect()
}

#[test]
fn diagnostics_in_utf16_match_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("post.md");
    let expected = cli_findings(dir.path(), "post.md", GIFTED);
    assert!(expected.iter().any(|(rule, ..)| rule == GIFT_RULE), "{expected:?}");

    let mut server = Server::start(dir.path());
    let init = server.initialize(json!({}), Value::Null, dir.path());
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(init["result"]["serverInfo"]["name"], "womlint");

    let uri = uri(&path);
    server.open(&uri, "markdown", GIFTED);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(spans(GIFTED, &diagnostics, true), expected);
    // The finding sits after an accent and emoji on its line: a UTF-8 or code point count
    // would put it elsewhere.
    let gift = diagnostics.iter().find(|d| d["code"] == GIFT_RULE).unwrap();
    assert_eq!(gift["range"]["start"]["line"], 5);
    let line = GIFTED.lines().nth(5).unwrap();
    let before = &line[..line.find("@glowco").unwrap()];
    assert_eq!(gift["range"]["start"]["character"], before.encode_utf16().count());
    assert_ne!(before.encode_utf16().count(), before.chars().count());
    assert_eq!(gift["severity"], 1);
    assert_eq!(gift["source"], "womlint");
    assert!(gift["codeDescription"]["href"].as_str().unwrap().starts_with("http"), "{gift}");
    let related = &gift["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert!(related["message"].as_str().unwrap().contains("the label belongs here"), "{related}");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = tempfile::tempdir().unwrap();
    let expected = cli_findings(dir.path(), "post.md", GIFTED);
    let mut server = Server::start(dir.path());
    let init =
        server.initialize(json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }), Value::Null, dir.path());
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let uri = uri(&dir.path().join("post.md"));
    server.open(&uri, "markdown", GIFTED);
    let diagnostics = server.diagnostics(&uri, Some(1));
    assert_eq!(spans(GIFTED, &diagnostics, false), expected);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn changes_full_and_incremental_save_and_close() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    let uri = uri(&dir.path().join("caption.txt"));
    let text = "Che giornata 🌿 perché @glowco sent me their new serum and I love it.\n";
    server.open(&uri, "plaintext", text);
    assert!(server.diagnostics(&uri, Some(1)).iter().any(|d| d["code"] == GIFT_RULE));

    // An incremental change: a label at the very start clears the finding.
    let change = json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "#ad " });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [change] }),
    );
    assert!(server.diagnostics(&uri, Some(2)).iter().all(|d| d["code"] != GIFT_RULE));

    // An incremental change after the emoji (UTF-16 units), then the whole text back.
    let label = json!({ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 4 } }, "text": "" });
    let emoji_end = "Che giornata 🌿".encode_utf16().count();
    let insert = json!({ "range": { "start": { "line": 0, "character": emoji_end }, "end": { "line": 0, "character": emoji_end } }, "text": " ☀️" });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [label, insert] }),
    );
    let edited = text.replacen("🌿", "🌿 ☀️", 1);
    let diagnostics = server.diagnostics(&uri, Some(3));
    let gift = diagnostics.iter().find(|d| d["code"] == GIFT_RULE).expect("the finding is back");
    assert_eq!(offset(&edited, &gift["range"]["start"], true), edited.find("@glowco").unwrap());

    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 4 }, "contentChanges": [{ "text": "Nothing to see.\n" }] }),
    );
    assert!(server.diagnostics(&uri, Some(4)).is_empty());
    server.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    assert!(server.diagnostics(&uri, Some(4)).is_empty());
    server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let cleared =
        server.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str());
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn rapid_changes_end_with_the_last_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    let uri = uri(&dir.path().join("post.md"));
    server.open(&uri, "markdown", "");
    server.diagnostics(&uri, Some(1));
    let typed = "@glowco sent me their new serum and I love it.";
    for (i, c) in typed.chars().enumerate() {
        let at = json!({ "line": 0, "character": i });
        let change = json!({ "range": { "start": at, "end": at }, "text": c.to_string() });
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": i + 2 }, "contentChanges": [change] }),
        );
    }
    let last = typed.chars().count() + 1;
    let diagnostics = server.diagnostics(&uri, Some(last as i64));
    assert_eq!(spans(typed, &diagnostics, true).first().map(|d| d.0.as_str()), Some(GIFT_RULE));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn code_actions_fix_and_waive() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    let uri = uri(&dir.path().join("post.md"));
    server.open(&uri, "markdown", GIFTED);
    let diagnostics = server.diagnostics(&uri, Some(1));
    let gift = diagnostics.iter().find(|d| d["code"] == GIFT_RULE).unwrap().clone();

    let params =
        json!({ "textDocument": { "uri": uri }, "range": gift["range"], "context": { "diagnostics": [gift] } });
    let actions = server.request("textDocument/codeAction", params)["result"].as_array().cloned().unwrap();
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    // The finding's fix, as `--unsafe-fixes` would apply it: not preferred, since only a person
    // knows that the post is paid.
    let fix = actions.iter().find(|a| a["title"].as_str().unwrap().ends_with("(unsafe fix)"));
    let fix = fix.unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert!(fix.get("isPreferred").is_none_or(Value::is_null), "{fix}");
    let waiver = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Waive")).unwrap();

    // Each edit, applied, clears the finding; the waiver's reason is left to fill in.
    for (version, action) in [(2, fix), (3, waiver)] {
        let edits = action["edit"]["changes"][&uri].as_array().unwrap();
        let mut text = GIFTED.to_owned();
        for edit in edits.iter().rev() {
            let (start, end) =
                (offset(&text, &edit["range"]["start"], true), offset(&text, &edit["range"]["end"], true));
            text.replace_range(start..end, edit["newText"].as_str().unwrap());
        }
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        let after = server.diagnostics(&uri, Some(version));
        assert!(after.iter().all(|d| d["code"] != GIFT_RULE), "{action}: {after:?}");
        if version == 3 {
            assert!(text.contains(&format!("<!-- womlint-disable-line {GIFT_RULE} -- REASON -->")), "{text}");
        }
    }

    // The fix-all action, asked for by kind, applies the safe fixes as `--fix` does: none for
    // the gifted post (adding a label is unsafe); the ambiguous label moved first and made clear.
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } });
    let fix_all = |server: &mut Server, version: i64, text: &str| {
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        server.diagnostics(&uri, Some(version));
        let params = json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [], "only": ["source.fixAll"] } });
        server.request("textDocument/codeAction", params)["result"].as_array().cloned().unwrap()
    };
    assert_eq!(fix_all(&mut server, 4, GIFTED), Vec::<Value>::new());
    let actions = fix_all(&mut server, 5, "Loving my new serum from @glowco! #sp\n");
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.womlint");
    assert_eq!(actions[0]["edit"]["changes"][&uri][0]["newText"], "#ad Loving my new serum from @glowco!\n");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn hover_explains_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    // An unsaved buffer, in no folder.
    let uri = "untitled:Untitled-1";
    server.open(uri, "markdown", GIFTED);
    let diagnostics = server.diagnostics(uri, Some(1));
    let gift = diagnostics.iter().find(|d| d["code"] == GIFT_RULE).unwrap();
    let at = &gift["range"]["start"];
    let hover = server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": at }));
    let contents = &hover["result"]["contents"];
    assert_eq!(contents["kind"], "markdown");
    let text = contents["value"].as_str().unwrap();
    assert!(text.contains(GIFT_RULE) && text.contains("**How to fix it**"), "{text}");
    // The examples too, which the packs read for checking leave out.
    assert!(text.contains("✗ flagged") && text.contains("✓ passes"), "{text}");
    assert_eq!(hover["result"]["range"], gift["range"]);
    // Nothing there: no hover.
    let nothing = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 0 } }),
    );
    assert_eq!(nothing["result"], Value::Null);
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn configuration_is_discovered_reloaded_and_kept_when_broken() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("womlint.yaml");
    std::fs::write(&config, "rules:\n  relationship/undisclosed-connection: warning\n").unwrap();
    std::fs::create_dir(dir.path().join("campaign")).unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
        Value::Null,
        dir.path(),
    );
    let registration = server.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles");
    server.send(json!({ "jsonrpc": "2.0", "id": registration["id"], "result": null }));

    let uri = uri(&dir.path().join("campaign/post.md"));
    server.open(&uri, "markdown", GIFTED);
    let severity =
        |diagnostics: &[Value]| diagnostics.iter().find(|d| d["code"] == GIFT_RULE).map(|d| d["severity"].clone());
    assert_eq!(severity(&server.diagnostics(&uri, None)), Some(json!(2)), "the configuration's warning");

    // Broken: shown on the file and in a message; the last good rules stay.
    std::fs::write(&config, "rules:\n  relationship/undisclosed-connection: loud\n").unwrap();
    let changed = json!({ "changes": [{ "uri": self::uri(&config), "type": 2 }] });
    server.notify("workspace/didChangeWatchedFiles", changed.clone());
    let on_config = server.diagnostics(&self::uri(&config), None);
    assert_eq!(on_config.len(), 1, "{on_config:?}");
    assert_eq!(on_config[0]["range"]["start"]["line"], 1);
    let message = server.wait_for(|m| m["method"] == "window/showMessage");
    assert!(message["params"]["message"].as_str().unwrap().contains("womlint.yaml"), "{message}");
    assert_eq!(severity(&server.diagnostics(&uri, None)), Some(json!(2)), "the last good configuration");

    // Fixed: the file's diagnostics are cleared and the new settings apply.
    std::fs::write(&config, "rules:\n  relationship/undisclosed-connection: info\n").unwrap();
    server.notify("workspace/didChangeWatchedFiles", changed);
    assert!(server.diagnostics(&self::uri(&config), None).is_empty());
    assert_eq!(severity(&server.diagnostics(&uri, None)), Some(json!(3)));
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn initialization_options_set_the_market() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Sponsored by @glowco. My skin has never looked this calm, I love this serum.\n";
    let codes = |options: Value| {
        let mut server = Server::start(dir.path());
        server.initialize(json!({}), options, dir.path());
        let uri = uri(&dir.path().join("uk.md"));
        server.open(&uri, "markdown", text);
        let codes: Vec<String> =
            server.diagnostics(&uri, Some(1)).iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
        assert_eq!(server.stop(), Some(0));
        codes
    };
    assert!(codes(Value::Null).is_empty());
    assert_eq!(codes(json!({ "jurisdiction": "uk" })), ["relationship/ambiguous-label-only"]);
}

#[test]
fn malformed_input_gets_protocol_errors_and_no_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    // Before `initialize`.
    server.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {} }));
    let early = server.wait_for(|m| m["id"] == 1);
    assert_eq!(early["error"]["code"], -32002);
    server.next_id = 1;
    server.initialize(json!({}), Value::Null, dir.path());

    server.raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = server.wait_for(|m| m["error"]["code"] == -32700);
    assert_eq!(parse_error["id"], Value::Null);
    server.send(json!({ "jsonrpc": "2.0", "id": 77, "params": {} }));
    assert_eq!(server.wait_for(|m| m["id"] == 77)["error"]["code"], -32600);
    assert_eq!(server.request("womlint/nothing", json!({}))["error"]["code"], -32601);
    assert_eq!(server.request("textDocument/hover", json!({ "bad": true }))["error"]["code"], -32602);

    // A document never opened, and positions past the end.
    let uri = uri(&dir.path().join("post.md"));
    let far = json!({ "line": 9999, "character": 9999 });
    server.notify("textDocument/didChange", json!({ "textDocument": { "uri": "file:///never/opened.md", "version": 2 }, "contentChanges": [{ "text": "x" }] }));
    let never = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///never/opened.md" }, "position": far }),
    );
    assert_eq!(never["result"], Value::Null);
    server.open(&uri, "markdown", GIFTED);
    server.diagnostics(&uri, Some(1));
    let change = json!({ "range": { "start": far, "end": far }, "text": "\n#ad" });
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [change] }),
    );
    assert!(!server.diagnostics(&uri, Some(2)).is_empty(), "a label at the end is too late");
    let hover = server.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": far }));
    assert!(hover.get("error").is_none(), "{hover}");

    // After `shutdown`, requests are refused; `exit` ends with 0.
    assert!(server.request("shutdown", Value::Null).get("error").is_none());
    assert_eq!(server.request("textDocument/hover", json!({}))["error"]["code"], -32600);
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    server.notify("exit", Value::Null);
    assert_eq!(server.exit_code(), Some(1));
    // The input closed without a word: the same.
    let mut server = Server::start(dir.path());
    server.initialize(json!({}), Value::Null, dir.path());
    assert_eq!(server.exit_code(), Some(1));
}
