from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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


class ContentVersion(models.Model):
    """A named token that changes with every write to some content (the directory, the
    portfolio): a key under which what is computed or rendered from it can be cached.

    A random token rather than a counter, so that a rolled-back write never brings back a key
    that once named other content.
    """

    name = models.SlugField(_("name"), max_length=40, unique=True)
    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class ContentTranslation(models.Model):
    """A person's translation of some content into one of the site's languages.

    Each concrete model adds the object it translates (with related_name "translations"),
    its text fields and a constraint of one translation per object and language.
    """

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["language"]
