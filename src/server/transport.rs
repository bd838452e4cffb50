//! JSON-RPC over stdio with `Content-Length` framing.
//!
//! `lsp-server`'s own stdio transport gives up at the first malformed message; an editor
//! plugin's bug, or a stray write to the server's standard input, would take the server down.
//! Here a reader thread frames the input itself and hands over either a message or what was
//! wrong with one, so the loop can answer with a JSON-RPC error (`ParseError`,
//! `InvalidRequest`) and go on. The channel is bounded: a client that writes faster than the
//! server checks waits, and nothing queues without bound.

use std::io::{self, BufRead, Read, Write};

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Message};
use serde_json::{Value, json};

/// What the reader hands over.
pub(crate) enum Incoming {
    Message(Message),
    /// A frame that is not a JSON-RPC message: answered with `code`, to `id` if it had one.
    Invalid {
        id: Value,
        code: ErrorCode,
        message: String,
    },
}

/// Messages waiting for the loop, at most (the reader blocks beyond).
const QUEUE: usize = 256;

/// The largest message read; a bigger one is skipped and answered with an error.
const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// Starts the reader thread on standard input.
pub(crate) fn stdin_reader() -> io::Result<Receiver<Incoming>> {
    let (sender, receiver) = crossbeam_channel::bounded(QUEUE);
    std::thread::Builder::new().name("womlint-lsp-reader".to_owned()).spawn(move || {
        let stdin = io::stdin();
        read_all(&mut stdin.lock(), &sender);
    })?;
    Ok(receiver)
}

/// Reads frames until the end of the input or until the loop is gone.
fn read_all(input: &mut dyn BufRead, sender: &Sender<Incoming>) {
    loop {
        let incoming = match read_frame(input) {
            Ok(Some(Ok(body))) => parse(&body),
            Ok(Some(Err(problem))) => {
                Incoming::Invalid { id: Value::Null, code: ErrorCode::ParseError, message: problem }
            }
            Ok(None) => return,
            Err(err) => {
                eprintln!("womlint server: cannot read standard input: {err}");
                return;
            }
        };
        if sender.send(incoming).is_err() {
            return;
        }
    }
}

/// A message from a frame's body, or why it is none.
fn parse(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Incoming::Invalid {
                id: Value::Null,
                code: ErrorCode::ParseError,
                message: format!("not JSON: {err}"),
            };
        }
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(err) => Incoming::Invalid {
            id,
            code: ErrorCode::InvalidRequest,
            message: format!("not a JSON-RPC request, response or notification: {err}"),
        },
    }
}

/// The body of the next frame; `Ok(None)` at the end of the input; `Ok(Some(Err(..)))` for a
/// frame whose header is wrong (its body, if any, is skipped).
fn read_frame(input: &mut dyn BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut any_header = false;
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(if any_header { Some(Err("the input ended inside a header".to_owned())) } else { None });
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if any_header {
                break;
            }
            // Blank lines between frames are skipped.
            continue;
        }
        any_header = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse::<usize>().map_err(|_| format!("bad Content-Length: {:?}", value.trim())));
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(problem)) => return Ok(Some(Err(problem))),
        None => return Ok(Some(Err("a header without Content-Length".to_owned()))),
    };
    if length > MAX_MESSAGE {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(Err(format!("a message of {length} bytes, more than the {MAX_MESSAGE} read"))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(Ok(body)))
}

/// Writes framed messages to standard output.
pub(crate) struct Writer {
    out: io::BufWriter<io::Stdout>,
}

impl Writer {
    pub(crate) fn stdout() -> Self {
        Writer { out: io::BufWriter::new(io::stdout()) }
    }

    pub(crate) fn send(&mut self, message: Message) {
        if let Err(err) = message.write(&mut self.out) {
            eprintln!("womlint server: cannot write to standard output: {err}");
        }
    }

    /// An error response to a message that could not be read: its id may be `null`, which
    /// `lsp-server`'s `Response` cannot hold.
    pub(crate) fn send_error(&mut self, id: Value, code: ErrorCode, message: &str) {
        let text =
            json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } }).to_string();
        let written = write!(self.out, "Content-Length: {}\r\n\r\n{text}", text.len()).and_then(|()| self.out.flush());
        if let Err(err) = written {
            eprintln!("womlint server: cannot write to standard output: {err}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Incoming> {
        let (sender, receiver) = crossbeam_channel::unbounded();
        read_all(&mut io::Cursor::new(input.as_bytes().to_vec()), &sender);
        drop(sender);
        receiver.into_iter().collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_frames_are_reported_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"params":{}}"#),
            "Content-Type: x\r\n\r\n".to_owned(),
            "Content-Length: many\r\n\r\n".to_owned(),
            framed(good),
        ]
        .concat();
        let got = frames(&input);
        let codes: Vec<_> = got
            .iter()
            .map(|i| match i {
                Incoming::Invalid { code, id, .. } => format!("{code:?} {id}"),
                Incoming::Message(_) => "message".to_owned(),
            })
            .collect();
        assert_eq!(codes, ["ParseError null", "InvalidRequest 7", "ParseError null", "ParseError null", "message"]);
    }

    #[test]
    fn a_truncated_body_ends_the_input() {
        assert!(frames("Content-Length: 99\r\n\r\n{}").is_empty());
        assert!(frames("").is_empty());
    }
}
