"""Operations: one JSON log line per request and Prometheus metrics in the app's own registry."""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("cgc.web")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, message and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class Metrics:
    """The counters and histograms of one app (a registry of its own, so tests can build many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "cgc_web_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "cgc_web_request_seconds", "Time to answer a request", ["route"], registry=self.registry
        )
        self.evaluations = Counter("cgc_web_evaluations", "Submissions evaluated", ["outcome"], registry=self.registry)
        self.refused_uploads = Counter("cgc_web_refused_uploads", "Uploads refused", ["reason"], registry=self.registry)
        self.login_failures = Counter("cgc_web_login_failures", "Failed logins", registry=self.registry)


class ObserveMiddleware:
    """Times every request, counts it by route template (not raw path) and logs it as JSON."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            name = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], name, str(status)).inc()
            self.metrics.latency.labels(name).observe(elapsed)
            user = scope.get("state", {}).get("user")
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": name,
                        "status": status,
                        "ms": round(elapsed * 1000, 1),
                        "user": getattr(user, "username", None),
                        "client": (scope.get("client") or ("", 0))[0],
                    }
                },
            )
