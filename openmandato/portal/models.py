"""What the public pages read instead of aggregating the whole country on every request.

ChangeMarker   a counter per comune (key "c:<slug>") and one for the whole site ("*"), bumped after
               every committed write (portal/changes.py); pages derive their ETag and page-cache key
               from it with one primary-key read.
MunicipalitySummary  the figures of `/` (current mandate's progress, actions, done) per public comune,
               refreshed after every committed write to that comune; `/` pages through it by region and
               province without a subquery per comune.
"""

from django.db import models
from django.urls import reverse

from openmandato.programs.models import Mandate, Municipality

GLOBAL = "*"


def municipality_key(slug: str) -> str:
    return f"c:{slug}"


class ChangeMarker(models.Model):
    key = models.CharField(max_length=130, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class MunicipalitySummary(models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.SET_NULL, null=True, related_name="+")
    # Copies of the comune's name, region and province: `/` filters and sorts on them with its own indexes.
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    province = models.CharField(max_length=60, blank=True)
    progress = models.FloatField(null=True)
    action_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["name", "municipality"], name="summary_name_idx"),
            models.Index(fields=["region", "name", "municipality"], name="summary_region_idx"),
            models.Index(fields=["region", "province", "name", "municipality"], name="summary_province_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:municipality", args=[self.municipality.slug])
