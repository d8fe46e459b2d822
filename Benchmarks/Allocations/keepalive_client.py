"""Sends N keep-alive GET requests for PATH, one after another, reading each response whole.
Usage: keepalive_client.py PORT N PATH [HEADER-LINE]"""
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
path = sys.argv[3] if len(sys.argv) > 3 else "/plain"
s = socket.create_connection(("127.0.0.1", port))
extra = sys.argv[4] + "\r\n" if len(sys.argv) > 4 else ""
req = f"GET {path} HTTP/1.1\r\nHost: a\r\n{extra}\r\n".encode()
for i in range(n):
    s.sendall(req)
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
    while len(rest) < length:
        rest += s.recv(65536)
s.close()
