from django.core.files import File

from .images import logo_check


def validate_logo(file: File) -> None:  # type: ignore[type-arg]
    """Accept PNG, JPEG, WebP or GIF images within the logo's byte and pixel limits."""
    logo_check(file)
