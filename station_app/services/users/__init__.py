"""Users and login: accounts and who may manage them, password rules and
hashing (argon2), and the waits after failed logins."""

from station_app.domain.permissions import Permission

from .accounts import (
    LANGUAGES,
    UserView,
    add_user_row,
    change_own_password,
    create_user,
    current_user,
    find_user,
    hash_password,
    list_users,
    reset_password,
    set_active,
    set_password,
    update_user,
)
from .login import LoginFailed, LoginResult, LoginThrottled, authenticate, login
from .passwords import MIN_PASSWORD_LENGTH, check_password

__all__ = [
    "LANGUAGES",
    "MIN_PASSWORD_LENGTH",
    "LoginFailed",
    "LoginResult",
    "LoginThrottled",
    "Permission",
    "UserView",
    "add_user_row",
    "authenticate",
    "change_own_password",
    "check_password",
    "create_user",
    "current_user",
    "find_user",
    "hash_password",
    "list_users",
    "login",
    "reset_password",
    "set_active",
    "set_password",
    "update_user",
]
