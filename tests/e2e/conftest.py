"""End-to-end fixtures: the debian12 image built once per session with `linnetd image build`,
and a linnetd on the qemu driver whose Linodes get addresses in a 127.0.0.0/8 pool."""
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from support import BIN, Server  # noqa: E402

import subprocess  # noqa: E402


@pytest.fixture(scope="session")
def data_dir():
    """The session's data folder; a copy of LINNET_E2E_IMAGE (a data folder where
    `linnetd image build debian12` ran, as `make e2e` makes) when that is set."""
    path = Path(tempfile.mkdtemp(prefix="linnet-e2e-"))
    prebuilt = os.environ.get("LINNET_E2E_IMAGE")
    if prebuilt:
        assert (Path(prebuilt) / "images" / "linode" / "debian12" / "image.json").exists(), \
            f"LINNET_E2E_IMAGE={prebuilt} holds no built linode/debian12"
        subprocess.run(["cp", "-a", "--sparse=always", f"{prebuilt}/.", str(path)], check=True)
    yield path
    # Whatever happened, no VM of this session outlives it.
    for pidfile in path.glob("linodes/*/qemu.pid"):
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
        except (ValueError, ProcessLookupError):
            pass
    remove_guest_traffic(path)
    shutil.rmtree(path, ignore_errors=True)


def remove_guest_traffic(data):
    """The nft table and cgroups a server made to count its guests' traffic."""
    record = data / "guest-traffic"
    if not record.exists():
        return
    table, root = record.read_text().split()[:2]
    for family, name in (("inet", table), ("inet", table + "_fw"), ("bridge", table + "_fw")):
        subprocess.run(["nft", "delete", "table", family, name], capture_output=True)
    for cgroup in Path(root).glob("linode-*"):
        try:
            (cgroup / "cgroup.kill").write_text("1")
        except OSError:
            pass
        for _ in range(40):
            try:
                cgroup.rmdir()
                break
            except OSError:
                time.sleep(0.05)
    try:
        Path(root).rmdir()
    except OSError:
        pass


@pytest.fixture(scope="session")
def image(data_dir):
    """linode/debian12 in the session's data dir (the image the tests boot): copied with the
    folder from LINNET_E2E_IMAGE, or built here."""
    if os.environ.get("LINNET_E2E_IMAGE"):
        return "linode/debian12"
    assert os.geteuid() == 0, "the end-to-end tests build images with debootstrap: run as root"
    out = subprocess.run([BIN, "image", "build", "debian12", "--data", str(data_dir)],
                         capture_output=True, text=True, timeout=1200)
    assert out.returncode == 0, f"image build failed:\n{out.stdout}\n{out.stderr}"
    return "linode/debian12"


@pytest.fixture(scope="session")
def shared_dir(data_dir):
    """The --shared-dir (private images, backups, volumes): a folder apart from the data folder."""
    path = data_dir / "shared"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def pool():
    """A /24 of 127.0.0.0/8 of this test's own: its first Linode gets .2."""
    return f"127.{random.randint(65, 250)}.{random.randint(0, 255)}.0/24"


@pytest.fixture
def qemu_server(data_dir, shared_dir, image, pool):
    srv = Server(data_dir, env={"LINNET_DRIVER": "qemu", "LINNET_IPV4_POOL": pool,
                                "LINNET_SHARED_DIR": str(shared_dir),
                                "LINNET_STATS_INTERVAL_MS": "5000"})
    srv.token = srv.make_token("*")
    srv.start(timeout=30)
    yield srv
    if srv.proc.poll() is None:
        srv.terminate(timeout=30)
