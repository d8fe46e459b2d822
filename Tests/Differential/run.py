#!/usr/bin/env python3
"""Differential check of request framing: minihttp against llhttp (PyPI httptools) and h11.

Every message of the fuzz corpus (Tests/Fuzz/corpus) and of the conformance table below goes through
minihttp's own parser (Verdict.swift linked with the pure HTTP sources, as Tests/Fuzz/run.sh does), llhttp
and h11. For each, the requests a server would take from the bytes are compared: method, target, decoded
body, keep-alive, and how the bytes end (complete, incomplete, closed after a non-persistent request, error).

  minihttp stricter  minihttp refuses what a peer accepts: listed, fine (RFC 9112's stricter answers).
  difference         minihttp and a peer both accept and frame differently: a smuggling risk, so it fails
                     the run unless EXPLAINED names it with a reason.
  laxer              minihttp accepts what both peers refuse: fails the run unless EXPLAINED.

Usage: python3 Tests/Differential/run.py [-v] [--corpus DIR]...   (pip install httptools h11)
  -v             print minihttp's verdict for every message
  --corpus DIR   also run every file of DIR (e.g. the fuzzer's Tests/Fuzz/work-corpus)
  DIFFERENTIAL_SOURCES=DIR    judge with the pure layer in DIR (e.g. an older revision's Sources/MiniHTTPCore)
Exit 1 on anything unexplained.
"""
import glob
import os
import re
import subprocess
import sys

import h11
import httptools

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORE = os.environ.get("DIFFERENTIAL_SOURCES") or os.path.join(ROOT, "Sources", "MiniHTTPCore")
# The pure layer, whole, as the parser fuzzer links it (Tests/Fuzz/run.sh).
SOURCES = sorted(glob.glob(os.path.join(CORE, "**", "*.swift"), recursive=True))
SOURCES.append(os.path.join(ROOT, "Tests", "Differential", "Verdict.swift"))
BINARY = os.path.join(ROOT, ".build-diff", "verdict-other" if "DIFFERENTIAL_SOURCES" in os.environ else "verdict")

from cases import CASES  # noqa: E402  (Tests/Differential/cases.py: the conformance table)

# (case name, peer) -> why minihttp frames it differently, or accepts it although both peers refuse it.
# A peer of "*" covers both.
EXPLAINED = {
    ("te-trailing-comma", "*"): "`Transfer-Encoding: chunked,` is chunked with an empty list element, which a "
                                "recipient MUST ignore (RFC 9110 §5.6.1.2); the last coding is still chunked, so "
                                "the framing is unambiguous, and a front end with either peer refuses it anyway",
}
# Chunk-size lines with whitespace before a ';' (a message that has one is explained by it).
CHUNK_SIZE_BWS = re.compile(rb"\r\n[0-9A-Fa-f]+[ \t]+;")


def _agree_until(mini, peer):
    """The requests both took alike, and the first on which they differ (or None)."""
    for index, (ours, theirs) in enumerate(zip(mini, peer)):
        if ours != theirs:
            return index, ours, theirs
    return len(min(mini, peer, key=len)), None, None


def explain_by_kind(message, mini, peer_name, peer):
    """Differences explained by what they are rather than by case: why, or None."""
    if CHUNK_SIZE_BWS.search(message) and peer[1] == "error":
        return ("`5 ;a=b`: the chunk-ext grammar has BWS before ';' (RFC 9112 §7.1.1) and a recipient MUST parse "
                "and remove BWS (RFC 9110 §5.6.3); llhttp and h11 refuse it. Only ';' may follow it, so the size "
                "is unambiguous (`5 xyz`, `5 5` and `5 ` are refused)")
    if peer_name == "both":
        return None
    (m_requests, m_end, _), (p_requests, p_end, _) = mini, peer
    index, ours, theirs = _agree_until(m_requests, p_requests)
    if (ours is not None and theirs is not None and ours[:3] == theirs[:3] and ours[3] and not theirs[3]
            and peer_name == "h11" and b" HTTP/1.0\r\n" in message):
        return ("h11 never keeps an HTTP/1.0 connection alive; minihttp honours `Connection: keep-alive` "
                "(RFC 9112 §9.3); the request is framed alike")
    last = m_requests[index] if index < len(m_requests) else None
    if (last is not None and last[0] == b"CONNECT" and len(p_requests) == index + 1 and p_end in ("closed", "upgrade")
            and p_requests[index][:3] == last[:3]):
        return ("the peer stops at CONNECT as a possible tunnel; minihttp is no proxy and answers it 405, and a "
                "connection only becomes a tunnel after a 2xx (RFC 9110 §9.3.6), so the next bytes are a request")
    return None


def build():
    """Compiles the verdict tool when a source is newer than it."""
    if os.path.exists(BINARY) and os.path.getmtime(BINARY) >= max(os.path.getmtime(s) for s in SOURCES):
        return
    os.makedirs(os.path.dirname(BINARY), exist_ok=True)
    subprocess.run(["swiftc", "-Onone", "-parse-as-library", "-package-name", "minihttp", "-module-name", "Verdict", *SOURCES, "-o", BINARY],
                   check=True)


def minihttp(messages):
    """minihttp's verdicts for all messages, one run of the tool."""
    import json
    out = subprocess.run([BINARY], input="".join(m.hex() + "\n" for m in messages).encode(), capture_output=True,
                         check=True, timeout=60).stdout.decode().splitlines()
    assert len(out) == len(messages), "the verdict tool answered %d of %d messages" % (len(out), len(messages))
    verdicts = []
    for line in out:
        v = json.loads(line)
        requests = [(bytes.fromhex(r["method"]), bytes.fromhex(r["target"]), bytes.fromhex(r["body"]), r["keepAlive"])
                    for r in v["requests"]]
        detail = v.get("error", "")
        if v["end"] == "error":
            detail = "%s %s" % (v["status"], v["error"])
        framing = [r["framing"] for r in v["requests"]]
        verdicts.append((requests, v["end"], detail, framing))
    return verdicts


class _Recorder:
    def __init__(self):
        self.requests = []
        self.current = None
        self.parser = None

    def on_message_begin(self):
        self.current = {"target": b"", "body": b""}

    def on_url(self, url):
        self.current["target"] += url

    def on_body(self, body):
        self.current["body"] += body

    def on_message_complete(self):
        c = self.current
        self.requests.append((self.parser.get_method(), c["target"], c["body"], self.parser.should_keep_alive()))
        self.current = None


def llhttp(message):
    recorder = _Recorder()
    parser = httptools.HttpRequestParser(recorder)
    recorder.parser = parser
    end, detail = "complete", ""
    try:
        parser.feed_data(message)
        if recorder.current is not None:
            end = "incomplete"
    except httptools.HttpParserUpgrade:
        end, detail = "upgrade", "upgrade"
    except httptools.HttpParserError as error:
        end, detail = "error", str(error)
    return _stop_at_close(recorder.requests, end, detail)


def h11_verdict(message):
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=1 << 20)
    conn.receive_data(message)
    requests, current, end, detail = [], None, "complete", ""
    try:
        while True:
            event = conn.next_event()
            if isinstance(event, h11.Request):
                current = [event.method, event.target, b""]
            elif isinstance(event, h11.Data):
                current[2] += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                keep_alive = conn.their_state is h11.DONE
                requests.append((current[0], current[1], current[2], keep_alive))
                current = None
                if not keep_alive:
                    break
                conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                conn.send(h11.EndOfMessage())
                conn.start_next_cycle()
            elif event is h11.NEED_DATA:
                if current is not None or conn.trailing_data[0]:
                    end = "incomplete"
                break
            else:  # PAUSED (CONNECT or Upgrade) or ConnectionClosed
                end, detail = "upgrade", repr(event)
                break
    except h11.RemoteProtocolError as error:
        end, detail = "error", "%s %s" % (error.error_status_hint, error)
    return _stop_at_close(requests, end, detail)


def _stop_at_close(requests, end, detail):
    """A server reads nothing after a request that does not keep the connection alive."""
    for index, request in enumerate(requests):
        if not request[3]:
            return requests[:index + 1], "closed", ""
    return requests, end, detail


def accepted(end):
    return end in ("complete", "incomplete", "closed")


def describe(requests, end, detail):
    parts = ["%s %s body=%r%s" % (m.decode("latin-1"), t.decode("latin-1")[:40], b[:40], "" if k else " close")
             for m, t, b, k in requests]
    return "[%s] %s%s" % ("; ".join(parts), end, (" (" + detail + ")") if detail else "")


def main():
    verbose = "-v" in sys.argv
    build()
    corpus = sorted(glob.glob(os.path.join(ROOT, "Tests", "Fuzz", "corpus", "*")))
    cases = [("corpus/" + os.path.basename(path), open(path, "rb").read()) for path in corpus]
    cases += list(CASES)
    for index, argument in enumerate(sys.argv):
        if argument == "--corpus":
            extra = sys.argv[index + 1]
            cases += [(os.path.basename(extra.rstrip("/")) + "/" + os.path.basename(path), open(path, "rb").read())
                      for path in sorted(glob.glob(os.path.join(extra, "*")))]
    names = [name for name, _ in cases]
    assert len(set(names)) == len(names), "case names must be unique"
    ours = minihttp([message for _, message in cases])
    stricter, differences, laxer, explained = [], [], [], []
    for (name, message), (m_requests, m_end, m_detail, _) in zip(cases, ours):
        mini = (m_requests, m_end, m_detail)
        peers = {"httptools": llhttp(message), "h11": h11_verdict(message)}
        short = name.split("/")[-1]

        def note(kind, peer, text):
            reason = EXPLAINED.get((short, peer)) or EXPLAINED.get((short, "*"))
            if peer in peers:
                reason = reason or explain_by_kind(message, mini, peer, peers[peer])
            if peer == "both":
                reason = reason or (EXPLAINED.get((short, "httptools")) and EXPLAINED.get((short, "h11")))
                reason = reason or explain_by_kind(message, mini, peer, ([], "error", ""))
            (explained if reason else kind).append((name, peer, text + (("\n      why: " + reason) if reason else "")))

        if accepted(m_end):
            for peer, (p_requests, p_end, p_detail) in peers.items():
                if accepted(p_end) and (p_requests, p_end) != (m_requests, m_end):
                    note(differences, peer, "minihttp %s\n      %-9s %s" % (
                        describe(*mini), peer, describe(p_requests, p_end, p_detail)))
            # A request minihttp took that neither peer completed (minihttp merely waiting is no acceptance).
            took_more = m_end != "incomplete" or all(len(m_requests) > len(r) for r, _, _ in peers.values())
            if took_more and all(end in ("error", "upgrade") for _, end, _ in peers.values()):
                note(laxer, "both", "minihttp %s; %s" % (describe(*mini), "; ".join(
                    "%s %s" % (peer, describe(*v)) for peer, v in peers.items())))
        else:
            for peer, (p_requests, p_end, p_detail) in peers.items():
                if accepted(p_end):
                    stricter.append((name, peer, "minihttp %s; %s %s" % (m_detail, peer, describe(p_requests, p_end, p_detail))))
        if verbose:
            print("%-40s minihttp %s" % (name, describe(*mini)))
    print("minihttp stricter than a peer (fine), %d:" % len(stricter))
    for name, peer, text in stricter:
        print("  %-38s %s" % (name, text))
    print("explained differences, %d:" % len(explained))
    for name, peer, text in explained:
        print("  %-38s %s: %s" % (name, peer, text))
    print("unexplained differences (both accept, framed differently), %d:" % len(differences))
    for name, peer, text in differences:
        print("  %-38s %s" % (name, text))
    print("unexplained: minihttp accepts what both peers refuse, %d:" % len(laxer))
    for name, _, text in laxer:
        print("  %-38s %s" % (name, text))
    print("%d messages: %d corpus, %d conformance cases, %d more" % (
        len(cases), len(corpus), len(CASES), len(cases) - len(corpus) - len(CASES)))
    return 1 if differences or laxer else 0


if __name__ == "__main__":
    sys.exit(main())
