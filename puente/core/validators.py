from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_logo(file: File) -> None:  # type: ignore[type-arg]
    """Accept PNG, JPEG, WebP or GIF images no larger than PUENTE_LOGO_MAX_BYTES."""
    max_bytes: int = settings.PUENTE_LOGO_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            _("The logo is too large: the limit is %(limit)s KB.") % {"limit": max_bytes // 1024},
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("The logo must be a PNG, JPEG, WebP or GIF image."), code="invalid_image"
        ) from error
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("The logo must be a PNG, JPEG, WebP or GIF image."), code="invalid_image"
        )
