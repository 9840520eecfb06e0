// The door screen: one field for a scan (camera, hand-held scanner), a typed reference or a
// name; search results right under it with a one-tap admit; a quiet undo that asks first.
// No framework, no third-party script: served from our own origin (CSP script-src 'self').
// Every word it shows comes from the page (#door-messages, a JSON block rendered through
// gettext), so the script speaks the page's language; times follow <html lang>.
//
// Other scripts plug in through window.AccueilDoor (see the end of this file): show a
// verdict in the result panel, and be told before a scan is sent, after its answer, or
// when the server could not be reached.
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
  var field = document.getElementById("scan-code");
  var list = document.getElementById("search-results");
  var sound = document.getElementById("sound");
  var MESSAGES = JSON.parse(document.getElementById("door-messages").textContent);
  var locale = document.documentElement.lang || undefined;
  var lastText = "";
  var lastAt = 0;
  var hooks = {beforeSend: [], answered: [], failed: []};

  // What a scan looks like, as opposed to a name: the ticket's URL, its code (20 to 43
  // URL-safe characters), or its short reference (8 symbols, any case, hyphen optional).
  var symbols = "[" + door.dataset.referenceAlphabet + "]";
  var REFERENCE = new RegExp("^" + symbols + "{4}[\\s\\-\u2010-\u2015]?" + symbols + "{4}$", "i");
  var CODE = /^[A-Za-z0-9_-]{20,43}$/;
  function looksLikeScan(text) {
    return text.indexOf("/") !== -1 || CODE.test(text) || REFERENCE.test(text);
  }

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

  function fullName(person) {
    return (person.given_name || "") + " " + (person.family_name || "");
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

  // With the keyboard open a phone shows little: after each action, bring the result
  // panel to the top of the screen if it, the field or the first admit button is out of
  // view, and whenever results are listed (the more of them in view, the better).
  function keepInView() {
    var panel = result.getBoundingClientRect();
    var button = list.querySelector("button");
    var lowest = (button || field).getBoundingClientRect().bottom;
    if (panel.top < 0 || lowest > window.innerHeight || list.children.length) {
      window.scrollBy(0, panel.top - 4);
    }
  }

  // The verdict in the big panel: colour, icon, words, whom it was, and when they came in.
  function show(status, body) {
    if (!Object.prototype.hasOwnProperty.call(LOOKS, status)) status = "failure";
    var look = LOOKS[status];
    result.className = "door-result door-result--" + look[0];
    icon.textContent = look[1];
    title.textContent = MESSAGES.results[status];
    var person = body && body.registration;
    var lines = [];
    if (person) {
      lines.push(fullName(person));
      if (person.organisation) lines.push(person.organisation);
      if (person.event_title) lines.push(person.event_title);
    }
    if (status === "already_checked_in" && body && body.checked_in_at) {
      lines.push(body.by
        ? format(MESSAGES.checked_in_at_by, {time: time(body.checked_in_at), who: body.by})
        : format(MESSAGES.checked_in_at, {time: time(body.checked_in_at)}));
    }
    detail.textContent = lines.join(" — ");
    beep(look[0]);
    keepInView();
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

  // Undo: the button names whom this person let in last; a tap asks, a second one acts.
  var undoArea = document.getElementById("undo-area");
  var undoButton = document.getElementById("undo");
  var undoConfirm = document.getElementById("undo-confirm");
  var undoQuestion = document.getElementById("undo-question");

  function offerUndo(person) {
    undoConfirm.hidden = true;
    if (!person) {
      undoArea.hidden = true;
      undoButton.dataset.id = "";
      return;
    }
    undoButton.dataset.id = String(person.id);
    undoButton.dataset.name = fullName(person);
    undoButton.textContent = format(MESSAGES.undo_person, {name: fullName(person)});
    undoButton.hidden = false;
    undoArea.hidden = false;
  }

  undoButton.addEventListener("click", function () {
    undoQuestion.textContent = format(MESSAGES.undo_question, {name: undoButton.dataset.name});
    undoButton.hidden = true;
    undoConfirm.hidden = false;
    document.getElementById("undo-yes").focus();
  });

  document.getElementById("undo-no").addEventListener("click", function () {
    undoConfirm.hidden = true;
    undoButton.hidden = false;
    field.focus();
  });

  document.getElementById("undo-yes").addEventListener("click", function () {
    var target = {id: Number(undoButton.dataset.id)};
    send("POST", door.dataset.undo, target).then(function (answer) {
      offerUndo(null);
      if (answer.status === 200) show("undone", answer.body);
      else {
        show("already_checked_in");
        title.textContent = (answer.body && answer.body.error) || MESSAGES.nothing_to_undo;
      }
      refreshCounters();
      refreshSearch();
      field.focus();
    }).catch(function () { show("failure"); });
  });

  // One scan or one-tap admit: {code: "<what was read or typed>"} or {id: <search result>}.
  function admit(target) {
    target.nonce = nonce();
    for (var i = 0; i < hooks.beforeSend.length; i++) {
      if (hooks.beforeSend[i](target) === false) return;  // another script took it over
    }
    send("POST", door.dataset.checkins, target).then(function (answer) {
      show(answer.body.status, answer.body);
      if (answer.body.status === "checked_in") offerUndo(answer.body.registration);
      hooks.answered.forEach(function (hook) { hook(target, answer); });
      refreshCounters();
      refreshSearch();
    }).catch(function () {
      for (var i = 0; i < hooks.failed.length; i++) {
        if (hooks.failed[i](target) === true) return;  // handled (e.g. kept for later)
      }
      show("failure");
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

  // The field: Enter on a scan or a reference lets in; on anything else, it searches now.
  document.getElementById("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    var text = field.value.trim();
    if (looksLikeScan(text)) {
      scan(text);
      field.value = "";
      list.textContent = "";
    } else {
      search(text);
    }
    field.focus();
  });

  function refreshCounters() {
    send("GET", door.dataset.counters).then(function (answer) {
      if (answer.status !== 200) return;
      document.getElementById("count-checked-in").textContent = answer.body.checked_in;
      document.getElementById("count-confirmed").textContent = answer.body.confirmed;
    }).catch(function () {});
  }
  setInterval(refreshCounters, 5000);

  // Search by name or organisation as one types; the results come right under the field.
  var searchTimer = null;
  var shownQuery = "";

  function resultItem(person) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = fullName(person);
    label.appendChild(name);
    // Who may come in needs no word but the button; the others say why not.
    var state = person.checked_in_at
      ? format(MESSAGES.listed_checked_in_at, {time: time(person.checked_in_at)})
      : person.status === "confirmed" ? "" : MESSAGES.statuses[person.status];
    label.appendChild(document.createTextNode(" — " + person.organisation + (state ? " (" + state + ")" : "")));
    item.appendChild(label);
    if (person.status === "confirmed" && !person.checked_in_at) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "fr-btn fr-btn--sm";
      button.textContent = MESSAGES.let_in;
      button.setAttribute("aria-label", format(MESSAGES.let_in_person, {name: fullName(person)}));
      button.addEventListener("click", function () {
        admit({id: person.id});
        // The query stays, selected: the next person's scan replaces it.
        field.focus();
        field.select();
      });
      item.appendChild(button);
    }
    return item;
  }

  function search(q) {
    if (q.length < 2 || looksLikeScan(q)) {
      shownQuery = "";
      list.textContent = "";
      return;
    }
    send("GET", door.dataset.search + "?q=" + encodeURIComponent(q)).then(function (answer) {
      if (field.value.trim() !== q) return;  // typed on meanwhile: a newer search follows
      shownQuery = q;
      list.textContent = "";
      (answer.body.results || []).forEach(function (person) { list.appendChild(resultItem(person)); });
      if (!list.children.length) {
        var none = document.createElement("li");
        none.textContent = MESSAGES.no_match;
        list.appendChild(none);
      }
      keepInView();
    }).catch(function () {});
  }

  // After an entry or an undo, the list shows who is in now.
  function refreshSearch() {
    if (shownQuery && field.value.trim() === shownQuery) search(shownQuery);
  }

  field.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(field.value.trim()); }, 250);
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

  // A result the server rendered (a walk-in just let in) is brought into view, like any other.
  keepInView();

  // For other scripts (e.g. the offline door): plug in without touching this file.
  window.AccueilDoor = {
    // Show a verdict: show("checked_in", {registration: {given_name, family_name, organisation}}).
    show: show,
    // Let someone in as the field or a search result would: admit({code: "…"} or {id: n}).
    admit: admit,
    // handler(target) before a scan is sent; returning false stops the send (taken over).
    onBeforeSend: function (handler) { hooks.beforeSend.push(handler); },
    // handler(target, {status, body}) after the server answered a scan.
    onAnswer: function (handler) { hooks.answered.push(handler); },
    // handler(target) when the server could not be reached; returning true means handled.
    onFailure: function (handler) { hooks.failed.push(handler); },
    // Offer to undo this person's entry (or nobody's, with null).
    offerUndo: offerUndo,
    messages: MESSAGES,
    element: door
  };
  door.dispatchEvent(new CustomEvent("accueil:door-ready", {bubbles: true}));
})();
