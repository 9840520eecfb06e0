// The door's service worker: the door page and its files stay on the phone, so that a reload
// without network still shows the door. Served from /staff/events/ (its scope covers every
// door page); it touches nothing else: the API, the other pages and every POST go straight
// to the network. Logout clears it (Clear-Site-Data, and door-wipe.js on the login page).
"use strict";
var CACHE = "accueil-door-v1";
var DOOR_PAGE = /^\/staff\/events\/[^/]+\/checkin\/?$/;
var PAGE_TIMEOUT = 4000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreSearch: true});
  });
}

// The door page: the network first (fresh counters, fresh CSRF token), the copy after a
// failure or a network that hangs (venue Wi-Fi that is "connected" but carries nothing).
function doorPage(request) {
  var network = fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  });
  var late = new Promise(function (resolve, reject) { setTimeout(reject, PAGE_TIMEOUT); });
  return Promise.race([network, late]).catch(function () {
    return fromCache(request).then(function (copy) { return copy || network; });
  });
}

// Styles, scripts, fonts, icons: the copy at once, refreshed behind it.
function asset(request) {
  var network = fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  });
  return fromCache(request).then(function (copy) {
    if (copy) { network.catch(function () {}); return copy; }
    return network;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && DOOR_PAGE.test(url.pathname)) {
    event.respondWith(doorPage(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});
