"""Large transfers through a generated SDK (issue #18): a download of SIZE bytes from a server on
127.0.0.1, streamed with ``with_streaming_response`` (to a file, and through ``iter_bytes``),
sync and async, each in a fresh process whose peak resident memory is recorded; and an upload
of the same size from a path.  The goal: every row under 100 MB of peak RSS.

    python -m benchmarks.transfers [--size-mb 1024] [--output benchmarks/TRANSFERS.md]

Exit status 1 when a row misses the goal.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / ".work" / "transfers"
GOAL_MB = 100.0
BLOCK = b"\0" * (1024 * 1024)

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Blobs", "version": "1"},
    "servers": [{"url": "http://127.0.0.1"}],
    "paths": {
        "/blob": {
            "get": {
                "operationId": "blob_get",
                "tags": ["blob"],
                "responses": {
                    "200": {
                        "description": "the blob",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            },
            "put": {
                "operationId": "blob_put",
                "tags": ["blob"],
                "requestBody": {
                    "required": True,
                    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                },
                "responses": {"204": {"description": "stored"}},
            },
        }
    },
}

WORKER = textwrap.dedent(
    """
    import asyncio, json, os, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    from blobs import AsyncBlobs, Blobs

    url, mode, size, upload = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    start = time.perf_counter()
    got = 0
    if mode == "sync-write_to_file":
        with Blobs(base_url=url).blob.with_streaming_response.get() as response:
            response.write_to_file(os.devnull)
        got = size
    elif mode == "sync-iter_bytes":
        with Blobs(base_url=url).blob.with_streaming_response.get() as response:
            for chunk in response.iter_bytes():
                got += len(chunk)
    elif mode == "async-write_to_file":
        async def main():
            async with AsyncBlobs(base_url=url) as client:
                async with client.blob.with_streaming_response.get() as response:
                    await response.write_to_file(os.devnull)
        asyncio.run(main())
        got = size
    elif mode == "sync-upload-path":
        from pathlib import Path
        Blobs(base_url=url, timeout=600).blob.put(body=Path(upload))
        got = size
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:  # the high-water mark of this process image (ru_maxrss may keep the parent's from fork)
        with open("/proc/self/status") as status:
            peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    print(json.dumps({"bytes": got, "seconds": seconds, "peak_mb": peak_kb / 1024}))
    """
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    size = 0
    received = 0

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(self.size))
        self.end_headers()
        left = self.size
        while left:
            part = BLOCK[: min(left, len(BLOCK))]
            self.wfile.write(part)
            left -= len(part)

    def do_PUT(self) -> None:
        left = int(self.headers.get("Content-Length") or 0)
        while left:
            left -= len(self.rfile.read(min(left, len(BLOCK))))
        type(self).received = int(self.headers.get("Content-Length") or 0)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _generate() -> Path:
    from generator import Config, generate

    WORK.mkdir(parents=True, exist_ok=True)
    spec = WORK / "blobs.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    result = generate(Config(spec=spec, output=WORK / "out", package_name="blobs", client_name="Blobs"))
    return Path(result.package_dir)


def run(size: int) -> list[dict[str, Any]]:
    project = _generate()
    _Handler.size = size
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        upload = Path(tmp) / "upload.bin"
        with upload.open("wb") as f:
            f.truncate(size)  # sparse: the disk is not the point
        for mode in ("sync-write_to_file", "sync-iter_bytes", "async-write_to_file", "sync-upload-path"):
            out = subprocess.run(
                [sys.executable, "-c", WORKER, str(project), url, mode, str(size), str(upload)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                rows.append({"mode": mode, "error": out.stderr.strip().splitlines()[-1:]})
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            if mode == "sync-upload-path":
                row["bytes"] = _Handler.received
            rows.append({"mode": mode, **row})
    httpd.shutdown()
    return rows


def report(rows: list[dict[str, Any]], size: int) -> str:
    lines = [
        "# Large transfers",
        "",
        f"Written by `python -m benchmarks.transfers` on {time.strftime('%Y-%m-%d')}: {size / 2**20:.0f} MiB through the "
        "generated SDK from a server on 127.0.0.1, each row in a fresh process; peak RSS is "
        "its `VmHWM` (`/proc/self/status`; `ru_maxrss` elsewhere), Python, httpx, pydantic and the SDK "
        f"included. Goal "
        f"(issue #18): under {GOAL_MB:.0f} MB.",
        "",
        "| transfer | bytes | seconds | MB/s | peak RSS | goal |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['mode']} | — | — | — | — | **failed**: {r['error']} |")
            continue
        ok = r["peak_mb"] < GOAL_MB and r["bytes"] == size
        rate = r["bytes"] / 2**20 / r["seconds"] if r["seconds"] else 0
        lines.append(
            f"| {r['mode']} | {r['bytes']} | {r['seconds']:.2f} | {rate:.0f} | {r['peak_mb']:.1f} MB | "
            f"{'met' if ok else '**missed**'} |"
        )
    lines += ["", f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    size = args.size_mb * 2**20
    rows = run(size)
    text = report(rows, size)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0 if all("error" not in r and r["peak_mb"] < GOAL_MB and r["bytes"] == size for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
