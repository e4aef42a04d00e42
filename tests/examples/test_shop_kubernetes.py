"""The exported shop's Kubernetes manifests: each overlay rendered by kustomize and validated.

The overlays are rendered from the exported project (what a reader downloads) by the real
kustomize, as ``kubectl kustomize`` (or ``kustomize build``) runs it, and every resource is
validated against the JSON schemas of a pinned Kubernetes version, strictly (an unknown
field is an error), with the schemas kubernetes-validate bundles: nothing is fetched.
Without kubectl or kustomize the rendering tests skip and say so; under ``CI=true`` they
fail.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from unittest import mock

import kubernetes_validate
import pytest
import yaml

from handbook.examples import write_export
from handbook.paths import repository_root
from infrastructure_kernel.configuration import configure
from shop.bootstrap import CONSUMERS
from shop.settings import Settings

ROOT = repository_root()
KUBERNETES = "1.33.0"
"""The version whose schemas the manifests are held to."""
OVERLAYS = {"dev": "shop-dev", "production": "shop"}
"""Each overlay and its namespace; the overlay's name is also the profile it chooses."""
POSTGRESQL_MAX_CONNECTIONS = 100
"""PostgreSQL's default ``max_connections``, which the autoscaler's maximum must respect."""

Resource = dict[str, Any]


def kustomize() -> list[str]:
    """The kustomize command this machine has, or skip (fail under ``CI=true``)."""
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true and neither kubectl nor kustomize is installed")
    pytest.skip("neither kubectl nor kustomize is installed to render the overlays")


@pytest.fixture(scope="module")
def deploy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exported project's ``deploy/kubernetes`` folder."""
    project = tmp_path_factory.mktemp("export") / "shop"
    write_export(ROOT, "shop", project)
    return project / "deploy" / "kubernetes"


def render(deploy: Path, overlay: str) -> list[Resource]:
    rendered = subprocess.run(  # noqa: S603 - kustomize, the test's own overlay
        [*kustomize(), str(deploy / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [resource for resource in yaml.safe_load_all(rendered.stdout) if resource]


def one(resources: list[Resource], kind: str, name: str = "shop") -> Resource:
    """The resource of ``kind`` called ``name``, or ``name-HASH`` if kustomize made it."""
    (found,) = (
        r
        for r in resources
        if r["kind"] == kind and re.fullmatch(rf"{name}(-[a-z0-9]{{10}})?", r["metadata"]["name"])
    )
    return found


@pytest.fixture(scope="module", params=list(OVERLAYS))
def overlay(request: pytest.FixtureRequest, deploy: Path) -> tuple[str, list[Resource]]:
    name: str = request.param
    return name, render(deploy, name)


def test_every_resource_of_every_overlay_is_valid_kubernetes(
    overlay: tuple[str, list[Resource]],
) -> None:
    name, resources = overlay

    for resource in resources:
        kubernetes_validate.validate(resource, KUBERNETES, strict=True)

    kinds = sorted(r["kind"] for r in resources)
    expected = ["ConfigMap", "ConfigMap", "Deployment", "NetworkPolicy", "Service"]
    if name == "dev":
        expected.append("Secret")
    else:  # the relay, a consumer each, the worker
        expected += ["HorizontalPodAutoscaler", "PodDisruptionBudget"]
        expected += ["Deployment"] * (2 + len(CONSUMERS))
    assert kinds == sorted(expected)
    assert {r["metadata"]["namespace"] for r in resources} == {OVERLAYS[name]}


def test_the_validation_refuses_a_wrong_value_and_an_unknown_field(deploy: Path) -> None:
    deployment = one(render(deploy, "production"), "Deployment")
    wrong, unknown = copy.deepcopy(deployment), copy.deepcopy(deployment)
    wrong["spec"]["replicas"] = "three"
    unknown["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["pth"] = "/"

    for resource in (wrong, unknown):
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(resource, KUBERNETES, strict=True)


def test_the_pods_are_probed_locked_down_and_given_their_configuration(
    overlay: tuple[str, list[Resource]],
) -> None:
    name, resources = overlay
    pod = one(resources, "Deployment")["spec"]["template"]["spec"]
    (migrate,) = pod["initContainers"]
    (shop,) = pod["containers"]

    assert shop["livenessProbe"]["httpGet"] == {"path": "/api/v1/health/live", "port": "http"}
    assert shop["readinessProbe"]["httpGet"] == {"path": "/api/v1/health/ready", "port": "http"}
    assert (migrate["args"], shop["args"][0]) == (["db", "upgrade"], "serve")
    assert pod["securityContext"]["runAsNonRoot"] is True
    for container in (migrate, shop):
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert set(shop["resources"]) == {"requests", "limits"}
    # The generated names, hash included, are the ones the pods refer to.
    config = one(resources, "ConfigMap", "shop-config")["metadata"]["name"]
    environment = one(resources, "ConfigMap", "shop-environment")
    (volume,) = (v for v in pod["volumes"] if v["name"] == "config")
    assert volume["configMap"]["name"] == config
    assert shop["envFrom"] == [{"configMapRef": {"name": environment["metadata"]["name"]}}]
    assert environment["data"] == {"SHOP_CONFIG": "/etc/shop/shop.toml", "SHOP_PROFILE": name}
    # The database's URL is a file where the shop reads secrets, not a variable.
    assert "env" not in shop
    (secrets,) = (v for v in pod["volumes"] if v["name"] == "secrets")
    assert secrets["secret"]["items"] == [{"key": "url", "path": "database_url"}]
    for container in (migrate, shop):
        (mount,) = (m for m in container["volumeMounts"] if m["name"] == "secrets")
        assert (mount["mountPath"], mount["readOnly"]) == ("/run/secrets", True)


def test_prometheus_is_told_where_each_pod_serves_its_metrics(
    overlay: tuple[str, list[Resource]],
) -> None:
    _, resources = overlay
    template = one(resources, "Deployment")["spec"]["template"]
    (shop,) = template["spec"]["containers"]
    (port,) = shop["ports"]

    assert template["metadata"]["annotations"] == {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(port["containerPort"]),
        "prometheus.io/path": "/metrics",
    }
    assert shop["args"][-2:] == ["--port", str(port["containerPort"])]


def configured(resources: list[Resource], profile: str, directory: Path) -> Settings:
    """The shop's settings from the overlay's configuration file and profile."""
    path = directory / "shop.toml"
    path.write_text(one(resources, "ConfigMap", "shop-config")["data"]["shop.toml"], "utf-8")
    variables = {"SHOP_CONFIG": str(path), "SHOP_PROFILE": profile}
    with mock.patch.dict(os.environ, variables):
        return configure(Settings, {}).settings


def test_the_configuration_file_configures_the_shop_in_each_overlays_profile(
    overlay: tuple[str, list[Resource]], tmp_path: Path
) -> None:
    name, resources = overlay

    settings = configured(resources, name, tmp_path)

    assert settings.log_level == {"dev": "DEBUG", "production": "WARNING"}[name]


def connections(resources: list[Resource], container: Resource, directory: Path) -> int:
    """The most connections one pod's pool holds: its settings, the variables it sets included."""
    variables = {e["name"]: e["value"] for e in container.get("env", []) if "value" in e}
    with mock.patch.dict(os.environ, variables):
        settings = configured(resources, "production", directory)
    return settings.database_pool_size + settings.database_max_overflow


def test_every_process_at_its_most_pods_holds_fewer_connections_than_postgresql_allows(
    deploy: Path, tmp_path: Path
) -> None:
    resources = render(deploy, "production")
    scaled = {
        a["spec"]["scaleTargetRef"]["name"]: a["spec"]["maxReplicas"]
        for a in resources
        if a["kind"] == "HorizontalPodAutoscaler"
    }

    held: dict[str, int] = {}
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        most = scaled.get(name, deployment["spec"]["replicas"])
        held[name] = most * connections(resources, container, tmp_path)

    assert held["shop"] == 5 * (10 + 5)  # the API: five pods at most, 15 each
    assert sum(held.values()) < POSTGRESQL_MAX_CONNECTIONS, held


def test_the_relay_each_consumer_and_the_worker_run_as_the_apis_pods_do(deploy: Path) -> None:
    resources = render(deploy, "production")
    api = one(resources, "Deployment")["spec"]["template"]["spec"]
    commands = {}
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        commands[deployment["metadata"]["name"]] = container["args"]
        if deployment["metadata"]["name"] == "shop":
            continue
        (shop,) = api["containers"]
        assert "ports" not in container
        assert "livenessProbe" not in container
        assert container["image"] == shop["image"]
        assert container["envFrom"] == shop["envFrom"]
        # DATABASE_URL as the API reads it: a file of the Secret, never a variable.
        secrets = next(m for m in shop["volumeMounts"] if m["name"] == "secrets")
        assert secrets in container["volumeMounts"]
        assert "DATABASE_URL" not in {variable["name"] for variable in container["env"]}
        [volume] = [v for v in pod["volumes"] if v["name"] == "secrets"]
        assert volume in api["volumes"]
        assert container["securityContext"] == shop["securityContext"]
        assert pod["securityContext"] == api["securityContext"]
        assert {v["name"] for v in pod["volumes"]} <= {v["name"] for v in api["volumes"]}
        assert set(container["resources"]) == {"requests", "limits"}

    consumers = {f"shop-consumer-{n.replace('.', '-')}": ["consume", n] for n in CONSUMERS}
    assert commands == {
        "shop": ["serve", "--host", "0.0.0.0", "--port", "8000"],  # noqa: S104
        "shop-relay": ["relay"],
        "shop-worker": ["worker"],
        **consumers,
    }
    worker = one(resources, "Deployment", "shop-worker")["spec"]
    assert (worker["replicas"], worker["strategy"]["type"]) == (1, "Recreate")  # one scheduler


def test_only_the_apis_pods_are_served_and_reachable(
    overlay: tuple[str, list[Resource]],
) -> None:
    _, resources = overlay
    selectors = {
        r["metadata"]["name"]: r["spec"]["selector"]["matchLabels"]
        for r in resources
        if r["kind"] == "Deployment"
    }
    service = one(resources, "Service")["spec"]["selector"]
    policy = one(resources, "NetworkPolicy")["spec"]

    # The Service's selector picks the API's pods and no other Deployment's.
    served = [n for n, labels in selectors.items() if service.items() <= labels.items()]
    assert served == ["shop"]
    assert policy["podSelector"]["matchLabels"].items() <= selectors["shop"].items()
    assert all(
        policy["podSelector"]["matchLabels"].items() <= s.items() for s in selectors.values()
    )
    assert policy["policyTypes"] == ["Ingress"]
    assert policy["ingress"] == [{"ports": [{"port": "http"}]}]
    # The one port of that name is the API's.
    named = [
        port["name"]
        for r in resources
        if r["kind"] == "Deployment"
        for c in r["spec"]["template"]["spec"]["containers"]
        for port in c.get("ports", [])
    ]
    assert named == ["http"]
