"""Encryption at rest: citizens' data in the store and every photo file, under AES-GCM.

One random 256-bit data key per store. On disk it exists only wrapped (AES-GCM) by a key derived
from the officer's username and password with scrypt, so a lost phone yields nothing without the
password, and the officer can still open the app offline: typing the password unwraps the key.
The unwrapped key lives only in this process's memory (`_STATES`, per store file), shared by the
UI's and the sync engine's connections.

Encrypted values are `MAGIC + nonce(12) + ciphertext+tag`. Two SQLite functions on every store
connection, `enc(x)` and `dec(x)`, let the SQL of the store stay as it was. Reads go through
`dec(column)`, so json_extract, ORDER BY and the route search's LIKE keep working on decrypted
values in memory. Writes go through `enc(?)`.

A store with no key row (one that never saw a login: tests, tools) is a plaintext store, and
`enc` passes values through. A store with a key row but no key in memory is locked. There `enc`
refuses to write and `dec` refuses to read, so nothing is ever written in the clear by mistake.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"DSE1"  # Doorstep encrypted value, version 1
NONCE = 12
# scrypt cost: 2^15 * 8 * 128 B = 32 MiB and ~0.1 s on a laptop, well under a second on a cheap phone;
# a guess at the password costs the same, which is what makes a stolen store slow to attack.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
WRAP_AAD = b"doorstep-store-key-v1"


class StoreLocked(Exception):
    """The store is encrypted and its key is not in memory: the officer must log in (online or not)."""


class WrongPassword(Exception):
    """The password does not unwrap this store's key."""


@dataclass
class _State:
    encrypted: bool  # the store has a wrapped key (set at open, and when keys are made or destroyed)
    key: bytes | None = None  # the data key while unlocked


_STATES: dict[str, _State] = {}


def store_ident(db: sqlite_utils.Database) -> str:
    """The keyring name of a store: its database file, or the connection for an in-memory store."""
    ident = getattr(db, "doorstep_ident", None)
    if ident is None:
        raise RuntimeError("not a store opened by mobile.store.open_store")
    return str(ident)


def _state(ident: str) -> _State:
    return _STATES.setdefault(ident, _State(encrypted=False))


def encrypt(key: bytes, data: bytes) -> bytes:
    """AES-GCM with a fresh random nonce."""
    nonce = os.urandom(NONCE)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, None)


def decrypt(key: bytes, blob: bytes) -> bytes:
    """Inverse of `encrypt`; raises InvalidTag when the bytes were changed."""
    return AESGCM(key).decrypt(blob[len(MAGIC):len(MAGIC) + NONCE], blob[len(MAGIC) + NONCE:], None)


def is_encrypted(value: Any) -> bool:
    """True for a value written by `encrypt`."""
    return isinstance(value, bytes | bytearray | memoryview) and bytes(value[:len(MAGIC)]) == MAGIC


def seal_bytes_for(ident: str, data: bytes) -> bytes:
    """Encrypt for this store when it is encrypted; plaintext stores keep the bytes as they are."""
    state = _state(ident)
    if not state.encrypted:
        return data
    if state.key is None:
        raise StoreLocked("Dữ liệu đang khóa: hãy đăng nhập lại")
    return encrypt(state.key, data)


def open_bytes_for(ident: str, data: bytes) -> bytes:
    """Decrypt a value of this store (plaintext values, from before encryption, pass through)."""
    if not is_encrypted(data):
        return bytes(data)
    key = _state(ident).key
    if key is None:
        raise StoreLocked("Dữ liệu đang khóa: hãy đăng nhập lại")
    return decrypt(key, bytes(data))


def seal_bytes(db: sqlite_utils.Database, data: bytes) -> bytes:
    """`seal_bytes_for` the store of this connection."""
    return seal_bytes_for(store_ident(db), data)


def open_bytes(db: sqlite_utils.Database, data: bytes) -> bytes:
    """`open_bytes_for` the store of this connection."""
    return open_bytes_for(store_ident(db), data)


def open_text(db: sqlite_utils.Database, value: Any) -> Any:
    """A column value read without `dec()` in SQL, as text (None stays None)."""
    if value is None or not is_encrypted(value):
        return value
    return open_bytes(db, bytes(value)).decode("utf-8")


def install_functions(db: sqlite_utils.Database, ident: str) -> None:
    """Register `enc` and `dec` on this connection and note whether the store is encrypted."""
    db.doorstep_ident = ident  # type: ignore[attr-defined]

    def enc(value: Any) -> Any:
        if value is None:
            return None
        raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
        sealed = seal_bytes_for(ident, raw)
        return sealed if sealed is not raw else value

    def dec(value: Any) -> Any:
        if value is None or not is_encrypted(value):
            return value
        return open_bytes_for(ident, bytes(value)).decode("utf-8")

    db.conn.create_function("enc", 1, enc)  # not deterministic: a fresh nonce each time
    db.conn.create_function("dec", 1, dec, deterministic=True)
    try:
        has_keys = bool(list(db.query("SELECT 1 FROM store_keys WHERE id = 1")))
    except sqlite3.OperationalError:
        has_keys = False  # before the migration that adds the table
    state = _state(ident)
    state.encrypted = state.encrypted or has_keys


def _kek(username: str, password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # the username is salt too: the same password of two officers gives two different keys
    return Scrypt(salt=salt + username.strip().lower().encode(), length=32, n=n, r=r, p=p).derive(
        password.encode("utf-8"))


def has_keys(db: sqlite_utils.Database) -> bool:
    """True when the store holds a wrapped data key (it is encrypted)."""
    return bool(list(db.query("SELECT 1 FROM store_keys WHERE id = 1")))


def keys_owner(db: sqlite_utils.Database) -> str | None:
    """The username whose password unwraps the store's key, or None."""
    rows = list(db.query("SELECT username FROM store_keys WHERE id = 1"))
    return str(rows[0]["username"]) if rows else None


def is_locked(db: sqlite_utils.Database) -> bool:
    """True when the store is encrypted and its key is not in memory."""
    state = _state(store_ident(db))
    return state.encrypted and state.key is None


def create_keys(db: sqlite_utils.Database, username: str, password: str) -> None:
    """Make a data key, store it wrapped by the officer's password and keep it in memory.

    Call `encrypt_existing` next: a store from before encryption may hold data in the clear.
    """
    key, salt = AESGCM.generate_key(256), os.urandom(16)
    kek = _kek(username, password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    wrapped = _wrap(kek, key)
    db.execute("DELETE FROM store_keys")
    db.execute("INSERT INTO store_keys (id, username, salt, n, r, p, wrapped) VALUES (1, ?, ?, ?, ?, ?, ?)",
               [username.strip().lower(), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, wrapped])
    state = _state(store_ident(db))
    state.encrypted, state.key = True, key


def _wrap(kek: bytes, key: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(kek).encrypt(nonce, key, WRAP_AAD)


def unlock(db: sqlite_utils.Database, username: str, password: str) -> None:
    """Unwrap the data key with the officer's password (works offline); WrongPassword when it does not."""
    rows = list(db.query("SELECT * FROM store_keys WHERE id = 1"))
    if not rows or rows[0]["username"] != username.strip().lower():
        raise WrongPassword("Không có dữ liệu của tài khoản này trên máy")
    row = rows[0]
    kek = _kek(username, password, bytes(row["salt"]), row["n"], row["r"], row["p"])
    wrapped = bytes(row["wrapped"])
    try:
        key = AESGCM(kek).decrypt(wrapped[:NONCE], wrapped[NONCE:], WRAP_AAD)
    except InvalidTag as exc:
        raise WrongPassword("Sai mật khẩu") from exc
    state = _state(store_ident(db))
    state.encrypted, state.key = True, key


def lock(db: sqlite_utils.Database) -> None:
    """Forget the data key in memory (the store stays encrypted)."""
    _state(store_ident(db)).key = None


def destroy_keys(db: sqlite_utils.Database) -> None:
    """Delete the wrapped key and forget it: whatever is still encrypted can never be read again."""
    db.execute("DELETE FROM store_keys")
    state = _state(store_ident(db))
    state.encrypted, state.key = False, None


# Every column holding citizens' data (or the evidence key); catalogues and units are public.
ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "citizens": ("body", "full_name", "id_number", "search"),
    "visits": ("body", "search"),
    "dossiers": ("body",),
    "outbox": ("body", "result"),
    "drafts": ("data",),
    "visit_overrides": ("visit_patch", "dossier_patch"),
    "blobs": ("data",),
    "device_key": ("private_key",),
}


def encrypt_existing(db: sqlite_utils.Database, blob_files: list[Any]) -> int:
    """Encrypt values and blob files still in the clear (the store must be unlocked); returns how many."""
    done = 0
    for table, columns in ENCRYPTED_COLUMNS.items():
        for column in columns:
            done += db.execute(f"UPDATE {table} SET {column} = enc({column})"
                               f" WHERE {column} IS NOT NULL AND substr({column}, 1, 4) != ?",
                               [MAGIC]).rowcount
    for path in blob_files:
        data = path.read_bytes()
        if not is_encrypted(data):
            tmp = path.with_name(f".{path.name}.enc.tmp")
            tmp.write_bytes(seal_bytes(db, data))
            os.replace(tmp, path)
            done += 1
    return done
