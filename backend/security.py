"""Passwords (salted scrypt), bearer tokens (HMAC-SHA256 signed, with expiry) and refresh secrets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """Slow salted hash: 'scrypt$n$r$p$salt$hash'."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt${n}${r}${p}$".format(**_SCRYPT) + f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against hash_password's output."""
    try:
        algo, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32,
                         n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(got.hex(), digest)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: str, officer_id: int, ttl_seconds: int, now: float, *,
               session_id: str | None = None) -> tuple[str, int]:
    """A signed access token for officer_id in login session `session_id`; returns (token, exp epoch s).

    `now` is epoch seconds from the server clock (backend/services/clock.py), never read here.
    """
    exp = int(now + ttl_seconds)
    claims: dict[str, object] = {"sub": officer_id, "exp": exp}
    if session_id is not None:
        claims["sid"] = session_id
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}", exp


class TokenError(ValueError):
    """A token that is malformed, forged or expired; `code` is the machine-readable reason."""

    def __init__(self, message: str, code: str = "invalid_token") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says: the officer, the login session, the expiry (epoch s)."""

    officer_id: int
    session_id: str | None
    exp: int


INVALID_TOKEN = "Phiên đăng nhập không hợp lệ, vui lòng đăng nhập lại"
EXPIRED_TOKEN = "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại"


def read_token(secret: str, token: str, now: float, *, verify_exp: bool = True) -> TokenClaims:
    """The claims of a valid token, or TokenError (code invalid_token / token_expired).

    verify_exp=False still checks the signature: it lets the server say "revoked" rather than
    "expired" for a revoked session's old token."""
    try:
        body, sig = token.split(".")
        expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(sig, expected):
            raise TokenError(INVALID_TOKEN)
        claims = json.loads(_unb64(body))
        officer_id, exp = int(claims["sub"]), int(claims.get("exp", 0))
        sid = claims.get("sid")
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError(INVALID_TOKEN) from exc
    if verify_exp and exp < now:
        raise TokenError(EXPIRED_TOKEN, "token_expired")
    return TokenClaims(officer_id, sid if isinstance(sid, str) else None, exp)


def new_refresh_token() -> str:
    """An unguessable refresh secret (256 bits); only its hash is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex of a refresh secret: a database leak does not hand out live refresh tokens."""
    return hashlib.sha256(token.encode()).hexdigest()
