"""Free ports of 127.0.0.1 for the servers tests start, kept apart across the test processes of the
machine that run at once (`make test` runs the unit tests, whose PostgreSQL comes from
pg_cluster.py, and both API suites side by side).

A port nothing is bound on may still be promised: a server binds its port some time after it was
chosen (PostgreSQL after initdb, a linnetd after its token is made), and a linnetd binds its DNS
port only once it serves a zone, perhaps minutes later. So each port handed out is also reserved
until the process it went to ends: a file named after the port in $TMPDIR/linnet-test-ports-UID,
holding that process's pid. A port another live process reserved is not handed out, nor one this
process already had."""
import atexit
import os
import socket
import tempfile
import threading

_DIR = os.path.join(tempfile.gettempdir(), f"linnet-test-ports-{os.getuid()}")
_mine = []
_lock = threading.Lock()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _reserve(port):
    """Whether PORT is now reserved for this process (False: another live process has it)."""
    path = os.path.join(_DIR, str(port))
    # The reservation appears whole, with its pid: written aside, then linked into place.
    mark = os.path.join(_DIR, f".{os.getpid()}")
    with open(mark, "w") as f:
        f.write(str(os.getpid()))
    try:
        for _ in range(2):
            try:
                os.link(mark, path)
                _mine.append(path)
                return True
            except FileExistsError:
                try:
                    with open(path) as f:
                        owner = int(f.read())
                except FileNotFoundError:
                    continue
                except (OSError, ValueError):
                    return False
                if owner == os.getpid() or _alive(owner):
                    return False
                # A reservation left by a process that ended without releasing it.
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
        return False
    finally:
        os.unlink(mark)


@atexit.register
def _release():
    for path in _mine:
        try:
            with open(path) as f:
                if int(f.read()) == os.getpid():  # not a forked child's
                    os.unlink(path)
        except (OSError, ValueError):
            pass


def free_port():
    """A TCP port of 127.0.0.1 that nothing is bound on and no test process was given."""
    with _lock:
        os.makedirs(_DIR, mode=0o700, exist_ok=True)
        for _ in range(1000):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            if _reserve(port):
                return port
    raise RuntimeError(f"no free port of 127.0.0.1 left unreserved (see {_DIR})")
