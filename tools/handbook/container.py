"""Container images with podman: a base built from Debian, and whether podman can run.

Podman runs on the development machine as root, with the runc runtime and cgroupfs, which
its default configuration does not choose: :func:`podman_environment` writes a
``containers.conf`` that does and points ``CONTAINERS_CONF`` at it. Base images cannot be
pulled there, so :func:`ensure_base` builds one from Debian with ``debootstrap`` (Python,
its ``venv`` module and ``useradd``, nothing else) and imports it; the image in podman's
store is the cache, so only the first run pays for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BASE_IMAGE = "localhost/handbook/debian-python:bookworm"
"""The base the image tests build on: Debian 12 with its Python 3.11."""
DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = os.environ.get("HANDBOOK_DEBIAN_MIRROR", "http://deb.debian.org/debian")
CONTAINERS_CONF = '[containers]\ndefault_ulimits = []\n\n[engine]\ncgroup_manager = "cgroupfs"\n'


def podman_environment(state: Path) -> dict[str, str]:
    """The environment podman needs here: ``CONTAINERS_CONF`` pointing at a file under ``state``."""
    state.mkdir(parents=True, exist_ok=True)
    conf = state / "containers.conf"
    conf.write_text(CONTAINERS_CONF, encoding="utf-8")
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(*arguments: str) -> list[str]:
    """A podman command line, on runc when it is installed (crun is not, here)."""
    runtime = ["--runtime", "runc"] if shutil.which("runc") else []
    return ["podman", *runtime, *arguments]


def unavailable(environment: dict[str, str]) -> str | None:
    """Why podman cannot build and run images on this machine, or ``None`` when it can."""
    if shutil.which("podman") is None:
        return "podman is not installed"
    info = subprocess.run(  # noqa: S603 - podman, fixed arguments
        podman("info", "--format", "{{.Host.OCIRuntime.Name}}"),
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if info.returncode != 0:
        return f"podman does not run here: {info.stderr.strip().splitlines()[-1:]}"
    return None


def ensure_base(environment: dict[str, str], image: str = BASE_IMAGE) -> str:
    """Return ``image``, building it from Debian with debootstrap when podman lacks it.

    Raises:
        RuntimeError: The image is missing and debootstrap is not installed.
    """
    exists = subprocess.run(  # noqa: S603 - podman, fixed arguments
        podman("image", "exists", image), env=environment, check=False
    )
    if exists.returncode == 0:
        return image
    debootstrap, tar = shutil.which("debootstrap"), shutil.which("tar")
    if debootstrap is None or tar is None:
        raise RuntimeError(f"{image} is missing, and debootstrap and tar are needed to build it")
    with tempfile.TemporaryDirectory(prefix="handbook-rootfs-") as directory:
        root = Path(directory) / "root"
        subprocess.run(  # noqa: S603 - debootstrap, fixed arguments
            [
                debootstrap,
                "--variant=minbase",
                "--include=python3,python3-venv",
                DEBIAN_SUITE,
                str(root),
                DEBIAN_MIRROR,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # What a base image leaves out: the package lists and caches debootstrap kept.
        for cache in ("var/lib/apt/lists", "var/cache/apt", "var/cache/debconf"):
            shutil.rmtree(root / cache, ignore_errors=True)
        archive = Path(directory) / "root.tar"
        subprocess.run(  # noqa: S603 - tar, fixed arguments
            [tar, "--create", "--file", str(archive), "--directory", str(root), "."],
            check=True,
        )
        subprocess.run(  # noqa: S603 - podman, fixed arguments
            podman(
                "import",
                "--change",
                'CMD ["python3"]',
                "--change",
                "ENV LANG=C.UTF-8",
                str(archive),
                image,
            ),
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return image
