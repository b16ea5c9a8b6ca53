from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 200) -> str:
    """Return a slug for text that no row of model uses yet (name, name-2, name-3, ...)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
