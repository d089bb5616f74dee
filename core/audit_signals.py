"""Audit events for logins, failed logins, wrong second-factor codes and lockouts (issue #10).

Listens to Django's auth signals, core.signals and, when django-axes is installed, axes' lockout signal; the login code
itself only sends signals. Never records a password or a code: only the username, and the municipalities of the user
(so that their auditors see the event)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save

from audit.services import record

from .signals import login_locked_out, second_factor_failed


def _scope(user):
    """The roles and municipalities of a user, for the event."""
    from .access import municipalities_for, roles_for  # noqa: PLC0415

    if user is None:
        return "", None
    roles = roles_for(user)
    if user.is_superuser:
        roles = set(roles) | {"superuser"}
    if user.is_superuser:
        return ",".join(sorted(roles)), None  # events without a municipality: seen by superusers only
    return ",".join(sorted(roles)), list(municipalities_for(user))


def _known_user(username: str):
    if not username:
        return None
    User = get_user_model()  # noqa: N806
    return User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()


def on_login(sender, request, user, **kwargs):
    role, municipalities = _scope(user)
    record("core.login", actor=user, role=role, municipality=municipalities, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]  # the password in `credentials` is never read
    user = _known_user(username)
    role, municipalities = _scope(user)
    record(
        "core.login_failed",
        actor=username or "?",
        role=role,
        municipality=municipalities,
        obj=user,
        summary={"username": username, "known_user": user is not None},
    )


def on_second_factor_failed(sender, user, request=None, **kwargs):
    role, municipalities = _scope(user)
    record("core.second_factor_failed", actor=user.get_username(), role=role, municipality=municipalities, obj=user)


def on_locked_out(sender, username="", request=None, **kwargs):
    username = str(username or "")[:150]
    user = _known_user(username)
    role, municipalities = _scope(user)
    record(
        "core.lockout",
        actor=username or "?",
        role=role,
        municipality=municipalities,
        obj=user,
        summary={"username": username},
    )


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    """A superuser created by any path (createsuperuser, a shell, a service) is an event of its own."""
    if created and instance.is_superuser and not raw:
        record(
            "core.superuser.create",
            actor=None,
            role="",
            obj=instance,
            summary={"username": instance.get_username(), "is_superuser": True},
        )


def connect():
    from django.apps import apps  # noqa: PLC0415

    post_save.connect(on_user_saved, sender=get_user_model(), dispatch_uid="audit.superuser_created")
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    second_factor_failed.connect(on_second_factor_failed, dispatch_uid="audit.second_factor_failed")
    login_locked_out.connect(on_locked_out, dispatch_uid="audit.locked_out")
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out  # noqa: PLC0415

        user_locked_out.connect(on_locked_out, dispatch_uid="audit.axes_locked_out")
