#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (on a pipe, standard library only) to
check womlint's HTML report as a person would use it, or to time it on a large report.

    report_check.py check REPORT.html LONG.html HOSTILE.html --screenshot OUT.png
    report_check.py bench REPORT.html

`check` fails (exit 1) on any console error, uncaught exception, dialog or blocked resource,
and when the filters, the search box, the address's #filters, the keyboard, the phone layout or
print do not behave. `bench` prints timings and asserts nothing.
"""

import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]


class Browser:
    """Chromium with `--remote-debugging-pipe`: JSON messages ending in NUL on fds 3 and 4."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="womlint-chromium-")
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def wire():
            # Fresh copies first: either end may already sit on fd 3 or 4.
            read_end, write_end = os.dup(to_child), os.dup(from_child)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=wire,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=10)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no message from Chromium")
            ready, _, _ = select.select([self._read], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                continue
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=True, timeout=60):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message(timeout)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method, timeout=60):
        for i, event in enumerate(self.events):
            if event["method"] == method:
                del self.events[i]
                return event
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(max(deadline - time.monotonic(), 0.01))
            if reply.get("method") == method:
                return reply
            if "method" in reply:
                self.events.append(reply)

    def open_tab(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def viewport(self, width, height, mobile=False):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def goto(self, url):
        """Loads `url` afresh (by way of a blank page: a new #… alone would not reload it)."""
        for page in ("about:blank", url):
            self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
            self.call("Page.navigate", {"url": page})
            self.wait_for("Page.loadEventFired")

    def js(self, expression, wait=True):
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": wait},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def settle(self, ms=300):
        """Lets timers run (the search box waits for typing to pause)."""
        self.js(f"new Promise(r => setTimeout(r, {ms}))")

    def problems(self):
        """Console errors, uncaught exceptions, dialogs and failed loads seen so far."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}"
                             f" {params['exceptionDetails'].get('exception', {}).get('description', '')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                args = " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", []))
                found.append(f"console.{params['type']}: {args}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log {params['entry']['level']}: {params['entry']['text']}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found


def visible(browser):
    return browser.js("document.querySelectorAll('#list > article:not([hidden])').length")


class Checks(list):
    """The outcome of each check, printed as it is made."""

    def __call__(self, condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        self.append(bool(condition))

    def failed(self):
        return self.count(False)


def check(args):
    expect = Checks()
    browser = Browser(args.chromium)
    try:
        browser.open_tab()
        browser.viewport(1280, 900)
        url = pathlib.Path(args.report).resolve().as_uri()
        browser.goto(url)
        total = browser.js("document.querySelectorAll('#list > article').length")
        expect(total > 1, f"the report lists findings ({total})")
        expect(visible(browser) == total, "every finding is shown at first")
        expect(browser.js("!document.getElementById('filters').hidden"), "the script shows the filters")
        expect(browser.js("document.querySelectorAll('svg.chart').length") >= 2, "two charts are drawn")
        expect(browser.js("!!document.querySelector('#list mark') && !!document.querySelector('#list ins.fix')"),
               "excerpts underline the words and show where the label goes")

        # Keyboard: the first Tab reaches the skip link, Enter follows it.
        browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Tab", "code": "Tab",
                                                 "windowsVirtualKeyCode": 9})
        browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Tab", "code": "Tab",
                                                 "windowsVirtualKeyCode": 9})
        expect(browser.js("document.activeElement.className") == "skip", "Tab first reaches the skip link")

        # A filter chosen in the form.
        principle = browser.js("document.querySelector('#list > article').dataset.p")
        browser.js(f"""(() => {{ const s = document.querySelector('select[name=principle]');
            s.focus(); s.value = {json.dumps(principle)};
            s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")
        shown = visible(browser)
        same = browser.js(f"""[...document.querySelectorAll('#list > article:not([hidden])')]
            .every(a => a.dataset.p === {json.dumps(principle)})""")
        expect(0 < shown < total and same, f"principle={principle} shows {shown} of {total}")
        expect(browser.js("location.hash") == f"#principle={principle}", "the filter is kept in the address")
        expect(f"{shown} of {total}" in browser.js("document.getElementById('shown').textContent"),
               "the status line counts what is shown")

        # Clear, then type into the search box with key events.
        browser.js("document.querySelector('button[type=reset]').click()")
        browser.settle(100)
        expect(visible(browser) == total, "Clear filters shows everything again")
        word = args.search
        browser.js("document.querySelector('input[name=q]').focus()")
        browser.call("Input.insertText", {"text": word})
        browser.settle()
        shown = visible(browser)
        hits = browser.js(f"""[...document.querySelectorAll('#list > article:not([hidden])')]
            .every(a => a.textContent.toLowerCase().includes({json.dumps(word.lower())}))""")
        expect(0 < shown < total and hits, f"searching {word!r} shows {shown} of {total}")

        # Filters in the address, as a shared link would carry them.
        browser.goto(url + "#severity=error&lang=it")
        shown = visible(browser)
        right = browser.js("""[...document.querySelectorAll('#list > article:not([hidden])')]
            .every(a => a.dataset.s === 'error' && a.dataset.l === 'it')""")
        expect(0 < shown < total and right, f"#severity=error&lang=it shows {shown} of {total}")
        expect(browser.js("document.querySelector('select[name=lang]').value") == "it",
               "the form shows the filters of the address")
        # A link to a filtered view, followed within the page.
        browser.js(f"location.hash = 'principle=' + encodeURIComponent({json.dumps(principle)})")
        browser.settle(100)
        wanted = browser.js(f"document.querySelectorAll('#list > article[data-p={principle}]').length")
        expect(visible(browser) == wanted, f"following #principle={principle} shows its {wanted} findings")

        browser.goto(url)
        browser.settle(100)
        # The screenshot for the README: the summary, the filters and the first findings.
        shot = browser.call("Page.captureScreenshot",
                            {"format": "png", "clip": {"x": 0, "y": 0, "width": 1280, "height": 1900,
                                                       "scale": 1}, "captureBeyondViewport": True})
        pathlib.Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(args.screenshot).write_bytes(base64.b64decode(shot["data"]))
        print(f"     screenshot: {args.screenshot}")

        # A phone: nothing wider than the screen.
        browser.viewport(390, 844, mobile=True)
        browser.goto(url)
        width = browser.js("document.documentElement.scrollWidth")
        expect(width <= 390, f"on a 390 px phone the page is {width} px wide")
        browser.viewport(1280, 900)

        # Print: the filters are not printed, the findings are.
        browser.call("Emulation.setEmulatedMedia", {"media": "print"})
        expect(browser.js("getComputedStyle(document.getElementById('filters')).display") == "none",
               "print leaves the filters out")
        pdf = browser.call("Page.printToPDF", {})
        expect(len(base64.b64decode(pdf["data"])) > 10_000, "the report prints to PDF")
        browser.call("Emulation.setEmulatedMedia", {"media": ""})

        problems = browser.problems()
        expect(not problems, "no console error, exception or blocked resource")
        for problem in problems:
            print("     " + problem)

        # A report longer than a page: the first page, then more on demand, all when printing.
        browser.events = []
        browser.goto(pathlib.Path(args.many).resolve().as_uri())
        total = browser.js("document.querySelectorAll('#list > article').length")
        expect(total > 200, f"the long report lists {total} findings")
        expect(visible(browser) == 200, f"it shows the first 200 of {total}")
        expect(browser.js("!document.getElementById('more').hidden"), "with a button to show more")
        browser.js("document.querySelector('#more [data-more=page]').click()")
        expect(visible(browser) == min(400, total), "Show more shows another page")
        browser.js("dispatchEvent(new Event('beforeprint'))")
        expect(visible(browser) == total, "printing shows every finding")
        browser.js("dispatchEvent(new Event('afterprint'))")
        expect(visible(browser) == min(400, total), "after printing the page is as it was")
        problems = browser.problems()
        expect(not problems, "no console error on the long report")

        # A report of drafts with hostile markup: shown as text, nothing runs.
        browser.events = []
        browser.goto(pathlib.Path(args.hostile).resolve().as_uri())
        browser.settle(300)
        expect(browser.js("typeof window.__pwned") == "undefined", "hostile markup runs nothing")
        expect(browser.js("document.querySelectorAll('#list img, #list script, #list iframe').length") == 0,
               "hostile markup makes no element")
        text = browser.js("document.getElementById('list').textContent")
        expect("<script>" in text and "onerror=" in text, "hostile markup is shown as text")
        problems = browser.problems()
        expect(not problems, "no console error, dialog or blocked script on the hostile report")
        for problem in problems:
            print("     " + problem)
    finally:
        browser.close()
    print(f"browser: {len(expect) - expect.failed()} passed, {expect.failed()} failed")
    return expect.failed()


def tasks(found):
    """Long tasks, as [start, duration] in ms, summed up."""
    durations = [d for _, d in found]
    return {"count": len(durations), "longest_ms": max(durations, default=0), "total_ms": sum(durations)}


def bench(args):
    browser = Browser(args.chromium)
    try:
        browser.open_tab()
        browser.viewport(1280, 900)
        url = pathlib.Path(args.report).resolve().as_uri()
        size = os.path.getsize(args.report)
        # Long tasks (50 ms or more on the main thread) from the first byte of the page on.
        browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": """window.__long = [];
            new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(
                [Math.round(e.startTime), Math.round(e.duration)]))).observe({type: 'longtask'});"""})
        start = time.monotonic()
        browser.goto(url)
        loaded = time.monotonic() - start
        timing = browser.js("""(() => { const n = performance.getEntriesByType('navigation')[0];
            return {interactive: n.domInteractive, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()""")
        at_load = browser.js("window.__long.slice()")
        total = browser.js("document.querySelectorAll('#list > article').length")

        def timed(action):
            return browser.js(f"""new Promise(done => {{ const t0 = performance.now(); {action};
                document.body.offsetHeight; requestAnimationFrame(() => setTimeout(() =>
                done(performance.now() - t0), 0)); }})""")

        def select(name, value):
            return timed(f"""const s = document.querySelector('select[name={name}]'); s.value = '{value}';
                s.dispatchEvent(new Event('change', {{bubbles: true}}))""")

        principle = select("principle", "identity")
        shown_p = visible(browser)
        severity = select("severity", "warning")
        reset = timed("document.getElementById('filters').reset(); document.getElementById('filters')"
                      ".dispatchEvent(new Event('submit', {cancelable: true}))")
        search = timed("""const q = document.querySelector('input[name=q]'); q.value = 'glowco';
            q.form.dispatchEvent(new Event('submit', {cancelable: true}))""")
        shown_q = visible(browser)
        search2 = timed("""const q = document.querySelector('input[name=q]'); q.value = 'code';
            q.form.dispatchEvent(new Event('submit', {cancelable: true}))""")
        scroll = timed("window.scrollTo(0, document.body.scrollHeight / 2)")
        browser.js("document.getElementById('filters').reset()")
        browser.settle(100)
        show_more = timed("document.querySelector('#more [data-more=page]').click()")
        show_all = timed("document.querySelector('#more [data-more=all]').click()")
        heap = browser.js("performance.memory ? performance.memory.usedJSHeapSize : 0")
        long_tasks = browser.js("window.__long.slice(" + str(len(at_load)) + ")")
        print(json.dumps({
            "findings": total,
            "html_bytes": size,
            "load_wall_s": round(loaded, 3),
            "dom_interactive_ms": round(timing["interactive"]),
            "dom_content_loaded_ms": round(timing["dcl"]),
            "load_event_ms": round(timing["load"]),
            "filter_principle_ms": round(principle, 1),
            "shown_after_principle": shown_p,
            "filter_severity_ms": round(severity, 1),
            "clear_ms": round(reset, 1),
            "first_search_ms": round(search, 1),
            "shown_after_search": shown_q,
            "second_search_ms": round(search2, 1),
            "scroll_ms": round(scroll, 1),
            "show_more_ms": round(show_more, 1),
            "show_all_ms": round(show_all, 1),
            "long_tasks_while_loading": tasks(at_load),
            "js_heap_mib": round(heap / 1048576, 1),
            "long_tasks_after_load": tasks(long_tasks),
            "problems": browser.problems(),
        }, indent=1))
    finally:
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("check")
    c.add_argument("report")
    c.add_argument("many")
    c.add_argument("hostile")
    c.add_argument("--screenshot", required=True)
    c.add_argument("--search", default="glowco")
    b = commands.add_parser("bench")
    b.add_argument("report")
    args = parser.parse_args()
    if args.command == "bench":
        bench(args)
        return 0
    return 1 if check(args) else 0


if __name__ == "__main__":
    sys.exit(main())
