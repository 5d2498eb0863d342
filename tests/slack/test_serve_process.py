"""`techpath serve` as deployed: a real process on a real port, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TECHPATH = str(Path(sys.executable).with_name("techpath"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_answers_health_checks_and_stops_cleanly_on_sigterm() -> None:
    port = free_port()
    env = {
        **os.environ,
        "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-serve-"),
        "TECHPATH_HOST": "127.0.0.1",
        "TECHPATH_PORT": str(port),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never called: no Slack request arrives
        "DATABASE_URL": "",
    }
    process = subprocess.Popen(
        [TECHPATH, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "serve did not become ready"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            assert response.read() == b'{"status": "ok"}'
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
