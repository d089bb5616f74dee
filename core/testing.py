"""Test helpers shared by every app's tests: factories and logging in with a verified second factor."""

import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Municipality, Role, RoleAssignment, User

PASSWORD = "correct horse battery"  # noqa: S105  (test users only: every UserFactory user's password)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    # GM9000–GM9999 (no real municipality), cycling: a worker makes more than 1,000 over a run, and the column has 6.
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role, municipality=None, organisation=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, municipality=municipality, organisation=organisation)
    if role != Role.PROVIDER_REPRESENTATIVE and role != Role.SOCIAL_WORKER:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def login(client, user):
    """Log `user` in on a Django test client, with the second factor verified when they have a device."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def run_queued_tasks() -> int:
    """Play the worker inside a test's transaction: run every task waiting in the database queue (as
    `manage.py run_worker --batch` does, which cannot run there: it closes the database connection between tasks).
    Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
