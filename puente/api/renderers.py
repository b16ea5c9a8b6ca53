"""The browsable API, under a Content-Security-Policy that its templates can live with."""

from collections.abc import Mapping
from typing import Any

from csp.constants import UNSAFE_INLINE
from rest_framework.renderers import BrowsableAPIRenderer


class PolicyAwareBrowsableAPIRenderer(BrowsableAPIRenderer):
    """Render DRF's HTML pages, letting their style attributes through; scripts stay strict."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Render the page and mark its response for django-csp's inline-style allowance."""
        response = (renderer_context or {}).get("response")
        if response is not None:
            # DRF's templates float buttons with style="..."; read by csp.middleware.
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
