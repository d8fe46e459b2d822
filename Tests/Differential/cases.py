"""Conformance cases for the framing differential (run.py): (name, message bytes).

Requests are written with "\n" line ends, turned into CRLF by `crlf`; cases about line endings are raw bytes.
"""


def crlf(text):
    return text.replace("\n", "\r\n").encode("latin-1")


def post(fields, body=""):
    return crlf("POST / HTTP/1.1\nHost: a\n" + "".join(f + "\n" for f in fields) + "\n") + body.encode("latin-1")


CHUNKED_BODY = "5\r\nhello\r\n0\r\n\r\n"
NEXT = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"


def te(value, body=CHUNKED_BODY + NEXT):
    return post(["Transfer-Encoding: " + value], body)


def chunk_line(line):
    return post(["Transfer-Encoding: chunked"], line + "\r\nhello\r\n0\r\n\r\n" + NEXT)


CASES = [
    # Transfer-Encoding and Content-Length together, in every order: smuggling.
    ("te-cl", post(["Transfer-Encoding: chunked", "Content-Length: 3"], CHUNKED_BODY)),
    ("cl-te", post(["Content-Length: 3", "Transfer-Encoding: chunked"], CHUNKED_BODY)),
    ("cl-te-identity", post(["Content-Length: 3", "Transfer-Encoding: identity"], "abc")),
    ("te-chunked-identity", post(["Transfer-Encoding: chunked", "Transfer-Encoding: identity"], CHUNKED_BODY)),
    ("te-identity-chunked", post(["Transfer-Encoding: identity", "Transfer-Encoding: chunked"], CHUNKED_BODY)),
    # Transfer-Encoding values (issue 11, item 9).
    ("te-chunked", te("chunked")),
    ("te-Chunked", te("Chunked")),
    ("te-chunked-gzip", te("chunked gzip")),
    ("te-chunked-eq", te("chunked=1")),
    ("te-chunked-x", te("chunked x")),
    ("te-chunked-slash", te("chunked/1")),
    ("te-chunked-semicolon", te("chunked;")),
    ("te-chunked-param", te("chunked;q=1")),
    ("te-gzip-chunked", te("gzip, chunked")),
    ("te-chunked-comma-gzip", te("chunked, gzip")),
    ("te-leading-comma", te(",chunked")),
    ("te-trailing-comma", te("chunked,")),
    ("te-xchunked", te("xchunked")),
    ("te-chunkedx", te("chunkedx")),
    ("te-twice", post(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], CHUNKED_BODY)),
    ("te-vertical-tab", te("chunked\x0b")),
    ("te-obs-fold", post(["Transfer-Encoding:", " chunked"], CHUNKED_BODY)),
    ("te-space-before-colon", post(["Transfer-Encoding : chunked"], CHUNKED_BODY)),
    ("te-empty", te("")),
    ("te-quoted", te('"chunked"')),
    ("te-http10", crlf("POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n") + CHUNKED_BODY.encode()),
    ("te-http10-keepalive", crlf("POST / HTTP/1.0\nConnection: keep-alive\nTransfer-Encoding: chunked\n\n")
     + CHUNKED_BODY.encode() + NEXT.encode()),
    # Content-Length values.
    ("cl", post(["Content-Length: 3"], "abc" + NEXT)),
    ("cl-zero", post(["Content-Length: 0"], NEXT)),
    ("cl-leading-zeros", post(["Content-Length: 003"], "abc" + NEXT)),
    ("cl-duplicate-same", post(["Content-Length: 3", "Content-Length: 3"], "abc" + NEXT)),
    ("cl-duplicate-different", post(["Content-Length: 3", "Content-Length: 5"], "abcde" + NEXT)),
    ("cl-list", post(["Content-Length: 3, 3"], "abc" + NEXT)),
    ("cl-plus", post(["Content-Length: +3"], "abc" + NEXT)),
    ("cl-minus", post(["Content-Length: -3"], "abc" + NEXT)),
    ("cl-inner-space", post(["Content-Length: 3 3"], "abc" + NEXT)),
    ("cl-hex", post(["Content-Length: 0x3"], "abc" + NEXT)),
    ("cl-empty", post(["Content-Length: "], "abc" + NEXT)),
    ("cl-trailing-space", post(["Content-Length: 3 "], "abc" + NEXT)),
    ("cl-space-before-colon", post(["Content-Length : 3"], "abc" + NEXT)),
    ("cl-huge", post(["Content-Length: 99999999999999999999"], "abc")),
    ("cl-obs-fold", post(["Content-Length:", " 3"], "abc" + NEXT)),
    ("get-with-body", crlf("GET / HTTP/1.1\nHost: a\nContent-Length: 3\n\n") + b"abc" + NEXT.encode()),
    # Chunk-size lines and chunk extensions (RFC 9112 §7.1.1).
    ("chunk-ext", chunk_line("5;a=b")),
    ("chunk-ext-bare-name", chunk_line("5;a")),
    ("chunk-ext-quoted", chunk_line('5;a="b c"')),
    ("chunk-ext-bws", chunk_line("5 ;a=b")),
    ("chunk-size-space-junk", chunk_line("5 xyz")),
    ("chunk-size-space-digit", chunk_line("5 5")),
    ("chunk-size-trailing-space", chunk_line("5 ")),
    ("chunk-ext-empty", chunk_line("5;")),
    ("chunk-size-0x", chunk_line("0x5")),
    ("chunk-size-plus", chunk_line("+5")),
    ("chunk-size-leading-space", chunk_line(" 5")),
    ("chunk-size-leading-zeros", chunk_line("0000000000000005")),
    ("chunk-size-overflow", post(["Transfer-Encoding: chunked"], "10000000000000005\r\nhello\r\n0\r\n\r\n")),
    ("chunk-data-too-long", post(["Transfer-Encoding: chunked"], "3\r\nhello\r\n0\r\n\r\n")),
    ("chunk-data-bare-lf", post(["Transfer-Encoding: chunked"], "5\r\nhello\n0\r\n\r\n")),
    ("chunk-size-bare-lf", post(["Transfer-Encoding: chunked"], "5\nhello\r\n0\r\n\r\n")),
    ("chunk-trailer", post(["Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\nX-T: y\r\n\r\n" + NEXT)),
    ("chunk-trailer-no-colon", post(["Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\nbad\r\n\r\n" + NEXT)),
    ("chunk-trailer-obs-fold", post(["Transfer-Encoding: chunked"], "0\r\nX: a\r\n b\r\n\r\n" + NEXT)),
    ("chunk-last-no-crlf", post(["Transfer-Encoding: chunked"], "5\r\nhello\r\n0\r\n")),
    # Line endings.
    ("bare-lf", b"GET / HTTP/1.1\nHost: a\n\n"),
    ("bare-lf-fields", b"GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n"),
    ("bare-lf-end", b"GET / HTTP/1.1\r\nHost: a\r\n\n"),
    ("bare-cr-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
    ("bare-cr-line", b"GET / HTTP/1.1\rHost: a\r\n\r\n"),
    ("obs-fold", crlf("GET / HTTP/1.1\nHost: a\nX: a\n  b\n\n")),
    ("leading-crlf-1", b"\r\n" + crlf("GET / HTTP/1.1\nHost: a\n\n")),
    ("leading-crlf-4", b"\r\n" * 4 + crlf("GET / HTTP/1.1\nHost: a\n\n")),
    ("leading-crlf-5", b"\r\n" * 5 + crlf("GET / HTTP/1.1\nHost: a\n\n")),
    ("leading-crlf-1000", b"\r\n" * 1000 + crlf("GET / HTTP/1.1\nHost: a\n\n")),
    ("leading-lf", b"\n" + crlf("GET / HTTP/1.1\nHost: a\n\n")),
    ("crlf-between-requests", crlf("POST / HTTP/1.1\nHost: a\nContent-Length: 1\n\nx\nGET / HTTP/1.1\nHost: a\n\n")),
    # Request line.
    ("two-spaces", crlf("GET  / HTTP/1.1\nHost: a\n\n")),
    ("tab-separator", crlf("GET\t/ HTTP/1.1\nHost: a\n\n")),
    ("trailing-space", crlf("GET / HTTP/1.1 \nHost: a\n\n")),
    ("lowercase-version", crlf("GET / http/1.1\nHost: a\n\n")),
    ("absolute-form", crlf("GET http://a/b?c HTTP/1.1\nHost: a\n\n")),
    ("asterisk", crlf("OPTIONS * HTTP/1.1\nHost: a\n\n")),
    ("http09", crlf("GET /\n\n")),
    ("http2-preface", crlf("PRI * HTTP/2.0\n\nSM\n\n")),
    ("missing-host", crlf("GET / HTTP/1.1\nX: y\n\n")),
    ("duplicate-host", crlf("GET / HTTP/1.1\nHost: a\nHost: b\n\n")),
    # Field lines.
    ("nul-in-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n"),
    ("del-in-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n"),
    ("obs-text-value", b"GET / HTTP/1.1\r\nHost: a\r\nX: caf\xe9\r\n\r\n"),
    ("bad-name", crlf("GET / HTTP/1.1\nHost: a\nX(y): z\n\n")),
    ("empty-name", crlf("GET / HTTP/1.1\nHost: a\n: z\n\n")),
    ("space-in-name", crlf("GET / HTTP/1.1\nHost: a\nX Y: z\n\n")),
    # Persistence and pipelining.
    ("pipelined", crlf("GET /1 HTTP/1.1\nHost: a\n\nGET /2 HTTP/1.1\nHost: a\n\n")),
    ("close-then-more", crlf("GET /1 HTTP/1.1\nHost: a\nConnection: close\n\nGET /2 HTTP/1.1\nHost: a\n\n")),
    ("http10-pipelined", crlf("GET /1 HTTP/1.0\n\nGET /2 HTTP/1.0\n\n")),
    ("http10-keep-alive-cl", crlf("POST /1 HTTP/1.0\nConnection: keep-alive\nContent-Length: 2\n\n") + b"ab"
     + crlf("GET /2 HTTP/1.0\n\n")),
    ("connection-list", crlf("GET / HTTP/1.1\nHost: a\nConnection: keep-alive, close\n\n" + "GET /2 HTTP/1.1\nHost: a\n\n")),
    ("expect-continue", crlf("POST / HTTP/1.1\nHost: a\nExpect: 100-continue\nContent-Length: 2\n\nab")),
    ("truncated-body", post(["Content-Length: 10"], "abc")),
    ("truncated-head", b"GET / HTTP/1.1\r\nHost: a\r\n"),
]
