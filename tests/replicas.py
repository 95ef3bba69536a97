"""`cgc serve` processes for the replica tests and the load test: one database, several loopback addresses.

Each process listens on its own address of 127.0.0.0/8 (reachable from this machine only); an address
other than 127.0.0.1 puts `cgc serve` in network mode, so logins, sessions and throttling are real.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from cgc_rules.web.accounts import Accounts, Role

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
SECRET = "the replicas' shared secret key"


def free_port(host: str) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def accounts(path: Path) -> Path:
    """An accounts file with an unscoped officer and an officer of Nijmegen."""
    a = Accounts(path)
    a.add("inkoper", Role.officer, PASSWORD)
    a.add("nijmegen", Role.officer, PASSWORD, "Nijmegen")
    return path


@contextmanager
def serving(database_url: str, accounts_file: Path, count: int, log_dir: Path) -> Iterator[list[str]]:
    """`count` processes of `cgc serve` over `database_url`, started one after another; their base URLs."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CGC_WEB_SECRET": SECRET,
        "CGC_DATABASE_URL": database_url,
        "CGC_WEB_ACCOUNTS": str(accounts_file),
        "CGC_WEB_CORRIDORS": str(log_dir / "corridors"),
    }
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    urls = []
    try:
        for i in range(count):
            host = f"127.0.0.{i + 2}"
            port = free_port(host)
            log = (log_dir / f"replica-{i}.log").open("wb")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "cli.py"), "serve", "--host", host, "--port", str(port)],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            url = f"http://{host}:{port}"
            _wait(url, processes[-1], log_dir / f"replica-{i}.log")
            urls.append(url)
        yield urls
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cgc serve stopped: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"cgc serve did not get ready: {log.read_text(errors='replace')[-2000:]}")
