"""URLs of the initiatives app, mounted at the site root; each area keeps its own patterns.

- portfolio: /initiatives/ (all partnerships), /partnerships/<p>/initiatives/ and
  /partnerships/<p>/initiatives/<slug>/, traceability of agenda items, CSV/XLSX downloads;
- edit: creating and editing initiatives and their parts, pledges, exchange rates (each
  list downloadable as CSV/XLSX);
- maps: the map and the dashboards; map_downloads: the map's places as CSV/XLSX;
- opendata: IATI 2.03 exports and imports.
"""

from .views import edit, map_downloads, maps, opendata, portfolio

app_name = "initiatives"

# The edit patterns come first: their fixed paths (…/initiatives/new/) would otherwise be
# taken for an initiative's slug by the portfolio's pages.
urlpatterns = [
    *edit.urlpatterns,
    *portfolio.urlpatterns,
    *maps.urlpatterns,
    *map_downloads.urlpatterns,
    *opendata.urlpatterns,
]
