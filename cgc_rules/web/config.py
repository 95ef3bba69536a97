"""Settings of `cgc serve`, from command-line options and environment variables (CGC_*)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import CgcError

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
    secret_key: str | None = Field(
        None, min_length=16, description="Signs sessions and kept results (CGC_WEB_SECRET); the same on every replica."
    )
    secure_cookies: bool = False
    public_url: str | None = Field(None, description="The address users reach (CGC_WEB_URL), for OIDC redirects.")
    forwarded_allow_ips: str | None = Field(
        None, description="Reverse proxies whose X-Forwarded-For is trusted (CGC_WEB_FORWARDED_ALLOW_IPS)."
    )
    oidc_issuer: str | None = Field(None, description="OpenID provider (CGC_OIDC_ISSUER): login through it.")
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_role_claim: str = "cgc_role"
    oidc_roles: str = Field(
        "officer=officer,project_leader=project_leader,gmr_team=gmr_team,"
        "corridor_coordinator=corridor_coordinator,read_only=read_only,admin=admin",
        description="Claim value=role pairs (CGC_OIDC_ROLES); a claim value not listed gives no login.",
    )
    oidc_municipality_claim: str = "cgc_municipality"
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0)
    profile: str = Field("amersfoort", description="The profile whose house colours the pages use.")
    corridors_dir: Path | None = Field(
        None,
        description="Writable corridor directories (CGC_WEB_CORRIDORS); "
        "default: the user data directory, seeded with the bundled example.",
    )
    profiles_dir: Path | None = None
    packs_dir: Path | None = Field(None, description="Pack definitions (CGC_PACKS); default: the bundled ones.")
    rulesets_dir: Path | None = None
    metrics_token: str | None = None

    @property
    def network(self) -> bool:
        """Served to a network (any host but loopback): accounts and login are required."""
        return self.host not in LOOPBACK

    def secret(self) -> str:
        """The secret key; on a network it must be given, so replicas share it and restarts keep sessions."""
        if self.secret_key:
            return self.secret_key
        if self.network:
            raise CgcError(
                f"serving to a network ({self.host}) needs a secret key: set CGC_WEB_SECRET "
                "(at least 16 characters, the same on every replica)"
            )
        return secrets.token_urlsafe(32)

    def role_of(self, value: object) -> str | None:
        """The role a claim value maps to (CGC_OIDC_ROLES), or None."""
        pairs = dict(p.split("=", 1) for p in self.oidc_roles.split(",") if "=" in p)
        return pairs.get(value) if isinstance(value, str) else None

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
            ("packs_dir", "CGC_PACKS"),
            ("corridors_dir", "CGC_WEB_CORRIDORS"),
            ("rulesets_dir", "CGC_RULESETS"),
            ("metrics_token", "CGC_WEB_METRICS_TOKEN"),
            ("host", "CGC_WEB_HOST"),
            ("port", "CGC_WEB_PORT"),
            ("max_upload_bytes", "CGC_WEB_MAX_UPLOAD_BYTES"),
            ("public_url", "CGC_WEB_URL"),
            ("forwarded_allow_ips", "CGC_WEB_FORWARDED_ALLOW_IPS"),
            ("oidc_issuer", "CGC_OIDC_ISSUER"),
            ("oidc_client_id", "CGC_OIDC_CLIENT_ID"),
            ("oidc_client_secret", "CGC_OIDC_CLIENT_SECRET"),
            ("oidc_role_claim", "CGC_OIDC_ROLE_CLAIM"),
            ("oidc_roles", "CGC_OIDC_ROLES"),
            ("oidc_municipality_claim", "CGC_OIDC_MUNICIPALITY_CLAIM"),
        ):
            if env.get(name):
                values[key] = env[name]
        if env.get("CGC_WEB_SECURE_COOKIES"):
            values["secure_cookies"] = env["CGC_WEB_SECURE_COOKIES"].lower() in {"1", "true", "yes"}
        values.update({k: v for k, v in given.items() if v is not None})
        return cls.model_validate(values)
