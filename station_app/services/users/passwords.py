"""Password hashing and the rule a new password must pass.

Argon2id with OWASP's first recommended parameters (Password Storage Cheat
Sheet): 19 MiB, two passes, one lane. RFC 9106's second recommendation
(64 MiB, three passes) costs a guesser about five times as much per try, but
on the modest office PC of a county station it takes 0.3 s or more of the
login and raises the program's peak memory by 64 MiB (a third of it at start);
19 MiB and two passes take about 50 ms and still make every guess at a stolen
hash cost its memory. Hashes made with other parameters (the 64 MiB ones of
the first versions) are upgraded at the next good login
(``check_needs_rehash``).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from station_app.domain.errors import N_, ValidationError
from station_app.paths import resources_dir

MIN_PASSWORD_LENGTH = 8
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1

hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)

COMMON_PASSWORDS_FILE = "common_passwords.txt"

ONLY_SPACES = N_("The password cannot be only spaces. Type letters, digits or signs.")
TOO_SHORT = N_("The password must have at least {count} characters.")
SAME_AS_NAME = N_("The password cannot be the user name. Choose another password.")
TOO_COMMON = N_(
    "This password is one of the most common ones, which are guessed first. Choose "
    "a longer one that is not a word, a date or a run of keys."
)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the most common passwords, in lower case."""
    text = (resources_dir() / COMMON_PASSWORDS_FILE).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_password(password: str, username: str | None = None, *, common: bool = True) -> None:
    """Refuse a password that is easy to guess (``common=False``: skip the list,
    for the demo's published passwords)."""
    if not password.strip():
        raise ValidationError(ONLY_SPACES, field="password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(TOO_SHORT, field="password", count=MIN_PASSWORD_LENGTH)
    folded = password.strip().lower()
    if username and folded in {username.strip().lower(), username.strip().lower()[::-1]}:
        raise ValidationError(SAME_AS_NAME, field="password")
    if common and (folded in common_passwords() or len(set(folded)) <= 2):
        raise ValidationError(TOO_COMMON, field="password")


def hash_password(password: str, username: str | None = None, *, common: bool = True) -> str:
    """The argon2 hash of ``password`` once it passes :func:`check_password`."""
    check_password(password, username, common=common)
    return hasher.hash(password)


@cache
def _dummy_hash() -> str:
    # Verified when no account matches, so that an unknown name costs the same
    # time as a known one and names cannot be found by timing.
    return hasher.hash("not a password of anyone: the unknown-name decoy")


def verify(digest: str | None, password: str) -> bool:
    """Whether ``password`` matches ``digest``; ``None`` checks a decoy (always False)."""
    try:
        return hasher.verify(digest if digest is not None else _dummy_hash(), password) and (
            digest is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(digest: str) -> bool:
    try:
        return hasher.check_needs_rehash(digest)
    except InvalidHashError:
        return True
