#!/usr/bin/env python3
"""Runs the side-by-side benchmark (see run.sh, which builds what this starts).

Each server is pinned to CPU 0 and wrk to CPU 1; every workload is warmed up, then run RUNS times for
DURATION seconds, and the run with the median requests/s is reported. Loopback only; every process this
starts is stopped by PID before it returns."""
import argparse, datetime, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

PORTS = {"minihttp": 18401, "nginx": 18402, "python": 18403, "hummingbird": 18404, "flyingfox": 18405}
WORKLOADS = [
    # name, path, connections, pipelined
    ("plain", "/plain", 64, False),
    ("plain-256", "/plain", 256, False),
    ("plain-pipelined", "/plain", 64, True),
    ("index-1k", "/index.html", 64, False),
    ("file-64k", "/64k.bin", 64, False),
    ("file-8m", "/8m.bin", 64, False),
    ("status", "/status", 64, False),
]
LABELS = {
    "plain": "code route, 64 conns", "plain-256": "code route, 256 conns",
    "plain-pipelined": "code route, pipelined x16", "index-1k": "/index.html (1 KiB)",
    "file-64k": "64 KiB file", "file-8m": "8 MiB file", "status": "/status",
}

BODY_BYTES = {"/index.html": 1024, "/64k.bin": 64 * 1024, "/8m.bin": 8 * 1024 * 1024}

def make_docroot(root):
    os.makedirs(root, mode=0o755, exist_ok=True)
    body = "<p>" + "minihttp benchmark page. " * 40 + "</p>\n"
    html = "<!DOCTYPE html>\n<html><head><title>bench</title></head><body>\n" + body
    html = html[:1024 - len("</body></html>\n")] + "</body></html>\n"
    open(os.path.join(root, "index.html"), "w").write(html)
    open(os.path.join(root, "small.txt"), "w").write("x" * 99 + "\n")
    with open(os.path.join(root, "64k.bin"), "wb") as f: f.write(os.urandom(64 * 1024))
    with open(os.path.join(root, "8m.bin"), "wb") as f: f.write(os.urandom(8 * 1024 * 1024))

def nginx_config(work, root, port):
    path = os.path.join(work, "nginx.conf")
    open(path, "w").write(f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    open_file_cache max=1000 inactive=20s;
    keepalive_requests 1000000;
    types {{ text/html html; application/octet-stream bin; text/plain txt; }}
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /plain {{ default_type text/plain; return 200 "Hello, World!"; }}
    }}
}}
""")
    return path

def commands(args, work, root):
    config = os.path.join(work, "minihttp.json")
    json.dump({"host": "127.0.0.1", "port": PORTS["minihttp"], "workers": 1, "accessLog": False,
               "public": root, "logLevel": "warning"}, open(config, "w"))
    return {
        "minihttp": [args.minihttp, config],
        "nginx": [shutil.which("nginx") or "/usr/sbin/nginx", "-c", nginx_config(work, root, PORTS["nginx"])],
        "python": [sys.executable, os.path.join(os.path.dirname(__file__), "python_server.py"), str(PORTS["python"]), root],
        "hummingbird": [args.hummingbird, str(PORTS["hummingbird"]), root],
        "flyingfox": [args.flyingfox, str(PORTS["flyingfox"]), root],
    }

def get(port, path, timeout=1.0):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            data += chunk
    return data

def rss_kib(pid):
    total = 0
    # The server process and its children (nginx's worker), by reading /proc.
    pids = [pid] + [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()] if os.path.exists(f"/proc/{pid}/task/{pid}/children") else [pid]
    for p in pids:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"): total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total

def start(name, command):
    started = time.monotonic()
    process = subprocess.Popen(["taskset", "-c", "0"] + command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = started + 30
    while time.monotonic() < deadline:
        try:
            if get(PORTS[name], "/plain").startswith(b"HTTP/1.1 200") or get(PORTS[name], "/plain").startswith(b"HTTP/1.0 200"):
                return process, time.monotonic() - started
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        time.sleep(0.005)
    stop(process)
    raise RuntimeError(f"{name} did not answer within 30 s")

def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

def wrk(port, path, connections, pipelined, duration):
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if pipelined: command += ["-s", os.path.join(os.path.dirname(__file__), "pipeline.lua")]
    output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            timeout=duration + 60).stdout
    def number(pattern, default=0.0):
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        if not match: return None
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", output)
    mib = float(transfer.group(1)) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)] if transfer else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return {"rps": number(r"Requests/sec:\s+([\d.]+)"), "mib": mib, "p50": latency("50"), "p99": latency("99"),
            "errors": errors, "non2xx": int(number(r"Non-2xx or 3xx responses: (\d+)"))}

def idle_connections_rss(name, pid, count=1000):
    sockets = []
    try:
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", PORTS[name]), timeout=5)
            s.sendall(b"GET /plain HTTP/1.1\r\nHost: bench\r\n\r\n")
            s.recv(65536)
            sockets.append(s)
        time.sleep(1)
        return rss_kib(pid)
    finally:
        for s in sockets: s.close()

def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("minihttp", "hummingbird", "flyingfox"): parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    # Python's http.server and FlyingFox run an order of magnitude below the others: one shorter run each
    # gives their ratio to nginx well enough, and keeps the whole benchmark inside 20 minutes.
    parser.add_argument("--reference-servers", default="python,flyingfox")
    parser.add_argument("--reference-duration", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--servers", default="minihttp,nginx,python,hummingbird,flyingfox")
    parser.add_argument("--workloads", default=",".join(w[0] for w in WORKLOADS),
                        help="a subset, for a closer look at some workloads (the full run takes them all)")
    parser.add_argument("--results", required=True)
    parser.add_argument("--chart", required=True)
    args = parser.parse_args()
    began = time.monotonic()
    work = tempfile.mkdtemp(prefix="minihttp-bench-")
    os.chmod(work, 0o755)  # nginx's worker runs as an unprivileged user and must read the docroot
    root = os.path.join(work, "public")
    make_docroot(root)
    results, memory, processes = {}, {}, {}
    selected = [n for n in commands(args, work, root) if n in args.servers.split(",")]
    try:
        # Start-up time and memory, one server at a time (alone on the machine).
        for name, command in commands(args, work, root).items():
            if name not in selected: continue
            process, startup = start(name, command)
            try:
                get(PORTS[name], "/index.html")
                time.sleep(0.5)
                warmed = rss_kib(process.pid)
                idle = idle_connections_rss(name, process.pid)
                memory[name] = {"startup_ms": startup * 1000, "warm_kib": warmed, "idle_kib": idle}
                print(f"{name:12s} startup {startup * 1000:.0f} ms, RSS warmed {warmed} KiB, "
                      f"with 1,000 idle connections {idle} KiB", flush=True)
            finally:
                stop(process)
        # Throughput: all servers up (idle ones cost nothing), runs interleaved server by server, so that
        # this machine's drift in speed touches every server alike.
        for name, command in commands(args, work, root).items():
            if name in selected: processes[name] = start(name, command)[0]
        for name in selected: results[name] = {}
        for workload, path, connections, pipelined in WORKLOADS:
            if workload not in args.workloads.split(","): continue
            servers = [n for n in selected if workload != "status" or n == "minihttp"]
            for name in servers: wrk(PORTS[name], path, connections, pipelined, args.warmup)  # warm-up
            runs = {name: [] for name in servers}
            references = args.reference_servers.split(",")
            for round in range(args.runs):
                for name in servers:
                    if name in references:
                        if round == 0: runs[name].append(wrk(PORTS[name], path, connections, pipelined, args.reference_duration))
                    else:
                        runs[name].append(wrk(PORTS[name], path, connections, pipelined, args.duration))
            for name in servers:
                median = sorted(runs[name], key=lambda r: r["rps"])[len(runs[name]) // 2]
                if path in BODY_BYTES:  # wrk rounds its transfer figure; bodies are known exactly
                    median["mib"] = median["rps"] * BODY_BYTES[path] / 1048576
                results[name][workload] = median
                print(f"{name:12s} {workload:16s} {median['rps']:>12,.0f} req/s {median['mib']:>9,.1f} MiB/s "
                      f"p50 {median['p50']} ms p99 {median['p99']} ms errors {median['errors']} non-2xx {median['non2xx']}",
                      flush=True)
    finally:
        for process in processes.values(): stop(process)
        shutil.rmtree(work, ignore_errors=True)
    write_results(args, results, memory, time.monotonic() - began)
    write_chart(args, results)

def machine():
    model = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPUs (nproc: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), {model}"

def write_results(args, results, memory, elapsed):
    servers = list(results)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `Benchmarks/run.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{args.runs} x {args.duration} s per workload after a {args.warmup} s warm-up, median run, runs interleaved "
        f"across servers ({args.reference_servers.replace(',', ' and ')}: one {args.reference_duration} s run each — "
        f"an order of magnitude below the others, their ratio needs no more); took {elapsed / 60:.1f} min.",
        f"Machine: {machine()}. Each server pinned to CPU 0 (one core; minihttp `workers: 1`, nginx "
        "`worker_processes 1`), wrk on CPU 1 (`wrk -t1`), loopback.",
        "",
        "## Requests per second (ratio to nginx)",
        "",
        "| workload | " + " | ".join(servers) + " |",
        "|---|" + "---|" * len(servers),
    ]
    nginx = results.get("nginx", {})
    def ratio(name, workload, key="rps"):
        base = nginx.get(workload, {}).get(key)
        value = results[name].get(workload, {}).get(key)
        if value is None: return "—"
        return f"{value:,.0f} ({value / base:.2f}x)" if base else f"{value:,.0f}"
    for workload, *_ in WORKLOADS:
        lines.append(f"| {LABELS[workload]} | " + " | ".join(ratio(n, workload) for n in servers) + " |")
    lines += ["", "## MiB/s (ratio to nginx)", "", "| workload | " + " | ".join(servers) + " |", "|---|" + "---|" * len(servers)]
    for workload in ("index-1k", "file-64k", "file-8m"):
        cells = []
        for n in servers:
            value, base = results[n].get(workload, {}).get("mib"), nginx.get(workload, {}).get("mib")
            cells.append("—" if value is None else (f"{value:,.1f} ({value / base:.2f}x)" if base else f"{value:,.1f}"))
        lines.append(f"| {LABELS[workload]} | " + " | ".join(cells) + " |")
    lines += ["", "## Latency, p50 / p99 in ms (p99 ratio to nginx)", "", "| workload | " + " | ".join(servers) + " |",
              "|---|" + "---|" * len(servers)]
    for workload, *_ in WORKLOADS:
        cells = []
        for n in servers:
            r = results[n].get(workload)
            if not r or r["p99"] is None: cells.append("—"); continue
            base = nginx.get(workload, {}).get("p99")
            cells.append(f"{r['p50']:.2f} / {r['p99']:.2f}" + (f" ({r['p99'] / base:.2f}x)" if base else ""))
        lines.append(f"| {LABELS[workload]} | " + " | ".join(cells) + " |")
    lines += ["", "## Errors", "", "| workload | " + " | ".join(servers) + " |", "|---|" + "---|" * len(servers)]
    for workload, *_ in WORKLOADS:
        cells = []
        for n in servers:
            r = results[n].get(workload)
            cells.append("—" if not r else f"{r['errors']} socket, {r['non2xx']} non-2xx")
        lines.append(f"| {LABELS[workload]} | " + " | ".join(cells) + " |")
    lines += ["", "## Memory and start-up", "", "| | " + " | ".join(servers) + " |", "|---|" + "---|" * len(servers),
              "| start-up to first 200 (ms) | " + " | ".join(f"{memory[n]['startup_ms']:.0f}" for n in servers) + " |",
              "| RSS after start-up and a request (KiB) | " + " | ".join(f"{memory[n]['warm_kib']:,}" for n in servers) + " |",
              "| RSS with 1,000 idle keep-alive connections (KiB) | " + " | ".join(f"{memory[n]['idle_kib']:,}" for n in servers) + " |",
              "| difference (KiB) | " + " | ".join(f"{memory[n]['idle_kib'] - memory[n]['warm_kib']:+,}" for n in servers) + " |",
              "", "![requests per second by workload and server](results.png)", ""]
    open(args.results, "w").write("\n".join(lines))
    print(f"wrote {args.results}")

def write_chart(args, results):
    servers = list(results)
    data = os.path.join(tempfile.mkdtemp(), "chart.dat")
    with open(data, "w") as f:
        f.write("workload " + " ".join(servers) + "\n")
        for workload, *_ in WORKLOADS:
            if workload == "status": continue
            f.write(f'"{LABELS[workload]}" ' + " ".join(str(results[n].get(workload, {}).get("rps", 0)) for n in servers) + "\n")
    script = f"""
set terminal pngcairo size 1200,600 font ",10"
set output "{args.chart}"
set title "Requests per second, one core (higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set key top right
set grid ytics
set format y "%.0s%c"
set xtics rotate by -20
plot for [i=2:{len(servers) + 1}] "{data}" using i:xtic(1) title columnheader(i)
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=False)
    print(f"wrote {args.chart}")

if __name__ == "__main__":
    main()
