"""Login through an OpenID provider: authorization code flow with PKCE (Authlib), claims mapped to a user.

The provider's claims name the role (`CGC_OIDC_ROLE_CLAIM`, values mapped by `CGC_OIDC_ROLES`) and, when
given, the municipality the user is scoped to (`CGC_OIDC_MUNICIPALITY_CLAIM`, a name the municipality
registry knows). The session keeps the mapped user and the ID token, which logout hands back to the
provider (RP-initiated logout) after ending the session here.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import Response

from ..errors import CgcError
from .accounts import Role
from .auth import AuthBackend, User
from .config import Config
from .municipalities import registry

CALLBACK = "/inloggen/oidc"


class Refused(Exception):
    """A login the provider answered but we do not accept; `account` names who tried (for the log)."""

    def __init__(self, account: str, reason: str):
        super().__init__(reason)
        self.account, self.reason = account, reason


class OidcBackend(AuthBackend):
    def __init__(self, config: Config):
        if not (config.oidc_issuer and config.oidc_client_id):
            raise CgcError("OpenID Connect needs CGC_OIDC_ISSUER and CGC_OIDC_CLIENT_ID")
        self.config = config
        oauth = OAuth()
        oauth.register(
            "provider",
            client_id=config.oidc_client_id,
            client_secret=config.oidc_client_secret,
            server_metadata_url=config.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
        )
        self.client: Any = oauth.create_client("provider")

    def user(self, session: dict[str, Any]) -> User | None:
        name, mapped = session.get("user"), session.get("oidc")
        if not isinstance(name, str) or not isinstance(mapped, dict):
            return None
        return User(name, frozenset({Role(mapped["role"])}), mapped.get("municipality"))

    def _url(self, request: Request, path: str) -> str:
        base = self.config.public_url or str(request.base_url)
        return base.rstrip("/") + path

    async def begin(self, request: Request) -> Response:
        """Off to the provider, with a fresh state, nonce and PKCE verifier kept in the session."""
        response: Response = await self.client.authorize_redirect(request, self._url(request, CALLBACK))
        return response

    async def finish(self, request: Request) -> User:
        """Back from the provider: the code exchanged (with the verifier), the ID token checked, claims mapped."""
        try:
            token = await self.client.authorize_access_token(request)
            claims = {**(token.get("userinfo") or {}), **(await self.client.userinfo(token=token))}
        except OAuthError as exc:
            raise Refused("", exc.error or "oauth error") from None
        name = str(claims.get("preferred_username") or claims.get("sub") or "")
        role = self.config.role_of(claims.get(self.config.oidc_role_claim))
        if not name or role is None:
            raise Refused(name, "no role for this account")
        place = claims.get(self.config.oidc_municipality_claim)
        municipality = None
        if isinstance(place, str) and place:
            found = registry().find(place)
            if found is None:
                raise Refused(name, f"unknown municipality {place!r}")
            municipality = found.name
        elif role == Role.project_leader.value:
            raise Refused(name, "a project leader without a municipality")
        request.session.clear()
        request.session.update(
            {
                "user": name,
                "since": time.time(),
                "oidc": {"role": role, "municipality": municipality, "id_token": token.get("id_token")},
            }
        )
        return self.user(request.session) or User(name, frozenset())

    async def logout_url(self, request: Request, id_token: str | None) -> str:
        """The provider's end-session address (the user comes back to the login page), or the login page."""
        metadata = await self.client.load_server_metadata()
        end = metadata.get("end_session_endpoint")
        back = self._url(request, "/inloggen")
        if not end:
            return back
        query = {"post_logout_redirect_uri": back, "client_id": self.config.oidc_client_id}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{end}?{urlencode(query)}"
