// The door without network: a copy of the event's tickets on the phone (IndexedDB), local
// verdicts, a queue of scans sent back when the network returns, conflicts shown.
// The copy holds keyed hashes of ticket codes and references, never the codes; the key comes
// with the copy. The door's own script (door.js) keeps doing everything: when the phone is
// offline (or the server stops answering), its calls to the door API (scan, undo, search,
// counters) are answered here, from the copy, in the API's own shapes. So the camera, the
// typed code, the search and undo all work offline, with the door's usual colours and sounds.
(function () {
  "use strict";
  var panel = document.getElementById("door-offline");
  if (!panel || !window.indexedDB || !window.crypto || !crypto.subtle || !window.fetch) return;
  var MESSAGES = JSON.parse(document.getElementById("door-offline-messages").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var zone = panel.dataset.timezone;
  var locale = document.documentElement.lang || undefined;
  var status = document.getElementById("offline-status");
  var conflictList = document.getElementById("offline-conflicts");
  var DB_NAME = "accueil-door-" + panel.dataset.slug;
  var REFERENCE = /^[ACEFGHJKMNPRTWXY34679]{8}$/;
  var CODE = /^[A-Za-z0-9_-]{20,43}$/;
  var SYNC_EVERY = 10000;
  var networkFetch = window.fetch.bind(window);
  var state = {db: null, meta: null, count: 0, pending: 0, reachable: true, hmac: null, busy: false, over: false};

  function format(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }
  function time(iso) {
    return new Date(iso).toLocaleTimeString(locale, {hour: "2-digit", minute: "2-digit", timeZone: zone});
  }
  function nonce() {
    return crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function device() {
    var label = localStorage.getItem("accueil-door-device");
    if (!label) { label = "porte-" + nonce().slice(0, 6); localStorage.setItem("accueil-door-device", label); }
    return label;
  }

  // IndexedDB, promised: tickets (by id, found by hash), meta, queue (scans to send), admitted.
  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("tickets", {keyPath: "id"}).createIndex("keys", "keys", {multiEntry: true});
        db.createObjectStore("meta", {keyPath: "name"});
        db.createObjectStore("queue", {keyPath: "nonce"});
        db.createObjectStore("admitted", {keyPath: "id"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(stores, mode, work) {
    return new Promise(function (resolve, reject) {
      var transaction = state.db.transaction(stores, mode);
      var out = work(transaction);
      transaction.oncomplete = function () { resolve(out instanceof IDBRequest ? out.result : out); };
      transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
    });
  }
  function all(store) { return run([store], "readonly", function (t) { return t.objectStore(store).getAll(); }); }
  function count(store) { return run([store], "readonly", function (t) { return t.objectStore(store).count(); }); }
  function get(store, key) { return run([store], "readonly", function (t) { return t.objectStore(store).get(key); }); }

  function hash(kind, value) {
    return crypto.subtle.sign("HMAC", state.hmac, new TextEncoder().encode(kind + ":" + value)).then(function (mac) {
      return Array.prototype.map.call(new Uint8Array(mac), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("").slice(0, 32);
    });
  }
  function useKey(key) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(key), {name: "HMAC", hash: "SHA-256"}, false, ["sign"])
      .then(function (hmac) { state.hmac = hmac; });
  }

  // What was read: a ticket URL, a code, a reference (any case, with or without its hyphen).
  function target(text) {
    text = String(text || "").trim();
    if (text.indexOf("/") >= 0) {
      var match = /\/t\/([A-Za-z0-9_-]+)\/?$/.exec(text.split(/[?#]/)[0]);
      text = match ? match[1] : "";
    }
    var reference = text.replace(/[\s-]/g, "").toUpperCase();
    if (REFERENCE.test(reference)) return ["ref", reference];
    if (CODE.test(text)) return ["code", text];
    return null;
  }

  function offline() { return !navigator.onLine || !state.reachable; }

  function render() {
    var down = offline();
    document.body.dataset.network = down ? "offline" : "online";
    document.body.dataset.pending = String(state.pending);
    panel.className = "door-offline door-offline--" + (down ? "offline" : state.meta ? "ready" : "idle");
    var lines = [];
    if (down) lines.push(state.meta ? MESSAGES.offline : MESSAGES.offline_no_copy);
    else if (state.meta) lines.push(format(MESSAGES.ready, {count: state.count, time: time(state.meta.synced_at)}));
    else lines.push(MESSAGES.preparing);
    if (state.pending) lines.push(format(state.pending === 1 ? MESSAGES.pending_one : MESSAGES.pending, {count: state.pending}));
    status.textContent = lines.join(" ");
  }

  // --- The door API, answered from the copy -------------------------------------------------

  function answer(code, body) {
    return new Response(JSON.stringify(body), {status: code, headers: {"Content-Type": "application/json"}});
  }
  function person(ticket, at) {
    return {id: ticket.id, given_name: ticket.given_name, family_name: ticket.family_name,
      organisation: ticket.organisation, status: ticket.status, checked_in_at: at || ticket.checked_in_at || null};
  }
  function find(body) {
    if (typeof body.id === "number") return get("tickets", body.id);
    var what = target(body.code);
    if (!what) return Promise.resolve(undefined);
    return hash(what[0], what[1]).then(function (key) {
      return run(["tickets"], "readonly", function (t) { return t.objectStore("tickets").index("keys").get(key); });
    });
  }

  // A scan: green (queued), orange (this phone, or the copy, says already in), red.
  function checkIn(body) {
    return find(body).then(function (ticket) {
      if (!ticket) return answer(body.code && !target(body.code) ? 422 : 404, {status: body.code && !target(body.code) ? "malformed" : "unknown"});
      if (ticket.status !== "confirmed") return answer(422, {status: ticket.status, registration: person(ticket)});
      return get("admitted", ticket.id).then(function (mine) {
        var at = (mine && mine.at) || ticket.checked_in_at;
        if (at) return answer(409, {status: "already_checked_in", registration: person(ticket, at), checked_in_at: at, by: null});
        var scan = {nonce: body.nonce || nonce(), id: ticket.id, scanned_at: new Date().toISOString(),
          name: ticket.given_name + " " + ticket.family_name, ticket: person(ticket)};
        return run(["queue", "admitted"], "readwrite", function (t) {
          t.objectStore("queue").put(scan);
          t.objectStore("admitted").put({id: ticket.id, at: scan.scanned_at, nonce: scan.nonce});
        }).then(function () {
          state.pending += 1;
          render();
          return answer(200, {status: "checked_in", registration: person(ticket, scan.scanned_at)});
        });
      });
    });
  }

  // Undo the last scan still waiting: it never reaches the server. As online, an undo that
  // names a person ({id}) undoes only if that person was this phone's last entry.
  function undo(target) {
    return all("queue").then(function (queue) {
      queue.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      var last = queue[queue.length - 1];
      if (!last || (target.id && last.id !== target.id)) {
        return answer(409, {status: "nothing_to_undo", error: MESSAGES.nothing_to_undo});
      }
      return run(["queue", "admitted"], "readwrite", function (t) {
        t.objectStore("queue").delete(last.nonce);
        t.objectStore("admitted").delete(last.id);
      }).then(function () {
        state.pending -= 1;
        render();
        return answer(200, {status: "undone", registration: last.ticket});
      });
    });
  }

  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    return Promise.all([all("tickets"), all("admitted")]).then(function (both) {
      var mine = {};
      both[1].forEach(function (entry) { mine[entry.id] = entry.at; });
      var results = both[0].filter(function (ticket) {
        var haystack = fold(ticket.given_name + " " + ticket.family_name + " " + ticket.organisation);
        return words.length && words.every(function (word) { return haystack.indexOf(word) >= 0; });
      }).slice(0, 20).map(function (ticket) { return person(ticket, mine[ticket.id]); });
      return answer(200, {results: results});
    });
  }

  function counters() {
    return Promise.all([all("tickets"), all("admitted")]).then(function (both) {
      var mine = {};
      both[1].forEach(function (entry) { mine[entry.id] = true; });
      var confirmed = both[0].filter(function (ticket) { return ticket.status === "confirmed"; });
      var inside = confirmed.filter(function (ticket) { return ticket.checked_in_at || mine[ticket.id]; });
      return answer(200, {checked_in: inside.length, confirmed: confirmed.length});
    });
  }

  function local(url, options) {
    var path = url.split("?")[0];
    var method = (options.method || "GET").toUpperCase();
    var body = {};
    try { body = options.body ? JSON.parse(options.body) : {}; } catch (problem) { body = {}; }
    if (method === "POST" && path === panel.dataset.checkins) return checkIn(body);
    if (method === "POST" && path === panel.dataset.undo) return undo(body);
    if (method === "GET" && path === panel.dataset.search) return search(new URLSearchParams(url.split("?")[1] || "").get("q") || "");
    if (method === "GET" && path === panel.dataset.counters) return counters();
    return null;
  }

  // The page's fetch: the door API's calls go to the server while it answers; offline (or
  // when the call fails on the network), the copy answers. An undo while scans wait takes
  // back the last one waiting.
  window.fetch = function (input, options) {
    options = options || {};
    var url = typeof input === "string" ? input : input.url;
    url = url.indexOf(location.origin) === 0 ? url.slice(location.origin.length) : url;
    if (!state.meta || !state.hmac || !isDoor(url)) return networkFetch(input, options);
    var undoing = url.split("?")[0] === panel.dataset.undo && state.pending > 0;
    if (offline() || undoing) return local(url, options);
    return networkFetch(input, options).then(function (response) {
      if (response.status === 200 && url.split("?")[0] === panel.dataset.checkins) remember(response.clone());
      return response;
    }).catch(function (problem) {
      if (!navigator.onLine || problem instanceof TypeError) { state.reachable = false; render(); return local(url, options); }
      throw problem;
    });
  };
  // Let in online by this phone: offline, the same ticket is orange here, not a new entry.
  function remember(response) {
    response.json().then(function (body) {
      var person = body.registration;
      if (!person || typeof person.id !== "number" || !state.db) return;
      run(["admitted"], "readwrite", function (t) {
        t.objectStore("admitted").put({id: person.id, at: person.checked_in_at || new Date().toISOString()});
      });
    }).catch(function () {});
  }
  function isDoor(url) {
    var path = url.split("?")[0];
    return [panel.dataset.checkins, panel.dataset.undo, panel.dataset.search, panel.dataset.counters].indexOf(path) >= 0;
  }

  // --- Keeping the copy, sending the queue --------------------------------------------------

  function request(method, url, payload) {
    var options = {method: method, credentials: "same-origin", headers: {"Accept": "application/json", "X-CSRFToken": csrf, "X-Device": device()}};
    if (payload) { options.body = JSON.stringify(payload); options.headers["Content-Type"] = "application/json"; }
    return networkFetch(url, options).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    });
  }

  function wipe() {
    if (state.db) state.db.close();
    state.db = state.meta = null;
    state.over = true;
    indexedDB.deleteDatabase(DB_NAME);
    delete document.body.dataset.offline;
    render();
  }

  // The copy: whole the first time, then what changed since the cursor.
  function refresh() {
    var meta = state.meta;
    var url = panel.dataset.tickets + (meta ? "?since=" + encodeURIComponent(meta.cursor) : "");
    return request("GET", url).then(function (reply) {
      if (reply.status === 410) { if (!state.pending) wipe(); return; }
      if (reply.status !== 200) return;
      var copy = reply.body;
      var full = copy.full || !meta || meta.key !== copy.key;
      var next = {name: "copy", key: copy.key, cursor: copy.cursor, ends_at: copy.ends_at, synced_at: new Date().toISOString()};
      return run(["tickets", "meta"], "readwrite", function (t) {
        var tickets = t.objectStore("tickets");
        if (full) tickets.clear();
        copy.tickets.forEach(function (ticket) { tickets.put(ticket); });
        t.objectStore("meta").put(next);
      }).then(function () { return count("tickets"); }).then(function (stored) {
        state.count = stored;
        if (stored !== copy.total) { state.meta = null; return refresh(); }
        return useKey(copy.key).then(function () {
          state.meta = next;
          document.body.dataset.offline = "ready";
        });
      });
    });
  }

  function conflict(scan) {
    var who = scan.registration.given_name + " " + scan.registration.family_name;
    var first = scan.conflict.first;
    var second = scan.conflict.second;
    var text = format(MESSAGES.conflict, {name: who, first: time(first.at), first_by: first.by || "?", second: time(second.at), second_by: second.by || "?"});
    var item = document.createElement("li");
    item.textContent = text;
    conflictList.appendChild(item);
    conflictList.hidden = false;
    var result = document.getElementById("result");
    if (result) {
      result.className = "door-result door-result--warn";
      document.getElementById("result-title").textContent = MESSAGES.conflict_title;
      document.getElementById("result-detail").textContent = text;
    }
  }

  // Send the queued scans in one batch; a scan the server refuses leaves the queue.
  function flush() {
    return all("queue").then(function (queue) {
      if (!queue.length) return;
      var scans = queue.map(function (s) { return {nonce: s.nonce, id: s.id, scanned_at: s.scanned_at}; });
      return request("POST", panel.dataset.sync, {scans: scans}).then(function (reply) {
        var done = [];
        if (reply.status === 200) {
          done = queue;
          reply.body.scans.forEach(function (scan) { if (scan.conflict) conflict(scan); });
        } else if (reply.body && typeof reply.body.index === "number" && reply.body.index >= 0) {
          done = [queue[reply.body.index]];
          var item = document.createElement("li");
          item.textContent = queue[reply.body.index].name + " — " + reply.body.error;
          conflictList.appendChild(item);
          conflictList.hidden = false;
        }
        return run(["queue"], "readwrite", function (t) {
          done.forEach(function (scan) { t.objectStore("queue").delete(scan.nonce); });
        }).then(function () { return count("queue"); }).then(function (left) { state.pending = left; });
      });
    });
  }

  function sync() {
    if (state.over || state.busy || !navigator.onLine) { render(); return Promise.resolve(); }
    state.busy = true;
    return flush().then(refresh).then(function () { state.reachable = true; }, function () { state.reachable = false; })
      .then(function () { state.busy = false; render(); });
  }

  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", render);

  // The door page and its files, for the service worker to serve without network.
  function cacheShell() {
    if (!window.caches) return;
    var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
      .filter(function (url) { return url.indexOf(location.origin + "/static/") === 0; });
    caches.open("accueil-door-v1").then(function (cache) { return cache.addAll([location.pathname].concat(files)); }).catch(function () {});
  }
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(panel.dataset.worker, {scope: panel.dataset.scope}).catch(function () {});
    if (document.readyState === "complete") cacheShell(); else window.addEventListener("load", cacheShell);
  }

  window.AccueilOffline = {sync: sync, isOffline: offline};
  open().then(function (db) {
    state.db = db;
    return get("meta", "copy");
  }).then(function (meta) {
    if (meta && new Date(meta.ends_at) <= new Date()) { wipe(); return; }
    return Promise.all([count("tickets"), count("queue")]).then(function (counts) {
      state.count = counts[0];
      state.pending = counts[1];
      if (!meta) return;
      return useKey(meta.key).then(function () {
        state.meta = meta;
        document.body.dataset.offline = "ready";
      });
    });
  }).then(function () {
    render();
    sync();
    setInterval(sync, SYNC_EVERY);
  });
})();
