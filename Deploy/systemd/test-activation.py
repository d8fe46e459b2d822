#!/usr/bin/env python3
"""Runs systemd's socket-activation and notify protocols without systemd, against the built binary.

Plays systemd's part: binds a loopback listening socket, passes it as descriptor 3 with LISTEN_FDS and
LISTEN_PID, and listens on a NOTIFY_SOCKET datagram socket. Checks that minihttp serves on the passed
socket (not on its configured port), sends READY=1 once serving and STOPPING=1 on SIGTERM, exits 0, and
that a connection made while no server runs waits in the socket's queue and is answered by the next
process — a restart that refuses nobody; and that with two sockets passed (TCP and Unix) both are served. Loopback only; bounded; stops only what it started.

Usage: test-activation.py BINARY   (from the repository root)
"""
import os, signal, socket, subprocess, sys, tempfile, time

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/minihttp"
failures = []

def check(ok, what):
    print(f"systemd: {'ok' if ok else 'FAIL'}: {what}")
    if not ok:
        failures.append(what)

def get(port, path="/", timeout=5.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data

work = tempfile.mkdtemp()
notify_path = os.path.join(work, "notify")
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(notify_path)
notify.settimeout(10)

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(128)
port = listener.getsockname()[1]

def start():
    """Starts the binary as systemd would: the socket as fd 3, LISTEN_PID set to the process's own PID
    (a shell that sets it to its $$ and then execs the binary, which keeps that PID)."""
    # The configured port (1) must not be used: only the passed socket is (the checks below connect to it).
    command = f'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --config Config/server.json --port 1 --workers 2 3<&{listener.fileno()}'
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    return subprocess.Popen(["sh", "-c", command, binary], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            pass_fds=(listener.fileno(),), env=env)

def messages(until, seconds=10):
    got = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            got.append(notify.recv(4096).decode())
        except socket.timeout:
            break
        if any(until in m for m in got):
            break
    return got

processes = []
try:
    first = start()
    processes.append(first)
    ready = messages("READY=1")
    check(any("READY=1" in m for m in ready), f"READY=1 sent once serving ({ready})")
    response = get(port)
    check(response.startswith(b"HTTP/1.1 200"), "serves on the socket systemd passed")
    check(b'"status":"ok"' in get(port, "/status"), "/status answers on the passed socket")

    first.send_signal(signal.SIGTERM)
    stopping = messages("STOPPING=1")
    check(any("STOPPING=1" in m for m in stopping), "STOPPING=1 sent when SIGTERM begins the drain")
    code = first.wait(timeout=20)
    check(code == 0, f"exits 0 after the drain (got {code})")

    # No server now: the socket, still held by "systemd", queues the connection instead of refusing it.
    waiting = socket.create_connection(("127.0.0.1", port), timeout=10)
    waiting.sendall(b"GET /status HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    second = start()
    processes.append(second)
    messages("READY=1")
    answer = b""
    while chunk := waiting.recv(65536):
        answer += chunk
    waiting.close()
    check(answer.startswith(b"HTTP/1.1 200"), "a connection made between two processes is answered by the next one")
    second.send_signal(signal.SIGTERM)
    check(second.wait(timeout=20) == 0, "the second process exits 0")

    # LISTEN_FDS=2 (a TCP and a Unix socket, as ListenStream= twice gives): both are served.
    unix_path = os.path.join(work, "minihttp.sock")
    unix_listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix_listener.bind(unix_path)
    unix_listener.listen(128)
    # The per-client limit does not lump every Unix-socket peer (they have no address) into one client.
    config_path = os.path.join(work, "limit.json")
    with open(config_path, "w") as config_file:
        config_file.write('{"public": "Public", "maxConnectionsPerClient": 1, "accessLog": false}')
    both = subprocess.Popen(
        ["sh", "-c", f'LISTEN_PID=$$ LISTEN_FDS=2 exec "$0" --config {config_path} --port 1 --workers 2 '
                     f'3<&{listener.fileno()} 4<&{unix_listener.fileno()}', binary],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        pass_fds=(listener.fileno(), unix_listener.fileno()), env=dict(os.environ, NOTIFY_SOCKET=notify_path))
    processes.append(both)
    messages("READY=1")
    check(get(port).startswith(b"HTTP/1.1 200"), "LISTEN_FDS=2: serves on the first passed socket (TCP)")
    held = []
    answers = []
    for _ in range(3):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(5)
        client.connect(unix_path)
        client.sendall(b"GET /status HTTP/1.1\r\nHost: t\r\n\r\n")
        try:
            answers.append(client.recv(65536))
        except socket.timeout:
            answers.append(b"")
        held.append(client)
    check(all(a.startswith(b"HTTP/1.1 200") for a in answers),
          f"LISTEN_FDS=2: serves on the second (Unix) socket, three peers at once with maxConnectionsPerClient 1 ({[a[:12] for a in answers]})")
    for client in held:
        client.close()
    both.send_signal(signal.SIGTERM)
    check(both.wait(timeout=20) == 0, "the two-socket process exits 0")
    unix_listener.close()
    os.unlink(unix_path)
    os.unlink(config_path)
finally:
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait()
    listener.close()
    notify.close()
    os.unlink(notify_path)
    os.rmdir(work)

if failures:
    sys.exit(1)
print("systemd: ok: all checks passed")
