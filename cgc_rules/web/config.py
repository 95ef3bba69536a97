"""Settings of `cgc serve`, from command-line options and environment variables (CGC_*)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def default_accounts_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cgc" / "accounts.json"


class Config(BaseModel):
    """Everything the app needs to know at start-up; nothing else is read from the environment later."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    database_url: str | None = Field(None, description="The store (CGC_DATABASE_URL); used once the store exists.")
    accounts_file: Path = Field(default_factory=default_accounts_file)
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)
    secure_cookies: bool = False
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0)
    profile: str = Field("amersfoort", description="The profile whose house colours the pages use.")
    corridors_dir: Path | None = Field(
        None,
        description="Writable corridor directories (CGC_WEB_CORRIDORS); "
        "default: the user data directory, seeded with the bundled example.",
    )
    profiles_dir: Path | None = None
    rulesets_dir: Path | None = None
    metrics_token: str | None = None

    @property
    def network(self) -> bool:
        """Served to a network (any host but loopback): accounts and login are required."""
        return self.host not in LOOPBACK

    @classmethod
    def from_env(cls, **given: object) -> Config:
        """Options given on the command line win over CGC_* environment variables, which win over defaults."""
        env = os.environ
        values: dict[str, object] = {}
        for key, name in (
            ("database_url", "CGC_DATABASE_URL"),
            ("accounts_file", "CGC_WEB_ACCOUNTS"),
            ("secret_key", "CGC_WEB_SECRET"),
            ("profile", "CGC_WEB_PROFILE"),
            ("profiles_dir", "CGC_PROFILES"),
            ("corridors_dir", "CGC_WEB_CORRIDORS"),
            ("rulesets_dir", "CGC_RULESETS"),
            ("metrics_token", "CGC_WEB_METRICS_TOKEN"),
            ("host", "CGC_WEB_HOST"),
            ("port", "CGC_WEB_PORT"),
            ("max_upload_bytes", "CGC_WEB_MAX_UPLOAD_BYTES"),
        ):
            if env.get(name):
                values[key] = env[name]
        if env.get("CGC_WEB_SECURE_COOKIES"):
            values["secure_cookies"] = env["CGC_WEB_SECURE_COOKIES"].lower() in {"1", "true", "yes"}
        values.update({k: v for k, v in given.items() if v is not None})
        return cls.model_validate(values)
