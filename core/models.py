"""Municipalities, purchasing organisations, users and their roles, and background jobs."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_municipality_code


class ContactDetails(models.Model):
    """The postal address and contact point of a buyer, published with its procedures (OCDS `parties`)."""

    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact point"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_telephone = models.CharField(_("contact telephone"), max_length=30, blank=True)

    CONTACT_FIELDS = [
        "street_address",
        "postal_code",
        "locality",
        "contact_name",
        "contact_email",
        "contact_telephone",
    ]

    class Meta:
        abstract = True


class Municipality(ContactDetails):
    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True, validators=[validate_municipality_code])
    name = models.CharField(_("name"), max_length=200)
    # NL Design System design tokens (CSS custom properties without the leading "--") that theme every page shown
    # for this municipality, e.g. {"utrecht-button-primary-action-background-color": "#c4161c"}.
    design_tokens = models.JSONField(_("design tokens"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.cbs_code})"


class PurchasingOrganisation(ContactDetails):
    """A (regional) purchasing organisation that commissions on behalf of one or more municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="purchasing_organisations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("purchasing organisation")
        verbose_name_plural = _("purchasing organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    POLICY_ADVISOR = "policy_advisor", _("Policy advisor")
    PROCUREMENT_OFFICER = "procurement_officer", _("Procurement officer")
    EVALUATOR = "evaluator", _("Evaluator")
    CONTRACT_MANAGER = "contract_manager", _("Contract manager")
    PROVIDER_REPRESENTATIVE = "provider_representative", _("Provider representative")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    AUDITOR = "auditor", _("Auditor (read-only)")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles held by municipal staff: these require two-factor authentication (TOTP).
MUNICIPAL_ROLES = frozenset(
    {
        Role.POLICY_ADVISOR,
        Role.PROCUREMENT_OFFICER,
        Role.EVALUATOR,
        Role.CONTRACT_MANAGER,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)


class RoleAssignment(models.Model):
    """A user holds a role for one municipality, or for every municipality a purchasing organisation acts for.

    A provider representative also names the organisation (landscape) they speak for.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    purchasing_organisation = models.ForeignKey(
        PurchasingOrganisation, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        "landscape.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="representatives"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_is_municipality_xor_purchasing_organisation",
                condition=(
                    models.Q(municipality__isnull=False, purchasing_organisation__isnull=True)
                    | models.Q(municipality__isnull=True, purchasing_organisation__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="provider_representative_names_organisation",
                condition=~models.Q(role="provider_representative") | models.Q(organisation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        scope = self.municipality or self.purchasing_organisation
        return f"{self.user} – {self.get_role_display()} – {scope}"


class Job(models.Model):
    """A long-running piece of work (import, analysis, export) that runs outside the request: the progress record
    that pages poll; the work itself is a django-tasks task (core.jobs)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=100)
    params = models.JSONField(default=dict, blank=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    input_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The django-tasks result (django_tasks_db.DBTaskResult id) of the current attempt; how many attempts started;
    # the running worker's last sign of life (core.jobs.reap_stale_jobs).
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class PublicVersion(models.Model):
    """How often the public data of a scope changed: a counter per municipality (its CBS code), one for writes without
    a municipality (they may touch any municipality's pages) and one for all writes (national pages). Every audited
    service write bumps it in its own transaction (core.page_cache.bump, on audit.services.event_recorded); cached
    public pages are keyed by it, so that every web process sees a write at its next request."""

    scope = models.CharField(max_length=16, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public page version")
        verbose_name_plural = _("public page versions")

    def __str__(self) -> str:
        return f"{self.scope or '-'}: {self.version}"


class LoginThrottle(models.Model):
    """Failed logins of one username (core.throttle). One row per username, locked (SELECT … FOR UPDATE) while an
    attempt is checked, so parallel attempts are counted one after another and none is lost."""

    key = models.CharField(max_length=64, unique=True)  # SHA-256 of the case-folded username: no names stored
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.key[:12]
