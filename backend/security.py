"""Passwords (salted scrypt) and bearer tokens (HMAC-SHA256 signed, with expiry)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

from api_client.domain.clock import now_utc

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


def make_token(secret: str, officer_id: int, ttl_seconds: int, now: float | None = None) -> tuple[str, int]:
    """A signed token for officer_id; returns (token, expires_at as epoch seconds)."""
    exp = int((now if now is not None else now_utc().timestamp()) + ttl_seconds)
    body = _b64(json.dumps({"sub": officer_id, "exp": exp}, separators=(",", ":")).encode())
    sig = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}", exp


class TokenError(ValueError):
    """A token that is malformed, forged or expired."""


def read_token(secret: str, token: str, now: float | None = None) -> int:
    """The officer id in a valid token, or TokenError saying why it is not valid."""
    try:
        body, sig = token.split(".")
        expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(sig, expected):
            raise TokenError("Phiên đăng nhập không hợp lệ (invalid token signature)")
        claims = json.loads(_unb64(body))
    except (ValueError, json.JSONDecodeError) as exc:
        if isinstance(exc, TokenError):
            raise
        raise TokenError("Phiên đăng nhập không hợp lệ (malformed token)") from exc
    if claims.get("exp", 0) < (now if now is not None else now_utc().timestamp()):
        raise TokenError("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại (token expired)")
    return int(claims["sub"])
