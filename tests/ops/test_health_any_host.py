"""The health probes answer whatever the Host header: load balancers and Kubernetes send
the instance's address, which IRIS_ALLOWED_HOSTS does not list. Every other page still
refuses a host it does not serve."""

from __future__ import annotations

import pytest
from django.test import Client

POD_ADDRESS = "10.1.2.3"


def test_live_answers_a_probe_sent_to_the_pod_address(client: Client) -> None:
    response = client.get("/health/live", HTTP_HOST=POD_ADDRESS)
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]  # still logged and tagged like any request


@pytest.mark.django_db
def test_ready_answers_a_probe_sent_to_the_pod_address(client: Client) -> None:
    response = client.get("/health/ready/", HTTP_HOST=f"{POD_ADDRESS}:8000")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"


def test_a_probe_keeps_its_method_check(client: Client) -> None:
    assert client.post("/health/live", HTTP_HOST=POD_ADDRESS).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/metrics", "/health/other", "/api/v1/jobs", "/console/"])
def test_other_pages_still_refuse_a_host_not_served(client: Client, path: str) -> None:
    assert client.get(path, HTTP_HOST=POD_ADDRESS).status_code == 400
