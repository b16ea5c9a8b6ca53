import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from puente.core.images import logo_check, logo_normalise
from tests.core.image_files import (
    corrupt_png,
    gif_named_pdf,
    huge_png,
    jpeg_with_metadata,
    large_png,
    png_with_text,
)


def _opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_gif_named_pdf_becomes_a_png_under_a_random_name_of_ours():
    stored = logo_normalise(gif_named_pdf())
    assert stored.name is not None
    assert stored.name.endswith(".png")
    assert "logo" not in stored.name
    assert _opened(stored.read()).format == "PNG"


def test_two_uploads_of_the_same_file_get_different_names():
    assert logo_normalise(large_png(8)).name != logo_normalise(large_png(8)).name


def test_transparency_is_kept():
    image = _opened(logo_normalise(gif_named_pdf()).read())
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0  # type: ignore[index]
    assert image.getpixel((15, 5)) == (200, 30, 30, 255)


def test_exif_and_comments_of_a_jpeg_are_gone():
    original = jpeg_with_metadata()
    assert b"SecretCam" in original.read()
    original.seek(0)
    data = logo_normalise(original).read()
    image = _opened(data)
    assert not image.getexif()
    assert set(image.info) <= {"dpi"}
    assert b"SecretCam" not in data
    assert b"secret comment" not in data


def test_png_text_chunks_are_gone():
    data = logo_normalise(png_with_text()).read()
    assert b"secret author" not in data
    assert _opened(data).info == {}


def test_a_144_megapixel_png_is_refused_from_its_header():
    with pytest.raises(ValidationError) as caught:
        logo_check(huge_png())
    assert caught.value.code == "too_many_pixels"
    with pytest.raises(ValidationError):
        logo_normalise(huge_png())


def test_the_pixel_cap_is_a_setting(settings):
    settings.PUENTE_LOGO_MAX_PIXELS = 99
    with pytest.raises(ValidationError) as caught:
        logo_normalise(large_png(10))
    assert caught.value.code == "too_many_pixels"


def test_a_very_large_logo_is_scaled_down_to_the_maximum_side(settings):
    settings.PUENTE_LOGO_MAX_SIDE = 64
    assert _opened(logo_normalise(large_png(300)).read()).size == (64, 64)


@pytest.mark.parametrize(
    "data",
    [b"", b"<svg onload=alert(1)>", b"GIF89a nope", b"%PDF-1.4 not an image"],
    ids=["empty", "svg", "gif-header-only", "pdf"],
)
def test_what_is_not_an_image_is_refused(data):
    upload = SimpleUploadedFile("logo.png", data, content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        logo_normalise(upload)
    assert caught.value.code == "invalid_image"


def test_a_corrupt_png_is_refused():
    with pytest.raises(ValidationError) as caught:
        logo_normalise(corrupt_png())
    assert caught.value.code == "invalid_image"
