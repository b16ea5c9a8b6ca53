// The offline map of initiatives: Leaflet over the Natural Earth country shapes (no tiles).
// Each element with data-initiatives-map is drawn from its data attributes:
//   data-countries      URL of the country shapes (GeoJSON, ISO 3166-1 alpha-2 ids);
//   data-features-url   URL of the places (a GeoJSON FeatureCollection), or
//   data-features-id    id of a json_script element holding them;
//   data-shading-id     id of a json_script element mapping country codes to fill colours;
//   data-attribution, data-status-label: translated words.
// Every colour and label comes from the server; user text goes in as text, never as HTML.
(function () {
  "use strict";

  var LAND = "#f4f1e8";
  var BORDER = "#8a8a8a";
  var OUTLINE = "#1a1a1a";
  // Latin America, the Caribbean and Europe, when there is nothing to zoom to.
  var DEFAULT_BOUNDS = [[-56, -118], [62, 32]];

  function readJson(id) {
    var element = id ? document.getElementById(id) : null;
    return element ? JSON.parse(element.textContent) : null;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " for " + url);
        }
        return response.json();
      }
    );
  }

  function popup(properties, statusLabel) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.initiative;
    box.appendChild(link);
    var place = document.createElement("div");
    place.textContent = properties.name + " (" + properties.kind_label + ")";
    box.appendChild(place);
    var status = document.createElement("div");
    status.textContent = statusLabel + ": " + properties.status_label;
    box.appendChild(status);
    return box;
  }

  // A ring that jumps across the antimeridian (Fiji's) would be drawn as a band across the
  // whole map: such parts are left out.
  function crossesAntimeridian(ring) {
    for (var i = 1; i < ring.length; i += 1) {
      if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) {
        return true;
      }
    }
    return false;
  }

  function keepDrawable(feature) {
    var geometry = feature.geometry;
    if (geometry && geometry.type === "MultiPolygon") {
      geometry.coordinates = geometry.coordinates.filter(function (polygon) {
        return !polygon.some(crossesAntimeridian);
      });
      return geometry.coordinates.length > 0;
    }
    if (geometry && geometry.type === "Polygon") {
      return !geometry.coordinates.some(crossesAntimeridian);
    }
    return Boolean(geometry);
  }

  function drawCountries(map, shapes, shading) {
    var shaded = L.featureGroup();
    L.geoJSON(shapes, {
      interactive: false,
      filter: keepDrawable,
      style: function (feature) {
        var fill = shading && shading[feature.id];
        return { color: BORDER, weight: 0.6, fillColor: fill || LAND, fillOpacity: 1 };
      },
      onEachFeature: function (feature, layer) {
        if (shading && shading[feature.id]) {
          shaded.addLayer(L.geoJSON(feature));
        }
      },
    }).addTo(map);
    return shaded;
  }

  function drawPlaces(map, places, statusLabel) {
    var isLine = function (feature) {
      return /LineString$/.test(feature.geometry.type);
    };
    // A dark casing under each line keeps it visible whatever its colour.
    L.geoJSON(places, {
      filter: isLine,
      interactive: false,
      style: function () {
        return { color: OUTLINE, weight: 6, opacity: 1 };
      },
    }).addTo(map);
    var layer = L.geoJSON(places, {
      style: function (feature) {
        var colour = feature.properties.colour;
        return { color: isLine(feature) ? colour : OUTLINE, weight: isLine(feature) ? 3.5 : 1.5,
                 fillColor: colour, fillOpacity: 0.85, opacity: 1 };
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 7 });
      },
      onEachFeature: function (feature, item) {
        item.bindPopup(popup(feature.properties, statusLabel));
      },
    }).addTo(map);
    return layer;
  }

  function draw(element) {
    var map = L.map(element, {
      minZoom: 1,
      maxZoom: 10,
      worldCopyJump: false,
      zoomSnap: 0.25,
      attributionControl: true,
    });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(element.getAttribute("data-attribution") || "Natural Earth");
    map.fitBounds(DEFAULT_BOUNDS);
    var shading = readJson(element.getAttribute("data-shading-id"));
    var placesUrl = element.getAttribute("data-features-url");
    var places = placesUrl ? getJson(placesUrl) : Promise.resolve(readJson(element.getAttribute("data-features-id")));
    Promise.all([getJson(element.getAttribute("data-countries")), places]).then(function (loaded) {
      var shaded = drawCountries(map, loaded[0], shading);
      if (shaded.getLayers().length > 0) {
        map.fitBounds(shaded.getBounds(), { padding: [16, 16], maxZoom: 5 });
      }
      var count = 0;
      if (loaded[1]) {
        var layer = drawPlaces(map, loaded[1], element.getAttribute("data-status-label") || "");
        count = loaded[1].features.length;
        if (count > 0) {
          map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 6 });
        }
      }
      element.setAttribute("data-drawn", String(count));
    }).catch(function (error) {
      element.setAttribute("data-drawn", "error");
      if (window.console) {
        window.console.warn("The map could not be drawn:", error);
      }
    });
  }

  function start() {
    if (typeof window.L === "undefined" || typeof window.fetch === "undefined") {
      return;
    }
    var elements = document.querySelectorAll("[data-initiatives-map]");
    for (var i = 0; i < elements.length; i += 1) {
      if (!elements[i].hasAttribute("data-drawn")) {
        draw(elements[i]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
