/* The base-station map: Leaflet (served by the installation), tiles or WMS from the map
   server the municipality configures, the sites and complaints from the page's JSON
   (json_script). Popups are built from text nodes: no user data becomes markup. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function line(parent, text, className) {
    var element = document.createElement("div");
    if (className) element.className = className;
    element.textContent = text;
    parent.appendChild(element);
    return element;
  }

  function link(parent, text, url) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    parent.appendChild(anchor);
    return anchor;
  }

  function sitePopup(site, labels) {
    var box = document.createElement("div");
    box.className = "site-map-popup";
    var title = document.createElement("strong");
    title.textContent = site.operator + (site.code ? " · " + site.code : "");
    box.appendChild(title);
    line(box, site.number + " · " + site.kind + " · " + site.state_label);
    if (site.place) line(box, site.place, "text-secondary");
    if (site.complaints) {
      line(box, labels.complaints + ": " + site.complaints + " (" + site.open_complaints + " " +
        labels.open_complaints + ")");
    }
    link(box, labels.open, site.url);
    return box;
  }

  function complaintPopup(complaint, labels) {
    var box = document.createElement("div");
    box.className = "site-map-popup";
    var title = document.createElement("strong");
    title.textContent = complaint.number + " · " + complaint.state_label;
    box.appendChild(title);
    line(box, complaint.subject);
    link(box, labels.open, complaint.url);
    return box;
  }

  function start() {
    var element = document.getElementById("site-map");
    if (!element || typeof L === "undefined") return;
    var features = readJson("site-map-features") || { sites: [], complaints: [] };
    var config = readJson("site-map-config") || {};
    var labels = readJson("site-map-labels") || {};
    var map = L.map(element, { attributionControl: true });
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.attribution || "", maxZoom: 20 }).addTo(map);
    } else if (config.wms_url) {
      L.tileLayer.wms(config.wms_url, {
        layers: config.wms_layers, format: "image/png", transparent: false,
        attribution: config.attribution || ""
      }).addTo(map);
    }
    var bounds = [];
    var byId = {};
    var sites = L.layerGroup().addTo(map);
    features.sites.forEach(function (site) {
      var marker = L.circleMarker([site.lat, site.lon], {
        radius: 8, weight: 2, color: "#066fd1",
        fillColor: site.open_complaints ? "#f59f00" : "#066fd1", fillOpacity: 0.8
      });
      marker.bindPopup(sitePopup(site, labels));
      marker.addTo(sites);
      byId[site.id] = marker;
      bounds.push([site.lat, site.lon]);
    });
    var complaints = L.layerGroup().addTo(map);
    features.complaints.forEach(function (complaint) {
      if (complaint.state !== "open") return;
      L.circleMarker([complaint.lat, complaint.lon], {
        radius: 14, weight: 2, color: "#d63939", fill: false
      }).bindPopup(complaintPopup(complaint, labels)).addTo(complaints);
      bounds.push([complaint.lat, complaint.lon]);
    });
    var overlays = {};
    overlays[labels.sites || "Sites"] = sites;
    overlays[labels.complaints || "Complaints"] = complaints;
    L.control.layers(null, overlays).addTo(map);
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
    } else {
      map.setView(config.center || [39, 35], config.zoom || 6);
    }
    element.dataset.sites = String(features.sites.length);
    var match = /^#site-(\d+)$/.exec(window.location.hash);
    if (match && byId[match[1]]) {
      map.setView(byId[match[1]].getLatLng(), 16);
      byId[match[1]].openPopup();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
