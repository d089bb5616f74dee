"""Bids: economic operators, consortia in rings, subcontract commitments, sealed submissions and their opening.

Shape fixed by docs/adr/0008-bids-consortia-sealing-deadline.md. Written only through bids.services. Before the
opening the database holds ciphertext, sizes and hashes of a submission, never its content (bids.sealing).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import validate_kvk

MONEY = {"max_digits": 14, "decimal_places": 2}


class OperatorKind(models.TextChoices):
    """What kind of organisation an operator declares itself to be; the last three count as small organisations."""

    COMPANY = "company", _("Company")
    WELFARE = "welfare", _("Welfare or care organisation")
    VOLUNTEER = "volunteer", _("Volunteer organisation")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    SELF_ORGANISATION = "self_organisation", _("Community self-organisation")


SMALL_OPERATOR_KINDS = frozenset(
    {OperatorKind.VOLUNTEER, OperatorKind.SOCIAL_ENTERPRISE, OperatorKind.SELF_ORGANISATION}
)


class EconomicOperator(models.Model):
    """Any organisation that may bid ("ondernemer"): it registers itself, confirms its e-mail address and invites
    colleagues. Identified by a KvK number or, abroad, a foreign registration number."""

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind of organisation"), max_length=24, choices=OperatorKind.choices)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, validators=[validate_kvk])
    foreign_registration = models.CharField(_("foreign registration number"), max_length=64, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    street = models.CharField(_("street and number"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=16)
    city = models.CharField(_("place"), max_length=120)
    contact_name = models.CharField(_("contact person"), max_length=255)
    contact_email = models.EmailField(_("e-mail address"))
    contact_phone = models.CharField(_("telephone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("economic operator")
        verbose_name_plural = _("economic operators")
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], condition=~models.Q(kvk_number=""), name="operator_kvk"),
            models.CheckConstraint(
                name="operator_identified",
                condition=~models.Q(kvk_number="") | ~models.Q(foreign_registration=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_small(self) -> bool:
        return self.kind in SMALL_OPERATOR_KINDS


class OperatorMember(models.Model):
    """A user who acts for an operator. The first member (the registrant) manages the operator and invites others."""

    operator = models.ForeignKey(EconomicOperator, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator_memberships")
    is_manager = models.BooleanField(_("manages the organisation"), default=False)
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["operator", "user"], name="operator_member_once")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.operator}"


class OperatorToken(models.Model):
    """A one-time token sent by e-mail: confirming the operator's address, or inviting a colleague. Only the SHA-256
    of the token is stored."""

    class Purpose(models.TextChoices):
        CONFIRM_EMAIL = "confirm_email", _("Confirm e-mail address")
        INVITATION = "invitation", _("Invitation")

    operator = models.ForeignKey(EconomicOperator, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    email = models.EmailField()
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.operator}"


class OperatorMatch(models.Model):
    """The link of an operator to the organisation that represents it in a municipality's landscape registry:
    proposed by the software (same KvK number or name), confirmed or rejected by the municipality."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    operator = models.ForeignKey(EconomicOperator, on_delete=models.CASCADE, related_name="matches")
    organisation = models.ForeignKey("landscape.Organisation", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["operator", "organisation"], name="operator_match_once")]

    def __str__(self) -> str:
        return f"{self.operator} ~ {self.organisation}"


class CommissioningKey(models.Model):
    """The commissioning's X25519 key pair for sealing: the public key seals every submission; the private key is
    stored only wrapped by the key-encryption key outside the database (settings.BIDS_KEK) and is unwrapped by the
    opening service alone."""

    commissioning = models.OneToOneField("tenders.Commissioning", on_delete=models.PROTECT, related_name="seal_key")
    public_key = models.BinaryField()
    wrapped_private_key = models.BinaryField()
    kek_id = models.CharField(max_length=16)  # fingerprint of the KEK that wraps it (never the KEK itself)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.commissioning} ({self.kek_id})"


class SubmissionRules(models.Model):
    """What the commissioning allows per submission: the length of an answer and the size of files."""

    commissioning = models.OneToOneField(
        "tenders.Commissioning", on_delete=models.CASCADE, related_name="submission_rules"
    )
    answer_max_chars = models.PositiveIntegerField(_("maximum characters per answer"), default=6000)
    file_max_bytes = models.PositiveIntegerField(_("maximum size per file (bytes)"), default=10 * 1024 * 1024)
    submission_max_bytes = models.PositiveIntegerField(
        _("maximum size per submission (bytes)"), default=25 * 1024 * 1024
    )

    def __str__(self) -> str:
        return str(self.commissioning)


class Submission(models.Model):
    """One envelope of a lead operator for a commissioning: a request to participate (selection stage) or a bid on
    one lot. Its draft is shared by the bidding organisations; submitting seals a new version; only the last
    non-withdrawn version counts."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request to participate")
        BID = "bid", _("Bid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="submissions")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    lead = models.ForeignKey(EconomicOperator, on_delete=models.PROTECT, related_name="led_submissions")
    consortium_name = models.CharField(_("name of the consortium"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The candidate record the officer decides on, once a request to participate has been opened.
    candidate = models.OneToOneField(
        "tenders.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    # Counted up by every service that changes the draft or the consortium (under the submission's lock), so that a
    # submission prepared before the deadline lock is sealed only if nothing changed since (bids.services.submission).
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["commissioning", "lot", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["commissioning", "lot", "kind", "lead"], name="submission_once"),
            models.CheckConstraint(
                name="bid_has_lot_request_has_none",
                condition=models.Q(kind="bid", lot__isnull=False) | models.Q(kind="request", lot__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.consortium_name or self.lead.name


class DraftItem(models.Model):
    """One part of a draft: an answer to an award criterion, an attachment, or the consortium form. The content is
    encrypted with a draft key wrapped by the KEK (bidders can read their own draft; a dump cannot)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        FILE = "file", _("Attachment")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="draft_items")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    criterion = models.ForeignKey("tenders.Criterion", on_delete=models.PROTECT, null=True, blank=True)
    # File name and media type are content too: sealed with the rest. `ciphertext` holds small items; files live in
    # `blob` (encrypted on disk).
    ciphertext = models.BinaryField(blank=True, default=b"")
    blob = models.FileField(upload_to="bids/drafts/", blank=True)
    size = models.PositiveIntegerField(default=0)
    confidential = models.BooleanField(_("confidential (Aw 2.57)"), default=False)
    confidential_reason = models.CharField(_("reason for confidentiality"), max_length=500, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "kind", "criterion", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"], condition=models.Q(kind="answer"), name="draft_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.pk}"


class DraftKey(models.Model):
    """The data key of a submission's draft, wrapped by the KEK."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="draft_key")
    wrapped_key = models.BinaryField()
    kek_id = models.CharField(max_length=16)

    def __str__(self) -> str:
        return f"{self.submission_id} ({self.kek_id})"


class SealedVersion(models.Model):
    """A submitted version: the canonical bundle (answers, files, consortium) sealed with the commissioning's public
    key, with its receipt. Only the last version that is not withdrawn counts."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    received_at = models.DateTimeField(_("received at"))
    receipt_sha256 = models.CharField(_("receipt (SHA-256)"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    ephemeral_public_key = models.BinaryField()
    wrapped_data_key = models.BinaryField()
    # The sealed bundle: format 2 (docs/adr/0012) in the row itself (small: the manifest and the attachments' keys,
    # durable with the commit); format 1 (versions sealed before, the files inside) in a file.
    sealed_bundle = models.BinaryField(blank=True, default=b"")
    sealed_blob = models.FileField(upload_to="bids/sealed/", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Set by the opening: the data key re-wrapped by the KEK, so that authorised readers can decrypt it.
    opened_data_key = models.BinaryField(null=True, blank=True)
    # The bidder's own copy of the canonical manifest, encrypted with the submission's draft key: its members can
    # download what they sent (and check it against the receipt) without the commissioning's private key.
    bidder_manifest = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="sealed_version_number")]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"

    @property
    def counts(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None


class SealedAttachment(models.Model):
    """An attachment of a sealed version (bids.sealing format 2): the immutable blob its draft wrote once, while it was
    uploaded (bids.attachments). Its key is inside the sealed bundle, readable with the commissioning's private key
    only; this row names the blob so that it is kept as long as the version is (and lists sizes, not content)."""

    version = models.ForeignKey(SealedVersion, on_delete=models.PROTECT, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    blob = models.FileField(upload_to="bids/attachments/", max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="sealed_attachment_position")]

    def __str__(self) -> str:
        return f"{self.version} #{self.position}"


class LateAttempt(models.Model):
    """A submission refused because the server clock had passed the deadline; listed in the opening record."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="late_attempts")
    submission = models.ForeignKey(Submission, on_delete=models.SET_NULL, null=True, related_name="late_attempts")
    operator = models.ForeignKey(EconomicOperator, on_delete=models.SET_NULL, null=True, related_name="+")
    attempted_at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.commissioning} {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class Participation(models.Model):
    """An operator's place in a submission: ring 0 the lead (exactly one), ring 1 consortium members, rings 2 and 3
    subcontractors. Pending until a member of that operator confirms it from their own account."""

    class Ring(models.IntegerChoices):
        LEAD = 0, _("Lead")
        MEMBER = 1, _("Consortium member")
        SUBCONTRACTOR = 2, _("Subcontractor")
        SUB_SUBCONTRACTOR = 3, _("Subcontractor of a subcontractor")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="participations")
    operator = models.ForeignKey(EconomicOperator, on_delete=models.PROTECT, related_name="participations")
    ring = models.PositiveSmallIntegerField(_("ring"), choices=Ring.choices)
    role = models.CharField(_("role in the consortium"), max_length=255, blank=True)
    # For ring 3: the subcontractor (ring 2) it works for.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Directive 2014/24/EU art. 63: this participant relies on the capacity of another participant.
    relies_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="relied_on_by")

    class Meta:
        ordering = ["submission", "ring", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "operator"], name="participation_once"),
            models.UniqueConstraint(fields=["submission"], condition=models.Q(ring=0), name="participation_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.operator} ({self.get_ring_display()})"


class SubcontractCommitment(models.Model):
    """What a bid commits to a subcontractor: an amount per year or a share of the lot budget, for a number of
    years, for activities and districts, and whether it continues an activity funded today."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="commitments")
    amount_per_year = models.DecimalField(_("amount per year"), null=True, blank=True, **MONEY)
    share_of_lot_budget = models.DecimalField(
        _("share of the lot budget (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    years = models.PositiveSmallIntegerField(_("years"), validators=[MinValueValidator(1)])
    activities = models.ManyToManyField("landscape.Activity", blank=True, related_name="+")
    districts = models.ManyToManyField("landscape.District", blank=True, related_name="+")
    continues_activity = models.ForeignKey(
        "landscape.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("what the subcontractor does"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="commitment_amount_xor_share",
                condition=(
                    models.Q(amount_per_year__isnull=False, share_of_lot_budget__isnull=True)
                    | models.Q(amount_per_year__isnull=True, share_of_lot_budget__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participation} × {self.years}"


class Declaration(models.Model):
    """The self-declaration (UEA/ESPD) of one participant: the exclusion grounds of Directive 2014/24/EU art. 57
    answered one by one."""

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="declaration")
    # {"ground code": {"applies": bool, "explanation_sealed": base64}}: the explanation is encrypted (bids.declarations
    # reads it); the codes are listed in bids.rules.EXCLUSION_GROUNDS.
    answers = models.JSONField(default=dict)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    declared_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.participation)


class Opener(models.Model):
    """A municipal user appointed to open the submissions of one commissioning."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.CASCADE, related_name="openers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    appointed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commissioning", "user"], name="opener_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.commissioning}"


class Opening(models.Model):
    """The two-person opening of the requests or the bids of a commissioning (Directive 2014/24/EU Annex IV)."""

    commissioning = models.ForeignKey("tenders.Commissioning", on_delete=models.PROTECT, related_name="openings")
    kind = models.CharField(max_length=8, choices=Submission.Kind.choices)
    started_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    record_pdf = models.FileField(upload_to="bids/openings/", blank=True)
    # The check of every counting version at the opening (Annex IV (g)): [{"version": id, "ok": bool, "problem": code}]
    # with problem "" | "undecryptable" | "receipt_mismatch" | "file_mismatch"; listed in the opening record.
    integrity = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["commissioning", "kind"], name="opening_once")]

    def __str__(self) -> str:
        return f"{self.commissioning} ({self.kind})"


class OpeningConfirmation(models.Model):
    """One opener's confirmation, made with a verified second factor."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="confirmations")
    opener = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["confirmed_at"]
        constraints = [models.UniqueConstraint(fields=["opening", "opener"], name="opening_confirmed_once")]

    def __str__(self) -> str:
        return f"{self.opener} {self.confirmed_at:%Y-%m-%d %H:%M}"
