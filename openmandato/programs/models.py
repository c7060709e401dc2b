"""A municipality's mandate program: mandates, principles, sections, actions and responsible areas."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from openmandato.core.models import LoggedModel, Membership, Role, TenantLink, TenantRow
from openmandato.core.permissions import can_see_staff_pages, is_superuser, staff_municipalities
from openmandato.programs.logos import logo_upload_to, validate_logo
from openmandato.programs.status import Status
from openmandato.programs.textsearch import document_terms

TITLE_MAX_LENGTH = 160
HEADING_MAX_LENGTH = 90
# Top-level URL paths that a municipality's slug must not shadow.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "i18n",
        "static",
        "media",
        "search",
        "compare",
        "healthz",
        "accounts",
        "area-personale",
        "backoffice",
        "lang",
        "open-data",
        "catalog.jsonld",
        "oembed",
    }
)


def municipality_slug(name: str) -> str:
    slug = slugify(name)
    return f"comune-{slug}" if slug in RESERVED_SLUGS else slug


two_digits = RegexValidator(r"^\d{2}$", _("Inserire un codice di due cifre, ad esempio 09."))


# What is public, in one place: the query vocabulary every surface uses (portal, API, feeds, search,
# compare, exports, catalogue, report). `public()` is what anyone may see; `visible_to(user)` adds the
# drafts of the municipalities where the user has a role.


class MunicipalityQuerySet(models.QuerySet):
    def public(self):
        """Municipalities with at least one published mandate: the only ones whose names are public."""
        published = Mandate.objects.filter(municipality=models.OuterRef("pk"), is_published=True)
        return self.filter(models.Exists(published))

    def visible_to(self, user):
        if not (user and user.is_authenticated):  # no role anywhere: the public rule alone, simpler SQL
            return self.public()
        # EXISTS on each candidate row (the one comune of a page, once filtered by slug), not an IN over
        # every published comune of the country: ~8 ms per signed-in request at 8,000 comuni.
        published = Mandate.objects.filter(municipality=models.OuterRef("pk"), is_published=True)
        return self.filter(Q(models.Exists(published)) | Q(pk__in=_staff_of(user)))


class Municipality(LoggedModel):
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    province = models.CharField(_("provincia"), max_length=60, blank=True)
    region = models.CharField(_("regione"), max_length=60, blank=True)
    istat_code = models.CharField(
        _("codice ISTAT"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("Il codice ISTAT ha sei cifre."))],
    )
    # The comune's identity and the pages a public body's site must have (shown in header and footer).
    logo = models.FileField(
        _("stemma o logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG o WebP, al massimo 512 KB e 2000 × 2000 pixel."),
    )
    website = models.URLField(_("sito istituzionale"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(
        _("telefono"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ./()-]{4,30}$", _("Inserire un numero di telefono."))],
    )
    privacy_notice = models.TextField(
        _("informativa privacy"),
        blank=True,
        help_text=_("Testo semplice; se vuoto, il sito mostra un'informativa generica."),
    )
    legal_notes = models.TextField(
        _("note legali"),
        blank=True,
        help_text=_("Testo semplice; se vuoto, il sito mostra note legali generiche."),
    )
    accessibility_statement_url = models.URLField(
        _("dichiarazione di accessibilità"),
        blank=True,
        validators=[
            RegexValidator(
                r"^https://form\.agid\.gov\.it/",
                _("La dichiarazione di accessibilità si pubblica su https://form.agid.gov.it/."),
            )
        ],
        help_text=_("L'indirizzo della dichiarazione pubblicata su form.agid.gov.it."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "province"], name="municipality_unique_name_province")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = municipality_slug(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:municipality", args=[self.slug])

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Questo indirizzo è riservato: scegline un altro.")})

    def current_mandate(self):
        return self.mandates.filter(is_current=True).first()


def _staff_of(user):
    return staff_municipalities(user).values("pk")


class MandateQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def published(self):
        return self.filter(is_published=True)

    def public(self):
        return self.published()

    def visible_to(self, user):
        """Published mandates, and the drafts of the municipalities where the user has a role."""
        if not (user and user.is_authenticated):
            return self.published()
        return self.filter(Q(is_published=True) | Q(municipality__in=_staff_of(user)))

    def for_slug(self, slug: str):
        """The one mandate of this municipality in the queryset (e.g. public().current()), or 404."""
        mandate = self.select_related("municipality").filter(municipality__slug=slug).first()
        if mandate is None:
            raise Http404
        return mandate


class Mandate(LoggedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("comune")
    )
    title = models.CharField(_("titolo"), max_length=200)
    mayor = models.CharField(_("sindaco o coalizione"), max_length=200, blank=True)
    starts_on = models.DateField(_("inizio del mandato"), null=True, blank=True)
    ends_on = models.DateField(_("fine del mandato"), null=True, blank=True)
    is_current = models.BooleanField(_("mandato in corso"), default=False)
    is_published = models.BooleanField(
        _("pubblicato"), default=True, help_text=_("Una bozza è visibile solo allo staff del comune.")
    )
    source_filename = models.CharField(_("documento di origine"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("SHA-256 del documento"), max_length=64, blank=True, db_index=True)
    imported_at = models.DateTimeField(_("importato il"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandato")
        verbose_name_plural = _("mandati")
        ordering = ["municipality__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(is_current=True),
                name="mandate_one_current_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} — {self.title}"

    def is_visible_to(self, user) -> bool:
        """`Mandate.objects.visible_to(user)` for one mandate already loaded."""
        return self.is_published or can_see_staff_pages(user, self.municipality_id)

    @property
    def period(self) -> str:
        if self.starts_on and self.ends_on:
            return f"{self.starts_on.year}–{self.ends_on.year}"
        if self.starts_on:
            return str(self.starts_on.year)
        return ""

    @property
    def period_in_title(self) -> bool:
        return bool(self.period) and self.period.replace("–", "-") in self.title.replace("–", "-")

    def clean(self):
        if self.is_current:
            others = Mandate.objects.filter(municipality_id=self.municipality_id, is_current=True).exclude(
                pk=self.pk
            )
            if others.exists():
                raise ValidationError({"is_current": _("Questo comune ha già un mandato in corso.")})


class Principle(TenantRow, LoggedModel):
    tenant_parent = "mandate"

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="principles")
    title = models.CharField(_("titolo"), max_length=200)
    text = models.TextField(_("testo"), blank=True)
    position = models.PositiveIntegerField(_("posizione"), default=0)

    class Meta:
        verbose_name = _("principio")
        verbose_name_plural = _("principi")
        ordering = ["mandate", "position"]

    def __str__(self) -> str:
        return self.title


class Area(LoggedModel):
    """A responsible office, settore, servizio or assessore's delegation of one municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="areas", verbose_name=_("comune")
    )
    name = models.CharField(_("nome"), max_length=255)

    class Meta:
        verbose_name = _("area responsabile")
        verbose_name_plural = _("aree responsabili")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_per_municipality")
        ]

    def __str__(self) -> str:
        return self.name


class Section(TenantRow, LoggedModel):
    tenant_parent = "mandate"

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="sections", verbose_name=_("mandato")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("sezione superiore"),
    )
    position = models.PositiveIntegerField(_("posizione"), default=0)
    title = models.CharField(_("titolo"), max_length=255)
    summary = models.TextField(_("sintesi"), blank=True)
    objective = models.TextField(_("obiettivo"), blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, through="SectionArea", related_name="sections", verbose_name=_("aree responsabili")
    )

    weight = models.DecimalField(
        _("peso"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    # Materialised path of section ids ("/12/34/"), kept by the roll-up; lets SQL sum a subtree.
    path = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    # Rank in the program's order within the mandate (see ordering.py), kept by the roll-up.
    tree_order = models.PositiveIntegerField(default=0, editable=False, db_index=True)

    class Meta:
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")
        ordering = ["mandate", "position"]
        indexes = [models.Index(fields=["mandate", "parent", "position"], name="section_tree_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.parent_id and self.parent.mandate_id != self.mandate_id:
            raise ValidationError({"parent": _("La sezione superiore appartiene a un altro mandato.")})
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Una sezione non può stare dentro sé stessa.")})
            ancestor = ancestor.parent


class SectionArea(TenantLink):
    """A section's responsible area: the link table of Section.areas, with the comune's key."""

    tenant_parent = "section"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "programs_section_areas"
        verbose_name = _("area responsabile della sezione")
        verbose_name_plural = _("aree responsabili delle sezioni")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "section", "area"], name="section_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section_id} — {self.area_id}"


DERIVED_FIELDS = frozenset({"status", "progress", "section_path", "rollup_share", "tree_order"})


class ActionQuerySet(models.QuerySet):
    def for_municipality(self, municipality):
        return self.filter(mandate__municipality=municipality)

    def leaves(self):
        return self.filter(children__isnull=True)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def published(self):
        """Actions of published mandates, archived ones included (their pages and feeds stay)."""
        return self.filter(mandate__is_published=True)

    def public(self):
        """What anyone may list: the active actions of published mandates."""
        return self.published().active()

    def in_current_mandate(self):
        return self.filter(mandate__is_current=True)

    @staticmethod
    def overdue_q(today=None) -> Q:
        """Past its due date and still open (finished actions are never overdue)."""
        return Q(due_date__lt=today or timezone.localdate(), status__in=Status.OPEN)

    def overdue(self, today=None):
        return self.filter(self.overdue_q(today))

    def updatable_by(self, user):
        """The leaf actions a user may post updates on, across their municipalities."""
        actions = self.active().leaves()
        if is_superuser(user):
            return actions
        if not user or not user.is_authenticated:
            return actions.none()
        memberships = Membership.objects.filter(user=user)
        admin_of = memberships.filter(role=Role.ADMINISTRATOR).values("municipality_id")
        managed = Area.objects.filter(
            membership__user=user,
            membership__role=Role.AREA_MANAGER,
            municipality_id=models.F("membership__municipality_id"),
        ).values("pk")
        in_managed_areas = ActionArea.objects.filter(area__in=managed).values("action_id")
        # First the user's own comuni (an index on the municipality key), then the role within them: no
        # join on the areas and no DISTINCT, so the cost is that of their comuni, not of the country.
        return actions.filter(municipality_id__in=memberships.values("municipality_id")).filter(
            Q(municipality_id__in=admin_of) | Q(pk__in=in_managed_areas)
        )


class Action(TenantRow, LoggedModel):
    tenant_parent = "section"

    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="actions", editable=False, verbose_name=_("mandato")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="actions", verbose_name=_("sezione")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("azione superiore"),
    )
    position = models.PositiveIntegerField(_("posizione"), default=0)
    code = models.CharField(
        _("numero"), max_length=20, blank=True, help_text=_("Come stampato nel programma.")
    )
    title = models.CharField(_("titolo"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("testo completo"), blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, through="ActionArea", related_name="actions", verbose_name=_("aree responsabili")
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("avanzamento (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.DecimalField(
        _("peso"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    due_date = models.DateField(_("scadenza"), null=True, blank=True, db_index=True)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    dup_mission = models.CharField(_("missione DUP"), max_length=2, blank=True, validators=[two_digits])
    dup_program = models.CharField(_("programma DUP"), max_length=2, blank=True, validators=[two_digits])
    progress_from_indicators = models.BooleanField(
        _("avanzamento dagli indicatori"),
        default=False,
        help_text=_(
            "L'avanzamento è la media, tra gli indicatori, della strada fatta dal valore iniziale al target."
        ),
    )
    archived_at = models.DateTimeField(_("archiviata il"), null=True, blank=True, db_index=True)
    # Kept by the roll-up: the section's path, and this leaf's share of the mandate (0 for non-leaves).
    section_path = models.CharField(max_length=255, blank=True, editable=False, db_index=True)
    rollup_share = models.FloatField(default=0, editable=False)
    # Rank in the program's order within the mandate (see ordering.py), kept by the roll-up.
    tree_order = models.PositiveIntegerField(default=0, editable=False)
    # Italian search terms of code, title, text and section (see textsearch.py); indexed per backend.
    search_document = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        ordering = ["section", "position"]
        indexes = [
            models.Index(fields=["mandate", "status"], name="action_mandate_status_idx"),
            models.Index(fields=["section", "parent", "position"], name="action_tree_idx"),
            models.Index(fields=["mandate", "tree_order"], name="action_program_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max_100"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="action_weight_not_negative"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="action_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def save(self, *args, **kwargs):
        self.mandate_id = self.section.mandate_id
        self.search_document = document_terms(
            " ".join([self.code, self.title, self.text, self.section.title])
        )
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Status and progress belong to the progress updates, the roll-up fields to the roll-up:
            # saving a form loaded earlier must not overwrite what they wrote meanwhile.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:action", args=[self.mandate.municipality.slug, self.pk])

    def clean(self):
        if self.parent_id and self.section_id and self.parent.section_id != self.section_id:
            raise ValidationError({"parent": _("L'azione superiore appartiene a un'altra sezione.")})

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def heading(self) -> str:
        """A short title for headings and shared links: the first clause, cut at a word within 90 characters.

        Imported titles are often the whole sentence of the program cut at 160 characters; the full text
        stays on the page below the heading.
        """
        title = " ".join(self.title.split())
        if len(title) <= HEADING_MAX_LENGTH and not title.endswith(("…", "...")):
            return title
        for mark in (": ", "; ", " – ", " — ", ". "):
            cut = title.find(mark, 30, HEADING_MAX_LENGTH)
            if cut != -1:
                return title[:cut].rstrip(" .,;:")
        cut = title.rfind(" ", 0, HEADING_MAX_LENGTH - 1)
        return title[: cut if cut > 30 else HEADING_MAX_LENGTH - 1].rstrip(" .,;:–—-") + "…"


class ActionArea(TenantLink):
    """An action's responsible area: the link table of Action.areas, with the comune's key."""

    tenant_parent = "action"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "programs_action_areas"
        verbose_name = _("area responsabile dell'azione")
        verbose_name_plural = _("aree responsabili delle azioni")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "action", "area"], name="action_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} — {self.area_id}"
