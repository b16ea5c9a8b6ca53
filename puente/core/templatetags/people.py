"""Template filters that name people, including those who have left."""

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person_or_former(person: AbstractBaseUser | None) -> str:
    """Return the person's display name, or "former participant" once the account is gone."""
    if person is None:
        return _("former participant")
    display_name = getattr(person, "display_name", "")
    return str(display_name) if display_name else str(person)
