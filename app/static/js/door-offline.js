// The door without network: a copy of the event's tickets on the phone (IndexedDB), local
// verdicts, a queue of scans sent back when the network returns, conflicts shown.
// The copy holds keyed hashes of ticket codes and references, never the codes; the key comes
// with the copy. While the server answers, door.js does everything; once the phone is offline
// (or the server stops answering), this script takes the scan, search and undo first.
(function () {
  "use strict";
  var panel = document.getElementById("door-offline");
  if (!panel || !window.indexedDB || !window.crypto || !crypto.subtle) return;
  var MESSAGES = JSON.parse(document.getElementById("door-offline-messages").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var zone = panel.dataset.timezone;
  var locale = document.documentElement.lang || undefined;
  var status = document.getElementById("offline-status");
  var conflictList = document.getElementById("offline-conflicts");
  var found = document.getElementById("offline-results");
  var DB_NAME = "accueil-door-" + panel.dataset.slug;
  var REFERENCE = /^[ACEFGHJKMNPRTWXY34679]{8}$/;
  var CODE = /^[A-Za-z0-9_-]{20,43}$/;
  var SYNC_EVERY = 10000;
  var state = {db: null, meta: null, count: 0, pending: 0, reachable: true, hmac: null, busy: false};

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

  function hash(kind, value) {
    return crypto.subtle.sign("HMAC", state.hmac, new TextEncoder().encode(kind + ":" + value)).then(function (mac) {
      return Array.prototype.map.call(new Uint8Array(mac), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("").slice(0, 32);
    });
  }
  function useKey(key) {
    return crypto.subtle.importKey("raw", new TextEncoder().encode(key), {name: "HMAC", hash: "SHA-256"}, false, ["sign"])
      .then(function (hmac) { state.hmac = hmac; });
  }

  // What was read: a ticket URL, a code, a reference (any case, hyphen or not); else a name.
  function target(text) {
    text = text.trim();
    if (text.indexOf("/") >= 0) {
      var match = /\/t\/([A-Za-z0-9_-]+)\/?$/.exec(text.split(/[?#]/)[0]);
      text = match ? match[1] : "";
    }
    var reference = text.replace(/[\s-]/g, "").toUpperCase();
    if (REFERENCE.test(reference)) return ["ref", reference];
    if (CODE.test(text)) return ["code", text];
    return null;
  }

  function render() {
    var offline = !navigator.onLine || !state.reachable;
    document.body.dataset.network = offline ? "offline" : "online";
    document.body.dataset.pending = String(state.pending);
    panel.className = "door-offline door-offline--" + (offline ? "offline" : state.meta ? "ready" : "idle");
    var lines = [];
    if (offline) lines.push(state.meta ? MESSAGES.offline : MESSAGES.offline_no_copy);
    else if (state.meta) lines.push(format(MESSAGES.ready, {count: state.count, time: time(state.meta.synced_at)}));
    else lines.push(MESSAGES.preparing);
    if (state.pending) lines.push(format(state.pending === 1 ? MESSAGES.pending_one : MESSAGES.pending, {count: state.pending}));
    status.textContent = lines.join(" ");
  }

  function show(look, icon, title, detail) {
    var result = document.getElementById("result");
    if (!result) return;
    result.className = "door-result door-result--" + look;
    result.querySelector(".door-icon").textContent = icon;
    document.getElementById("result-title").textContent = title;
    document.getElementById("result-detail").textContent = detail;
    if (navigator.vibrate && document.getElementById("sound") && document.getElementById("sound").checked) {
      navigator.vibrate(look === "ok" ? 80 : [120, 60, 120]);
    }
  }
  // The door's "N / M entrés" counts this phone's queued scans too, until the server does.
  function bump(step) {
    var counter = document.getElementById("count-checked-in");
    if (counter) counter.textContent = String(Math.max(0, (parseInt(counter.textContent, 10) || 0) + step));
  }
  function person(ticket) {
    return [ticket.given_name + " " + ticket.family_name, ticket.organisation].filter(Boolean).join(" — ");
  }

  // The local verdict: green (queued), orange (this phone, or the copy, says already in), red.
  function judge(ticket) {
    if (!ticket) { show("error", "✖", MESSAGES.unknown, MESSAGES.offline_verdict); return Promise.resolve(); }
    if (ticket.status !== "confirmed") {
      show("error", "✖", MESSAGES[ticket.status] || MESSAGES.unknown, person(ticket));
      return Promise.resolve();
    }
    return run(["admitted"], "readonly", function (t) { return t.objectStore("admitted").get(ticket.id); }).then(function (mine) {
      var at = (mine && mine.at) || ticket.checked_in_at;
      if (at) { show("warn", "⚠", MESSAGES.already, person(ticket) + " — " + format(MESSAGES.in_at, {time: time(at)})); return; }
      var scan = {nonce: nonce(), id: ticket.id, scanned_at: new Date().toISOString(), name: person(ticket)};
      return run(["queue", "admitted"], "readwrite", function (t) {
        t.objectStore("queue").put(scan);
        t.objectStore("admitted").put({id: ticket.id, at: scan.scanned_at, nonce: scan.nonce});
      }).then(function () {
        state.pending += 1;
        bump(1);
        render();
        show("ok", "✔", MESSAGES.checked_in, person(ticket) + " — " + MESSAGES.offline_verdict);
      });
    });
  }

  function scanText(text) {
    var what = target(text);
    if (!what) return searchText(text);
    return hash(what[0], what[1]).then(function (key) {
      return run(["tickets"], "readonly", function (t) { return t.objectStore("tickets").index("keys").get(key); });
    }).then(judge);
  }

  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function searchText(text) {
    var words = fold(text).split(/\s+/).filter(Boolean);
    found.textContent = "";
    if (!words.length || words.join("").length < 2) return Promise.resolve();
    return all("tickets").then(function (tickets) {
      tickets.filter(function (ticket) {
        var haystack = fold(ticket.given_name + " " + ticket.family_name + " " + ticket.organisation);
        return words.every(function (word) { return haystack.indexOf(word) >= 0; });
      }).slice(0, 10).forEach(function (ticket) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        item.textContent = person(ticket) + " ";
        button.type = "button";
        button.className = "fr-btn fr-btn--sm";
        button.textContent = MESSAGES.let_in;
        button.setAttribute("aria-label", format(MESSAGES.let_in_person, {name: ticket.given_name + " " + ticket.family_name}));
        button.addEventListener("click", function () {
          found.textContent = "";
          var search = document.getElementById("search-q");
          if (search) search.value = "";
          judge(ticket);
        });
        item.appendChild(button);
        found.appendChild(item);
      });
      if (!found.children.length) { var none = document.createElement("li"); none.textContent = MESSAGES.no_match; found.appendChild(none); }
    });
  }

  // Undo the last scan still waiting: it never reaches the server.
  function undo() {
    return all("queue").then(function (queue) {
      if (!queue.length) { show("warn", "⚠", MESSAGES.nothing_to_undo, ""); return; }
      queue.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      var last = queue[queue.length - 1];
      return run(["queue", "admitted"], "readwrite", function (t) {
        t.objectStore("queue").delete(last.nonce);
        t.objectStore("admitted").delete(last.id);
      }).then(function () { state.pending -= 1; bump(-1); render(); show("warn", "↶", MESSAGES.undone, last.name); });
    });
  }

  function request(method, url, payload) {
    var options = {method: method, credentials: "same-origin", headers: {"Accept": "application/json", "X-CSRFToken": csrf, "X-Device": device()}};
    if (payload) { options.body = JSON.stringify(payload); options.headers["Content-Type"] = "application/json"; }
    return fetch(url, options).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    });
  }

  function wipe() {
    if (state.db) state.db.close();
    state.db = state.meta = null;
    indexedDB.deleteDatabase(DB_NAME);
    delete document.body.dataset.offline;
    state.over = true;
    render();
  }

  // The copy: whole the first time, then what changed since the cursor.
  function refresh() {
    var meta = state.meta;
    var url = panel.dataset.tickets + (meta ? "?since=" + encodeURIComponent(meta.cursor) : "");
    return request("GET", url).then(function (answer) {
      if (answer.status === 410) { if (!state.pending) wipe(); return; }
      if (answer.status !== 200) return;
      var copy = answer.body;
      var full = copy.full || !meta || meta.key !== copy.key;
      var next = {name: "copy", key: copy.key, cursor: copy.cursor, ends_at: copy.ends_at, synced_at: new Date().toISOString()};
      return run(["tickets", "meta"], "readwrite", function (t) {
        var tickets = t.objectStore("tickets");
        if (full) tickets.clear();
        copy.tickets.forEach(function (ticket) { tickets.put(ticket); });
        t.objectStore("meta").put(next);
      }).then(function () { return count("tickets"); }).then(function (stored) {
        state.meta = next;
        state.count = stored;
        document.body.dataset.offline = "ready";
        if (stored !== copy.total) { state.meta = null; return refresh(); }
        return useKey(copy.key);
      });
    });
  }

  // Send the queued scans in one batch; keep those the server refuses out of the queue.
  function flush() {
    return all("queue").then(function (queue) {
      if (!queue.length) return;
      var scans = queue.map(function (s) { return {nonce: s.nonce, id: s.id, scanned_at: s.scanned_at}; });
      return request("POST", panel.dataset.sync, {scans: scans}).then(function (answer) {
        var done = [];
        if (answer.status === 200) {
          done = queue;
          answer.body.scans.forEach(function (scan) { if (scan.conflict) conflict(scan); });
        } else if (answer.body && typeof answer.body.index === "number" && answer.body.index >= 0) {
          done = [queue[answer.body.index]];
          show("error", "✖", answer.body.error, queue[answer.body.index].name);
        }
        return run(["queue"], "readwrite", function (t) {
          done.forEach(function (scan) { t.objectStore("queue").delete(scan.nonce); });
        }).then(function () { return count("queue"); }).then(function (left) { state.pending = left; });
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
    show("warn", "⚠", MESSAGES.conflict_title, text);
  }

  function sync() {
    if (state.over || state.busy || !navigator.onLine) { render(); return Promise.resolve(); }
    state.busy = true;
    return flush().then(refresh).then(function () { state.reachable = true; }, function () { state.reachable = false; })
      .then(function () { state.busy = false; render(); });
  }

  function offline() { return !navigator.onLine || !state.reachable; }

  // Taken before door.js sees them (capture phase), only while offline and with a copy.
  document.addEventListener("submit", function (event) {
    if (!offline() || !state.meta || !event.target.querySelector("#scan-code")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var input = event.target.querySelector("#scan-code");
    scanText(input.value);
    input.value = "";
    input.focus();
  }, true);
  document.addEventListener("input", function (event) {
    if (!offline() || !state.meta || event.target.id !== "search-q") return;
    event.stopImmediatePropagation();
    searchText(event.target.value);
  }, true);
  document.addEventListener("click", function (event) {
    if (!state.meta || !event.target.closest || !event.target.closest("#undo")) return;
    if (!offline() && !state.pending) return;
    event.stopImmediatePropagation();
    undo();
  }, true);
  window.addEventListener("online", function () { sync(); });
  window.addEventListener("offline", render);

  function cacheShell() {
    if (!window.caches) return;
    var files = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
      .filter(function (url) { return url.indexOf(location.origin + "/static/") === 0; });
    caches.open("accueil-door-v1").then(function (cache) { return cache.addAll([location.pathname].concat(files)); }).catch(function () {});
  }
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(panel.dataset.worker, {scope: panel.dataset.scope}).catch(function () {});
    window.addEventListener("load", cacheShell);
  }

  window.AccueilOffline = {scan: scanText, search: searchText, undo: undo, sync: sync, isOffline: offline};
  open().then(function (db) {
    state.db = db;
    return run(["meta"], "readonly", function (t) { return t.objectStore("meta").get("copy"); });
  }).then(function (meta) {
    if (meta && new Date(meta.ends_at) <= new Date()) { wipe(); return; }
    state.meta = meta || null;
    return Promise.all([count("tickets"), count("queue")]).then(function (counts) {
      state.count = counts[0];
      state.pending = counts[1];
      if (meta) { document.body.dataset.offline = "ready"; return useKey(meta.key); }
    });
  }).then(function () {
    render();
    sync();
    setInterval(sync, SYNC_EVERY);
  });
})();
