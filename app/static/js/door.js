// The door screen: scan (camera, hand-held scanner or typed code), search, undo, counters.
// No framework, no third-party script: served from our own origin (CSP script-src 'self').
// Every word it shows comes from the page (#door-messages, a JSON block rendered through
// gettext), so the script speaks the page's language; times follow <html lang>.
(function () {
  "use strict";
  var door = document.getElementById("door");
  if (!door) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var zone = door.dataset.timezone;
  var result = document.getElementById("result");
  var title = document.getElementById("result-title");
  var detail = document.getElementById("result-detail");
  var icon = result.querySelector(".door-icon");
  var codeInput = document.getElementById("scan-code");
  var sound = document.getElementById("sound");
  var lastText = "";
  var lastAt = 0;
  var MESSAGES = JSON.parse(document.getElementById("door-messages").textContent);
  var locale = document.documentElement.lang || undefined;

  // Each answer of the scanner API: look (colour), icon; its words are MESSAGES.results[status].
  var LOOKS = {
    checked_in: ["ok", "✔"],
    already_checked_in: ["warn", "⚠"],
    cancelled: ["error", "✖"],
    waitlisted: ["error", "✖"],
    other_event: ["error", "✖"],
    unknown: ["error", "✖"],
    malformed: ["error", "✖"],
    undone: ["warn", "↶"],
    failure: ["error", "✖"]
  };

  // Fill the named placeholders of a message: format("Entré(e) à %(time)s", {time: "14:05"}).
  function format(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (placeholder, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : placeholder;
    });
  }

  function time(iso) {
    return new Date(iso).toLocaleTimeString(locale, {hour: "2-digit", minute: "2-digit", timeZone: zone});
  }

  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function beep(kind) {
    if (!sound.checked) return;
    if (navigator.vibrate) navigator.vibrate(kind === "ok" ? 80 : [120, 60, 120]);
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    var context = beep.context || (beep.context = new Context());
    var tones = kind === "ok" ? [880] : kind === "warn" ? [520, 520] : [220, 180];
    tones.forEach(function (frequency, index) {
      var oscillator = context.createOscillator();
      var gain = context.createGain();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      gain.connect(context.destination);
      var start = context.currentTime + index * 0.18;
      gain.gain.setValueAtTime(0.2, start);
      oscillator.start(start);
      oscillator.stop(start + 0.14);
    });
  }

  function show(status, body) {
    if (!Object.prototype.hasOwnProperty.call(LOOKS, status)) status = "failure";
    var look = LOOKS[status];
    result.className = "door-result door-result--" + look[0];
    icon.textContent = look[1];
    title.textContent = MESSAGES.results[status];
    var person = body && body.registration;
    var lines = [];
    if (person) {
      lines.push((person.given_name || "") + " " + (person.family_name || ""));
      if (person.organisation) lines.push(person.organisation);
      if (person.event_title) lines.push(person.event_title);
    }
    if (status === "already_checked_in" && body.checked_in_at) {
      lines.push(body.by
        ? format(MESSAGES.checked_in_at_by, {time: time(body.checked_in_at), who: body.by})
        : format(MESSAGES.checked_in_at, {time: time(body.checked_in_at)}));
    }
    detail.textContent = lines.join(" — ");
    beep(look[0]);
  }

  function send(method, url, payload, attempt) {
    var options = {method: method, headers: {"X-CSRFToken": csrf, "Accept": "application/json"}, credentials: "same-origin"};
    if (payload !== undefined) {
      if (payload instanceof Blob) {
        options.body = payload;
        options.headers["Content-Type"] = payload.type;
      } else {
        options.body = JSON.stringify(payload);
        options.headers["Content-Type"] = "application/json";
      }
    }
    return fetch(url, options).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).catch(function (problem) {
      // Poor venue Wi-Fi: retry the same request (same nonce: the same scan).
      if ((attempt || 0) < 2) return send(method, url, payload, (attempt || 0) + 1);
      throw problem;
    });
  }

  function scan(text) {
    text = text.trim();
    if (!text) return;
    var now = Date.now();
    if (text === lastText && now - lastAt < 3000) return;  // the camera sees the same code again
    lastText = text;
    lastAt = now;
    admit({code: text});
  }

  // One-tap admit from a search result: by the registration's id (the door never sees codes).
  function admit(target) {
    target.nonce = nonce();
    send("POST", door.dataset.checkins, target).then(function (answer) {
      show(answer.body.status, answer.body);
      refreshCounters();
    }).catch(function () { show("failure"); });
  }

  document.getElementById("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    scan(codeInput.value);
    codeInput.value = "";
    codeInput.focus();
  });

  document.getElementById("undo").addEventListener("click", function () {
    send("POST", door.dataset.undo, {}).then(function (answer) {
      if (answer.status === 200) show("undone", answer.body);
      else { result.className = "door-result door-result--warn"; icon.textContent = "⚠"; title.textContent = answer.body.error || MESSAGES.nothing_to_undo; detail.textContent = ""; }
      refreshCounters();
    }).catch(function () { show("failure"); });
  });

  function refreshCounters() {
    send("GET", door.dataset.counters).then(function (answer) {
      if (answer.status !== 200) return;
      document.getElementById("count-checked-in").textContent = answer.body.checked_in;
      document.getElementById("count-confirmed").textContent = answer.body.confirmed;
    }).catch(function () {});
  }
  setInterval(refreshCounters, 5000);

  // Search by name or organisation, one tap to let someone in.
  var searchInput = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var searchTimer = null;
  searchInput.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      var q = searchInput.value.trim();
      list.textContent = "";
      if (q.length < 2) return;
      send("GET", door.dataset.search + "?q=" + encodeURIComponent(q)).then(function (answer) {
        list.textContent = "";
        (answer.body.results || []).forEach(function (person) {
          var item = document.createElement("li");
          var label = document.createElement("span");
          label.textContent = person.given_name + " " + person.family_name + " — " + person.organisation + " (" +
            (person.checked_in_at
              ? format(MESSAGES.listed_checked_in_at, {time: time(person.checked_in_at)})
              : MESSAGES.statuses[person.status]) + ")";
          item.appendChild(label);
          if (person.status === "confirmed" && !person.checked_in_at) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "fr-btn fr-btn--sm";
            button.textContent = MESSAGES.let_in;
            button.setAttribute("aria-label",
              format(MESSAGES.let_in_person, {name: person.given_name + " " + person.family_name}));
            button.addEventListener("click", function () {
              admit({id: person.id});
              searchInput.value = "";
              list.textContent = "";
            });
            item.appendChild(button);
          }
          list.appendChild(item);
        });
        if (!list.children.length) {
          var none = document.createElement("li");
          none.textContent = MESSAGES.no_match;
          list.appendChild(none);
        }
      }).catch(function () {});
    }, 250);
  });

  // Camera: BarcodeDetector where the browser has it, else frames decoded by the server.
  var video = document.getElementById("camera");
  var toggle = document.getElementById("camera-toggle");
  var cameraStatus = document.getElementById("camera-status");
  var stream = null;
  var detector = null;
  var canvas = document.createElement("canvas");
  var busy = false;

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    cameraStatus.textContent = "";
  }

  function tick() {
    if (!stream) return;
    if (busy || video.readyState < 2) { setTimeout(tick, 250); return; }
    busy = true;
    if (detector) {
      detector.detect(video).then(function (codes) {
        busy = false;
        if (codes.length) scan(codes[0].rawValue);
        setTimeout(tick, 250);
      }).catch(function () { busy = false; setTimeout(tick, 500); });
      return;
    }
    var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      send("POST", door.dataset.decode, blob).then(function (answer) {
        busy = false;
        if (answer.status === 200) scan(answer.body.text);
        setTimeout(tick, 600);
      }).catch(function () { busy = false; setTimeout(tick, 1000); });
    }, "image/jpeg", 0.8);
  }

  toggle.addEventListener("click", function () {
    if (stream) { stopCamera(); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraStatus.textContent = MESSAGES.camera_unavailable;
      return;
    }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      toggle.setAttribute("aria-pressed", "true");
      var native = "BarcodeDetector" in window;
      detector = native ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
      cameraStatus.textContent = native ? MESSAGES.camera_on_device : MESSAGES.camera_on_server;
      tick();
    }).catch(function () {
      cameraStatus.textContent = MESSAGES.camera_denied;
    });
  });
})();
