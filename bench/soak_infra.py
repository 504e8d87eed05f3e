"""The soak's own PostgreSQL cluster and gunicorn, set up from nothing.

The cluster is a separate one ("soak", port 5433 unless SOAK_PG_PORT says
otherwise), so restarting it never touches the cluster other work uses. It is
created and configured idempotently (we run as root on the developers' and
CI's machines) and left stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg

CLUSTER = "soak"
HOST = "127.0.0.1"


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, text=True, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


def pg_version() -> str:
    wanted = os.environ.get("SOAK_PG_VERSION", "").strip()
    if wanted:
        return wanted
    versions = [
        v
        for v in (
            os.listdir("/etc/postgresql") if Path("/etc/postgresql").is_dir() else []
        )
        if Path(f"/usr/lib/postgresql/{v}/bin/postgres").exists()
    ]
    if not versions or not shutil.which("pg_createcluster"):
        raise SystemExit(
            "The soak needs Debian's PostgreSQL server and its cluster tools: "
            "apt-get install postgresql"
        )
    return max(versions, key=lambda v: float(v))


class Cluster:
    def __init__(self, port: int):
        self.version = pg_version()
        self.port = port
        self.conf_dir = Path(f"/etc/postgresql/{self.version}/{CLUSTER}")
        self.bin = Path(f"/usr/lib/postgresql/{self.version}/bin")

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _ctl(self, action: str) -> None:
        run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                self.version,
                CLUSTER,
                action,
            ]
        )

    def running(self) -> bool:
        status = subprocess.run(
            ["pg_ctlcluster", self.version, CLUSTER, "status"],
            capture_output=True,
        )
        return status.returncode == 0

    def ensure(self) -> None:
        """Create the cluster if missing, (re)write its config, start it."""
        taken = self._port_taken_by_other_cluster()
        if taken:
            raise SystemExit(
                f"Port {self.port} belongs to cluster {taken}; set SOAK_PG_PORT."
            )
        if not self._exists():
            self._remove_leftovers()
            run(
                [
                    "pg_createcluster",
                    self.version,
                    CLUSTER,
                    "--port",
                    str(self.port),
                    "--start-conf",
                    "manual",
                ]
            )
        (self.conf_dir / "conf.d").mkdir(exist_ok=True)
        (self.conf_dir / "conf.d" / "zz-soak.conf").write_text(
            "# Written by bench/soak.py: loopback only, trust auth (see pg_hba.conf).\n"
            f"port = {self.port}\n"
            f"listen_addresses = '{HOST}'\n"
            "max_connections = 100\n"
        )
        (self.conf_dir / "pg_hba.conf").write_text(
            "# Written by bench/soak.py: a throwaway cluster on loopback only.\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "host all all ::1/128 trust\n"
        )
        if self.running():
            self._ctl("stop")
        self._ctl("start")
        self.wait_ready()

    def _clusters(self) -> list[list[str]]:
        listing = run(["pg_lsclusters", "--no-header"]).stdout
        return [line.split() for line in listing.splitlines() if line.strip()]

    def _exists(self) -> bool:
        return any(parts[:2] == [self.version, CLUSTER] for parts in self._clusters())

    def _remove_leftovers(self) -> None:
        """pg_dropcluster leaves the files this script wrote: only those go."""
        if not self.conf_dir.exists():
            return
        ours = {Path("pg_hba.conf"), Path("conf.d"), Path("conf.d/zz-soak.conf")}
        found = {p.relative_to(self.conf_dir) for p in self.conf_dir.rglob("*")}
        if not found <= ours:
            raise SystemExit(
                f"{self.conf_dir} exists but is no cluster pg_lsclusters knows; "
                "remove it or set SOAK_PG_VERSION / SOAK_PG_PORT."
            )
        shutil.rmtree(self.conf_dir)

    def _port_taken_by_other_cluster(self) -> str:
        for parts in self._clusters():
            if len(parts) >= 3 and parts[2] == str(self.port) and parts[1] != CLUSTER:
                return f"{parts[0]}/{parts[1]}"
        return ""

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-q", "-h", HOST, "-p", str(self.port)]
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit(f"The soak cluster did not come up on port {self.port}.")

    def restart(self) -> None:
        self._ctl("restart")
        self.wait_ready()

    def start(self) -> None:
        self._ctl("start")
        self.wait_ready()

    def stop(self) -> None:
        if self.running():
            self._ctl("stop")

    def accepting(self) -> bool:
        """Whether the server answers a query now (not only accepts a socket)."""
        try:
            with psycopg.connect(self.url("postgres"), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(self.url(database), autocommit=True)

    def recreate_database(self, name: str) -> None:
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        with self.connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def dump(self, database: str, path: Path) -> list[str]:
        cmd = [
            str(self.bin / "pg_dump"),
            "-Fc",
            "-h",
            HOST,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-f",
            str(path),
            database,
        ]
        run(cmd)
        return cmd

    def restore(self, path: Path, database: str) -> list[str]:
        self.recreate_database(database)
        cmd = [
            str(self.bin / "pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "-h",
            HOST,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            str(path),
        ]
        run(cmd)
        return cmd


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Processes whose parent is pid (the gunicorn master's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def _established_inodes(port: int) -> set[str]:
    """Socket inodes of open TCP connections to the server's port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(inode)
    return inodes


class Gunicorn:
    """gunicorn serving navigator.wsgi with the production settings."""

    def __init__(
        self, *, root: Path, env: dict, port: int, workdir: Path, name: str = "A"
    ):
        self.root = root
        self.env = env
        self.port = port
        self.workdir = workdir
        self.name = name
        self.log_path = workdir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None
        # Per server: two servers share the machine's two cores.
        self.workers = int(os.environ.get("SOAK_WORKERS", "2"))

    def start(self) -> None:
        gunicorn = self.root / ".venv" / "bin" / "gunicorn"
        if not gunicorn.exists():
            gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
        cmd = [
            str(gunicorn),
            "navigator.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--chdir",
            str(self.root),
            "--pythonpath",
            str(self.root / "bench"),
            "--no-control-socket",
            "--error-logfile",
            "-",
        ]
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.root
        )
        log.close()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children_of(self.pid) if self.process else []

    def busy_workers(self) -> list[int]:
        """Workers holding a client's connection right now (mid-request)."""
        inodes = _established_inodes(self.port)
        busy = []
        for pid in self.worker_pids():
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    busy.append(pid)
                    break
        return busy

    def wait_workers(self, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}; see "
                    f"{self.log_path}"
                )
            pids = self.worker_pids()
            if len(pids) >= self.workers:
                return pids
            time.sleep(0.05)
        raise SystemExit(f"gunicorn did not start its workers; see {self.log_path}")

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""
