"""The channel's cryptography, all of it from libsodium through PyNaCl (no home-made primitive).

- A case key is a random 32-byte XSalsa20-Poly1305 key (`SecretBox`); facts, identity,
  attachments, messages and the officer's notes are encrypted with it (`encrypt`/`decrypt`).
- The case key is sealed (`SealedBox`, X25519 + XSalsa20-Poly1305) for each integrity member's
  public key and for the escrow public key, and encrypted for the filer with a key derived from
  their receipt (Argon2id, `derive_key`).
- A member's private key is encrypted with a key derived from their password (Argon2id with
  their own salt); the escrow private key is printed once and never stored.
- The receipt itself is stored only as an Argon2id hash under the channel's salt (`receipt_hash`),
  so it can be looked up without storing anything reversible.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.conf import settings
from nacl import exceptions, public, pwhash, secret, utils

KEY_BYTES = secret.SecretBox.KEY_SIZE
SALT_BYTES = pwhash.argon2id.SALTBYTES
RECEIPT_DIGITS = 20
CryptoError = exceptions.CryptoError


@dataclass(frozen=True)
class KdfParams:
    ops: int
    mem: int  # bytes


def kdf_params() -> KdfParams:
    """Argon2id cost for new keys and hashes (stored with each, so a change never breaks the old)."""
    return KdfParams(
        ops=int(getattr(settings, "SIG_WB_KDF_OPS", 3)),
        mem=int(getattr(settings, "SIG_WB_KDF_MEM_KB", 65536)) * 1024,
    )


def new_key() -> bytes:
    return utils.random(KEY_BYTES)


def new_salt() -> bytes:
    return utils.random(SALT_BYTES)


def encrypt(key: bytes, plaintext: bytes) -> bytes:
    return bytes(secret.SecretBox(key).encrypt(plaintext))


def decrypt(key: bytes, ciphertext: bytes | memoryview) -> bytes:
    return bytes(secret.SecretBox(key).decrypt(bytes(ciphertext)))


def encrypt_text(key: bytes, text: str) -> bytes:
    return encrypt(key, text.encode("utf-8"))


def decrypt_text(key: bytes, ciphertext: bytes | memoryview | None) -> str:
    if not ciphertext:
        return ""
    return decrypt(key, ciphertext).decode("utf-8")


def derive_key(secret_text: str, salt: bytes, params: KdfParams) -> bytes:
    return bytes(
        pwhash.argon2id.kdf(
            KEY_BYTES, secret_text.encode("utf-8"), bytes(salt), opslimit=params.ops, memlimit=params.mem
        )
    )


def new_keypair() -> tuple[bytes, bytes]:
    """(public, private) X25519 key pair."""
    private = public.PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_from_private(private: bytes) -> bytes:
    return bytes(public.PrivateKey(private).public_key)


def seal(public_key: bytes, data: bytes) -> bytes:
    return bytes(public.SealedBox(public.PublicKey(bytes(public_key))).encrypt(data))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    return bytes(public.SealedBox(public.PrivateKey(bytes(private_key))).decrypt(bytes(sealed)))


# --- receipts ---------------------------------------------------------------------------------


def new_receipt() -> str:
    """20 random decimal digits (about 66 bits), from the operating system's CSPRNG."""
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def normalise_receipt(raw: str) -> str | None:
    """The digits of a receipt as typed (spaces, dashes allowed); None when it cannot be one."""
    digits = "".join(ch for ch in (raw or "")[:80] if ch not in " -\t")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def format_receipt(receipt: str) -> str:
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def receipt_hash(receipt: str, salt: bytes, params: KdfParams) -> str:
    """The stored form of a receipt: its Argon2id hash under the channel's salt (hex)."""
    return derive_key("lookup:" + receipt, salt, params).hex()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


# --- the escrow recovery sheet ----------------------------------------------------------------


def sheet_text(private_key: bytes) -> str:
    """The escrow private key as printed: base32 in groups of five, with a check of 4 characters."""
    import hashlib

    body = base64.b32encode(private_key).decode("ascii").rstrip("=")
    check = hashlib.sha256(private_key).hexdigest()[:4].upper()
    groups = [body[i : i + 5] for i in range(0, len(body), 5)]
    return " ".join(groups) + " " + check


def parse_sheet(text: str) -> bytes:
    import hashlib

    cleaned = "".join(text.split()).upper()
    body, check = cleaned[:-4], cleaned[-4:]
    padded = body + "=" * (-len(body) % 8)
    try:
        key = base64.b32decode(padded)
    except ValueError:
        raise ValueError("not a recovery sheet") from None
    if len(key) != 32 or hashlib.sha256(key).hexdigest()[:4].upper() != check:
        raise ValueError("the recovery key does not match its check characters")
    return key
