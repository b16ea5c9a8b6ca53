from django.db import models
from django.urls import reverse

from .choices import ThemeCode


class Theme(models.Model):
    """A field of digital cooperation that organisations and partnerships work on."""

    code = models.SlugField(max_length=40, unique=True, choices=ThemeCode.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:organisation-list") + f"?theme={self.code}"

    @property
    def name(self) -> str:
        """Return the theme's name in the active language."""
        return str(ThemeCode(self.code).label)
