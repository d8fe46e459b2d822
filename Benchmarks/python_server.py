#!/usr/bin/env python3
"""The Python baseline: http.server's ThreadingHTTPServer with HTTP/1.1 keep-alive and TCP_NODELAY,
serving /plain and static files. Usage: python_server.py PORT DOCROOT"""
import functools, http.server, sys

class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path == "/plain":
            body = b"Hello, World!"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, *args):
        pass

port, root = int(sys.argv[1]), sys.argv[2]
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root))
server.daemon_threads = True
server.serve_forever()
