"""A real PostgreSQL server for the tests (issue 16): Debian's binaries (scripts/system-packages.sh test installs
the `postgresql` package), initdb into a temporary folder as the unprivileged user `postgres` when the tests run
as root (the server refuses root), a free port on 127.0.0.1, stopped and removed at the end. No mocks.

One server per test process (pytest-xdist starts one per worker); each test gets a database of its own.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    as_user: list[str]
    watchdog: subprocess.Popen | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://liubao@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def terminate(self, backend_pid: int) -> None:
        """Cut one connection as an administrator does (pg_terminate_backend), waiting until its backend is gone."""
        self.admin(f"SELECT pg_terminate_backend({int(backend_pid)}, 10000)")

    def require_password(self, role: str, password: str) -> None:
        """A login role that must give its password (scram-sha-256 over TCP): the other roles keep trust. The line
        goes first in pg_hba.conf (the first line that matches decides), then the server reloads it."""
        hba = self.folder / "data" / "pg_hba.conf"
        line = f"host all {role} 127.0.0.1/32 scram-sha-256\n"
        text = hba.read_text()
        if line not in text:
            hba.write_text(line + text)
        self.admin(f"DROP ROLE IF EXISTS {role}")
        self.admin(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'")
        self.admin("SELECT pg_reload_conf()")
        import psycopg

        for _ in range(100):  # the reload is a signal: wait until the server asks the role for its password
            try:
                psycopg.connect(f"postgresql://{role}@127.0.0.1:{self.port}/postgres").close()
            except psycopg.OperationalError:
                return
            time.sleep(0.05)
        raise RuntimeError("pg_hba.conf was not reloaded")

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.watchdog is not None:  # it sees the folder gone and leaves
            self.watchdog.wait(timeout=10)


# Stops the server and removes its folder once the test process that started it is gone without stopping it
# (a worker killed, a run interrupted): a server must never outlive its tests on a developer's PC.
WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, folder, *stop = sys.argv[1:]
while os.path.isdir(folder):
    try:
        os.kill(int(owner), 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        break
    except PermissionError:
        pass
    time.sleep(0.5)
"""


def watch(folder: Path, stop: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()), str(folder), *stop],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def start() -> Server:
    pg_bin = bin_dir()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL is not installed (scripts/system-packages.sh test installs it as root)")
    folder = Path(tempfile.mkdtemp(prefix="liubao-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run([*as_user, str(pg_bin / "initdb"), "-D", str(data), "-U", "liubao", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, timeout=120)
    for attempt in range(5):
        port = free_port()
        run = subprocess.run(
            [*as_user, str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60",
             "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
             "start"], capture_output=True, text=True, timeout=90)
        if run.returncode == 0:
            watchdog = watch(folder, [*as_user, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
            return Server(folder, port, pg_bin, as_user, watchdog)
        time.sleep(0.2 * attempt)
    log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
    shutil.rmtree(folder, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start: {run.stderr}\n{log}")
