"""Vocabularies the partnership reasons about: regions, stakeholder types, themes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EU = "EU", _("European Union")
    LAC = "LAC", _("Latin America and the Caribbean")
    OTHER = "OTHER", _("Other")


class StakeholderType(models.TextChoices):
    PUBLIC_SECTOR = "public", _("Public sector")
    PRIVATE_SECTOR = "private", _("Private sector")
    CIVIL_SOCIETY = "civil", _("Civil society")
    ACADEMIA = "academia", _("Academia and research")
    INTERNATIONAL = "international", _("International organisation")
    FINANCING = "financing", _("Financing institution")


class ThemeCode(models.TextChoices):
    CONNECTIVITY = "connectivity", _("Connectivity")
    EARTH_OBSERVATION = "earth-observation", _("Earth observation and data")
    E_GOVERNMENT = "e-government", _("E-government and e-services")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    DIGITAL_SKILLS = "digital-skills", _("Digital skills")
    INNOVATION = "innovation", _("Innovation and entrepreneurship")
    DATA_PROTECTION = "data-protection", _("Data protection and human-centric digital")
    ARTIFICIAL_INTELLIGENCE = "ai", _("Artificial intelligence")


EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
LAC_COUNTRIES = frozenset(
    [
        "AG",
        "AR",
        "BS",
        "BB",
        "BZ",
        "BO",
        "BR",
        "CL",
        "CO",
        "CR",
        "CU",
        "DM",
        "DO",
        "EC",
        "SV",
        "GD",
        "GT",
        "GY",
        "HT",
        "HN",
        "JM",
        "MX",
        "NI",
        "PA",
        "PY",
        "PE",
        "KN",
        "LC",
        "VC",
        "SR",
        "TT",
        "UY",
        "VE",
    ]
)


def region_for(country: str, region: str = "") -> str:
    """Return the region given, else the region of the ISO 3166-1 alpha-2 country, else ""."""
    if region:
        return region
    code = str(country).upper()
    if not code:
        return ""
    if code in EU_COUNTRIES:
        return Region.EU.value
    if code in LAC_COUNTRIES:
        return Region.LAC.value
    return Region.OTHER.value
