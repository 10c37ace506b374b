"""Queues by what a person waits for: reports, e-mail and bulk work each have workers of their own, in
production (docker-compose.yml) and in the embedded default (scripts/demo) alike."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _queue(task: str) -> str:
    route = app.amqp.router.route({}, task)
    return route["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("reporting.tasks.run_report", "reports"),
        ("portal.tasks.send_notification_emails", "mail"),
        ("portal.tasks.run_import_job", "bulk"),
        ("portal.tasks.calendar_rejudge", "bulk"),
        ("outages.tasks.reevaluate_utility", "bulk"),
        ("portal.tasks.sweep_deadlines", "default"),
        ("reporting.tasks.refresh_complaint_stats", "default"),
    ],
)
def test_each_task_goes_to_its_queue(task, queue):
    assert _queue(task) == queue


def _routed_queues() -> set[str]:
    return {r["queue"] for r in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}


def test_a_worker_started_without_queues_serves_every_queue():
    assert {q.name for q in app.conf.task_queues} == _routed_queues()


def test_every_queue_has_workers_in_production_and_a_report_waits_behind_no_mail():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    served = {}
    for name, service in compose["services"].items():
        if service.get("command") == ["worker"]:
            served[name] = set(service["environment"]["CELERY_QUEUES"].split(","))
    assert set().union(*served.values()) == _routed_queues()
    reports = [queues for queues in served.values() if "reports" in queues]
    assert reports == [{"reports"}]


def test_every_queue_has_a_worker_in_the_embedded_default():
    demo = (ROOT / "scripts" / "demo").read_text()
    served = [set(q.split(",")) for q in re.findall(r"--queues=([\w,]+)", demo)]
    assert set().union(*served) == _routed_queues()
    assert {"reports"} in served
