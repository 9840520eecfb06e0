// Logged out: nothing of the door stays on this device (ticket copy, queued scans, cached
// door page, service worker). The logout answer also sends Clear-Site-Data; this is for
// browsers that ignore it. Loaded by the login page only.
(function () {
  "use strict";
  window.AccueilWipe = function () {
    var jobs = [];
    if (window.indexedDB && indexedDB.databases) {
      jobs.push(indexedDB.databases().then(function (databases) {
        return Promise.all(databases.filter(function (database) {
          return database.name && database.name.indexOf("accueil-door") === 0;
        }).map(function (database) {
          return new Promise(function (resolve) {
            var request = indexedDB.deleteDatabase(database.name);
            request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
          });
        }));
      }));
    }
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("accueil-door") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      }));
    }
    return Promise.all(jobs).catch(function () {});
  };
  window.AccueilWipe();
})();
