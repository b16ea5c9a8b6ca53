"""URLs of the initiatives app, mounted at the site root; each area keeps its own patterns.

- portfolio: /initiatives/ (all partnerships), /partnerships/<p>/initiatives/ and
  /partnerships/<p>/initiatives/<slug>/, traceability of agenda items, CSV/XLSX downloads;
- edit: creating and editing initiatives and their parts, pledges, exchange rates;
- maps: the map and the dashboards;
- opendata: IATI 2.03 exports and imports.
"""

from .views import edit, maps, opendata, portfolio

app_name = "initiatives"

urlpatterns = [
    *portfolio.urlpatterns,
    *edit.urlpatterns,
    *maps.urlpatterns,
    *opendata.urlpatterns,
]
