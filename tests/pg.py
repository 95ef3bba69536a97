"""A throwaway PostgreSQL server for the store tests: Debian's binaries, a temporary directory, a unix socket.

As root the server runs as the `postgres` user (PostgreSQL refuses to run as root). No TCP port is opened.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

INITDB = "/usr/lib/postgresql/*/bin/initdb"


def _bin() -> Path | None:
    found = sorted(glob.glob(INITDB), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


def _as_user(args: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


class Server:
    """A running server; `database()` gives the URL of a new, empty database."""

    def __init__(self, socket_dir: Path, user: str):
        self.socket_dir, self.user = socket_dir, user

    def database(self) -> str:
        import psycopg

        name = f"cgc_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(host=str(self.socket_dir), user=self.user, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{self.user}@/{name}?host={self.socket_dir}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """Start a PostgreSQL server for the session and stop it afterwards."""
    bindir = _bin()
    if bindir is None:
        pytest.skip(f"no PostgreSQL server binaries ({INITDB}): scripts/system-deps.sh installs Debian's postgresql")
    with running(bindir) as server:
        yield server


@contextmanager
def running(bindir: Path) -> Iterator[Server]:
    """A PostgreSQL server from `bindir` while the block runs (also for bench/replicas_load.py)."""
    root = os.geteuid() == 0
    run_as = "postgres" if root else None
    db_user = "postgres" if root else pwd.getpwuid(os.geteuid()).pw_name
    base = Path(tempfile.mkdtemp(prefix="cgc-pg-"))
    data, sock = base / "data", base / "s"
    sock.mkdir()
    if root:
        pw = pwd.getpwnam("postgres")
        for p in (base, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    log = base / "server.log"
    try:
        subprocess.run(
            _as_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    db_user,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                run_as,
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-o",
                    f"-k {sock} -c listen_addresses='' -c fsync=off",
                    "start",
                ],
                run_as,
            ),
            check=True,
            capture_output=True,
        )
        yield Server(sock, db_user)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], run_as),
                capture_output=True,
            )
        shutil.rmtree(base, ignore_errors=True)
