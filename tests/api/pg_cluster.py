"""A throwaway PostgreSQL cluster for tests: Debian's postgresql, initdb into a temporary folder
(as the postgres user when the tests run as root), C locale, a free port on 127.0.0.1, stopped
and removed at the end. Each database a test asks for is created on first use."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from ports import free_port


def _bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian package postgresql)")
    return found[-1]


class PgCluster:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="linnet-pg-")
        self.data = os.path.join(self.dir, "data")
        self.as_postgres = os.geteuid() == 0
        self.proc = None
        self.created = set()

    def _run_as(self, cmd, **kw):
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

    def start(self, timeout=60):
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            os.chmod(self.dir, 0o700)
        self._run_as([_bin("initdb"), "-D", self.data, "-U", "linnet", "--auth=trust",
                      "--locale=C", "-E", "UTF8", "--no-sync"], timeout=120)
        return self.resume(timeout)

    def pause(self):
        """Stops the server (fast shutdown: sessions are cut), keeping its data."""
        if self.proc and self.proc.poll() is None:
            self._run_as([_bin("pg_ctl"), "stop", "-D", self.data, "-m", "fast", "-w"],
                         timeout=60)
            self.proc.wait(timeout=30)

    def resume(self, timeout=60):
        """Starts the server on its data and port."""
        cmd = [_bin("postgres"), "-D", self.data, "-p", str(self.port), "-k", self.dir,
               "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=600",
               "-c", "shared_buffers=128MB"]
        if not os.environ.get("LINNET_PG_DURABLE"):
            # Tests need no durability against power loss; benchmarks (LINNET_PG_DURABLE=1) do.
            cmd += ["-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off"]
        for option in os.environ.get("LINNET_PG_OPTIONS", "").split():
            cmd += ["-c", option]  # e.g. shared_preload_libraries=pg_stat_statements
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.proc.returncode}")
            ready = subprocess.run([_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                   capture_output=True)
            if ready.returncode == 0:
                return self
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def url(self, database="postgres"):
        return f"postgresql://linnet@127.0.0.1:{self.port}/{database}"

    def database(self, name):
        """The URL of database NAME, created on first use."""
        if name not in self.created:
            subprocess.run([_bin("psql"), self.url(), "-q", "-c", f'CREATE DATABASE "{name}"'],
                           check=True, capture_output=True, text=True, timeout=60)
            self.created.add(name)
        return self.url(name)

    def stop(self):
        try:
            self.pause()
        except (subprocess.SubprocessError, OSError):
            if self.proc and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    # pg_cluster.py COMMAND...: runs COMMAND with LINNET_TEST_PG naming a private cluster's
    # maintenance database, then stops the cluster; exits with COMMAND's status.
    import signal
    import sys
    cluster = PgCluster().start()
    child = None

    def forward(signum, _frame):
        # A stop request reaches the command first; the cluster stops once it has ended.
        if child and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        env = dict(os.environ, LINNET_TEST_PG=cluster.url())
        child = subprocess.Popen(sys.argv[1:], env=env)
        code = child.wait()
    finally:
        cluster.stop()
    sys.exit(code)
