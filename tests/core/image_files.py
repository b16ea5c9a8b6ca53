"""Real image files made with Pillow, for the upload tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

HUGE_SIDE = 12_000  # 144 megapixels


def gif_named_pdf() -> SimpleUploadedFile:
    """Return a real GIF with transparency, uploaded as logo.pdf (application/pdf)."""
    image = Image.new("P", (20, 10), 0)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    image.paste(1, (10, 0, 20, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="GIF", transparency=0)
    return SimpleUploadedFile("logo.pdf", buffer.getvalue(), content_type="application/pdf")


def huge_png() -> SimpleUploadedFile:
    """Return a real 12000 x 12000 PNG (144 megapixels); one bit a pixel keeps it small."""
    buffer = io.BytesIO()
    Image.new("1", (HUGE_SIDE, HUGE_SIDE), 1).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def jpeg_with_metadata() -> SimpleUploadedFile:
    """Return a JPEG carrying EXIF (camera, GPS position) and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2026:01:01 10:00:00"  # DateTime
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS latitude
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(
        buffer, format="JPEG", exif=exif, comment=b"secret comment"
    )
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def png_with_text() -> SimpleUploadedFile:
    """Return a PNG with a text chunk and a transparent corner."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret author")
    image = Image.new("RGBA", (30, 30), (0, 128, 0, 255))
    image.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def large_png(side: int) -> SimpleUploadedFile:
    """Return a plain square PNG of the given side."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def corrupt_png() -> SimpleUploadedFile:
    """Return a real PNG cut off in the middle of its pixel data."""
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 50).convert("RGB").save(buffer, format="PNG")
    data = buffer.getvalue()
    return SimpleUploadedFile("logo.png", data[: len(data) // 2], content_type="image/png")
