"""The exported shop's container image: built with podman as its README says, run, asked.

``nox -s container`` runs this (it takes minutes the first time, so it is not part of
``nox``): the shop is exported, its wheel built, the image built from the export's
``Containerfile`` on a base made from Debian (:mod:`handbook.container`), and a container
of it started. The test then asks ``/api/v1/health/live`` over HTTP and runs the image's
own health check. The Kubernetes manifests' dev overlay, rendered by kustomize, is then run
with ``podman kube play`` on the same image and asked the same way, readiness included
(its init container must have migrated the database first). Where podman cannot run,
the test says why and skips; under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from handbook import image_size
from handbook.container import BASE_IMAGE, ensure_base, podman, podman_environment, unavailable
from handbook.examples import write_export
from handbook.paths import repository_root

ROOT = repository_root()
STATE = ROOT / ".handbook" / "container"
IMAGE = "localhost/handbook/shop:test"
LIVE = "/api/v1/health/live"
READY = "/api/v1/health/ready"
INIT_CONTAINER_TYPE = "io.podman.annotations.init.container.type"
"""Podman's annotation: ``once`` removes an init container after it ran, ``always`` keeps it."""


@pytest.fixture(scope="module")
def environment() -> dict[str, str]:
    environment = podman_environment(STATE)
    reason = unavailable(environment)
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    return environment


def run(environment: dict[str, str], *arguments: str, timeout: float = 900) -> str:
    result = subprocess.run(  # noqa: S603 - podman, the test's own arguments
        podman(*arguments),
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"podman {' '.join(arguments)}\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exported shop, as a reader downloads it."""
    project = tmp_path_factory.mktemp("image") / "shop"
    write_export(ROOT, "shop", project)
    return project


@pytest.fixture(scope="module")
def image(environment: dict[str, str], project: Path) -> str:
    """The image, built from the exported project as its README says."""
    work = project.parent
    # The README's `pip wheel --wheel-dir dist .`, with a pip of this Python (the base's).
    uv = shutil.which("uv")
    assert uv, "uv makes the environment with pip (nox -s container runs with it on PATH)"
    tools = work / "pip"
    subprocess.run(  # noqa: S603 - uv, fixed arguments
        [uv, "venv", "--quiet", "--seed", "--python", sys.executable, str(tools)], check=True
    )
    subprocess.run(  # noqa: S603 - pip, fixed arguments
        [str(tools / "bin" / "pip"), "wheel", "--quiet", "--wheel-dir", "dist", "."],
        cwd=project,
        check=True,
    )
    base = ensure_base(environment)
    run(
        environment,
        "build",
        "--format",
        "docker",
        "--build-arg",
        f"BASE={base}",
        "--tag",
        IMAGE,
        str(project),
    )
    return IMAGE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def container(environment: dict[str, str], image: str) -> Iterator[tuple[str, str]]:
    """A container of the image, published on a free port of the loopback interface."""
    name = f"handbook-shop-{uuid.uuid4().hex[:8]}"
    address = f"http://127.0.0.1:{free_port()}"
    run(
        environment,
        "run",
        "--detach",
        "--name",
        name,
        "--publish",
        f"127.0.0.1:{address.rsplit(':', 1)[1]}:8000",
        image,
    )
    try:
        yield name, address
    finally:
        subprocess.run(  # noqa: S603 - podman, fixed arguments
            podman("rm", "--force", "--time", "2", name),
            env=environment,
            capture_output=True,
            check=False,
        )


def test_the_image_runs_as_a_user_without_privileges(
    environment: dict[str, str], image: str
) -> None:
    (inspected,) = json.loads(run(environment, "image", "inspect", image))
    settings = inspected["Config"]

    assert settings["User"] == "10001:10001"
    assert settings["Entrypoint"] == ["shop"]
    assert settings["Cmd"] == ["serve", "--host", "0.0.0.0", "--port", "8000"]  # noqa: S104
    assert inspected["Healthcheck"]["Test"][0] == "CMD"
    assert LIVE in " ".join(inspected["Healthcheck"]["Test"])
    # The environment holds the shop and no installer: pip and setuptools stayed behind.
    found = run(
        environment,
        "run",
        "--rm",
        "--entrypoint",
        "python3",
        image,
        "-c",
        "import importlib.util as u; print([bool(u.find_spec(m)) for m in "
        "('shop', 'uvicorn', 'pip', 'setuptools')])",
    )
    assert found.strip() == "[True, True, False, False]"


def test_the_container_answers_liveness_and_its_health_check_passes(
    environment: dict[str, str], container: tuple[str, str]
) -> None:
    name, address = container
    response = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            response = httpx.get(address + LIVE, timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.5)

    assert response is not None, run(environment, "logs", name)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}
    run(environment, "healthcheck", "run", name)  # its status is 0 only when healthy
    assert "10001" in run(environment, "exec", name, "id", "-u")


def test_the_images_size_is_written_on_the_container_page(
    environment: dict[str, str], image: str
) -> None:
    def size(name: str) -> int:
        return int(run(environment, "image", "inspect", "--format", "{{.Size}}", name))

    built, base = size(image), size(BASE_IMAGE)
    figures = image_size.write(ROOT, built, base, BASE_IMAGE)

    assert 0 < base < built
    assert image_size.check_page(ROOT) == []
    assert figures["image_bytes"] == built


def answered(url: str, *, status: int, seconds: float = 90) -> httpx.Response | None:
    """Ask ``url`` until it answers ``status``; the last answer, or ``None`` if none came."""
    response = None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == status:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    return response


def rendered_overlay(project: Path, image: str, port: int) -> list[dict[str, Any]]:
    """The dev overlay as kustomize renders it, on this image, its port on the loopback."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and kubectl is not installed to render the overlay")
        pytest.skip("kubectl is not installed to render the overlay")
    rendered = subprocess.run(  # noqa: S603 - kubectl, the exported project's overlay
        [kubectl, "kustomize", str(project / "deploy" / "kubernetes" / "overlays" / "dev")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    resources = [r for r in yaml.safe_load_all(rendered) if r]
    for resource in resources:
        if resource["kind"] != "Deployment":
            continue
        # Podman 4.3 removes a finished init container and can try while it still runs
        # (podman issue 18477); kept, as a kubelet keeps it, it is not removed at all.
        # Podman reads the annotation from the Deployment or its pod's template, by version.
        template = resource["spec"]["template"]
        for metadata in (resource["metadata"], template["metadata"]):
            metadata.setdefault("annotations", {})[INIT_CONTAINER_TYPE] = "always"
        pod = template["spec"]
        for volume in pod.get("volumes", []):
            if "secret" in volume:
                # Podman 4.3 reads `optional` without looking whether it is there, and
                # panics when it is not; false is Kubernetes' default, said out loud.
                volume["secret"].setdefault("optional", False)
        for container in [*pod.get("initContainers", []), *pod["containers"]]:
            container["image"] = image
            for exposed in container.get("ports", []):
                exposed |= {"hostIP": "127.0.0.1", "hostPort": port}
    return resources


@contextmanager
def podman_secrets(
    environment: dict[str, str], resources: list[dict[str, Any]]
) -> Iterator[list[dict[str, Any]]]:
    """Create the overlay's Secrets as podman secrets; yield the other resources.

    Podman 4.3 (Debian 12's) stores a Secret that ``kube play`` reads as YAML, and then
    fails to read it for ``secretKeyRef`` ("is not valid JSON", podman issue 16269). A
    secret created beforehand holding the Secret's data as JSON is what it reads, as a
    cluster's Secret is created before the Deployment that names it.
    """
    secrets = [r for r in resources if r["kind"] == "Secret"]
    names = [secret["metadata"]["name"] for secret in secrets]
    for secret in secrets:
        data = json.dumps(secret["data"])
        subprocess.run(  # noqa: S603 - podman, the overlay's own Secret: a last run's goes
            podman("secret", "rm", secret["metadata"]["name"]),
            env=environment,
            capture_output=True,
            check=False,
        )
        subprocess.run(  # noqa: S603 - podman, the overlay's own Secret
            podman("secret", "create", secret["metadata"]["name"], "-"),
            env=environment,
            input=data,
            text=True,
            capture_output=True,
            check=True,
        )
    try:
        yield [r for r in resources if r["kind"] != "Secret"]
    finally:
        for name in names:
            subprocess.run(  # noqa: S603 - podman, the overlay's own Secret
                podman("secret", "rm", name), env=environment, capture_output=True, check=False
            )


def test_the_dev_overlay_runs_under_podman_kube_play_migrated_live_and_ready(
    environment: dict[str, str], image: str, project: Path, tmp_path: Path
) -> None:
    port = free_port()
    manifest = tmp_path / "dev.yaml"
    address = f"http://127.0.0.1:{port}"

    with podman_secrets(environment, rendered_overlay(project, image, port)) as resources:
        manifest.write_text(yaml.safe_dump_all(resources), encoding="utf-8")
        try:
            run(environment, "kube", "play", "--replace", str(manifest))
            ready = answered(address + READY, status=200)
            live = httpx.get(address + LIVE, timeout=2)
            pods = run(environment, "pod", "ps", "--format", "{{.Name}} {{.Status}}")
            containers = run(environment, "ps", "--all", "--format", "{{.Names}}").split()
            (served,) = [name for name in containers if name.endswith("-shop")]
            logs = run(environment, "logs", served)
        finally:
            subprocess.run(  # noqa: S603 - podman, the test's own manifest
                podman("kube", "down", str(manifest)),
                env=environment,
                capture_output=True,
                check=False,
            )

    assert ready is not None, pods
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert live.json() == {"status": "ok"}
    assert "Running" in pods
    assert '"event"' in logs  # the server's JSON lines, as on any cluster
