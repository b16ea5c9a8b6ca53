"""Uploaded images made safe: checked from the header, decoded once, re-encoded as plain PNG."""

import io
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF"})

# Pillow's own errors for broken, truncated or hostile files.
_DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
)


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("The logo must be a PNG, JPEG, WebP or GIF image."), code="invalid_image"
    )


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _("The logo is too large: the limit is %(limit)s megapixels.")
        % {"limit": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _open_checked(file: File) -> Image.Image:  # type: ignore[type-arg]
    """Open an upload lazily and check its bytes, format and pixel count before decoding."""
    max_bytes: int = settings.PUENTE_LOGO_MAX_BYTES
    max_pixels: int = settings.PUENTE_LOGO_MAX_PIXELS
    if file.size > max_bytes:
        raise ValidationError(
            _("The logo is too large: the limit is %(limit)s KB.") % {"limit": max_bytes // 1024},
            code="file_too_large",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning is global; the pixel cap below is ours and stricter.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Image.open reads only the header; pixels are decoded by load(), after the checks.
            image = Image.open(file, formats=sorted(LOGO_FORMATS))
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(max_pixels) from error
    except _DECODE_ERRORS as error:
        raise _not_an_image() from error
    if image.format not in LOGO_FORMATS:
        raise _not_an_image()
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


def logo_check(file: File) -> None:  # type: ignore[type-arg]
    """Refuse a logo that is too heavy, too many pixels, or not a PNG, JPEG, WebP or GIF."""
    position = file.tell()
    try:
        with _open_checked(file) as image:
            try:
                image.verify()
            except _DECODE_ERRORS as error:
                raise _not_an_image() from error
    finally:
        file.seek(position)


def logo_normalise(file: File) -> ContentFile[bytes]:  # type: ignore[type-arg]
    """Return the logo re-encoded as a metadata-free PNG under a random name of ours."""
    max_side: int = settings.PUENTE_LOGO_MAX_SIDE
    with _open_checked(file) as image:
        try:
            with warnings.catch_warnings():
                # The pixel count is checked already; a bomb warning here means a lying file.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.seek(0)  # the first frame of an animation
                image.load()
                upright = ImageOps.exif_transpose(image)
        except _DECODE_ERRORS as error:
            raise _not_an_image() from error
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    converted = upright.convert("RGBA" if has_alpha else "RGB")
    converted.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image from the raw pixels carries no EXIF, ICC, XMP or text chunk of the upload.
    clean = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(16)}.png")
