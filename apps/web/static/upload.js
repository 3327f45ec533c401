// Docket upload page: many files at once, a progress bar for each, duplicates announced first.
// Served from 'self' (the CSP allows no inline script).  Without it the form posts as it is.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var list = document.getElementById("upload-list");
  var panel = document.getElementById("upload-progress");
  if (!form || !list || !window.FormData || !window.XMLHttpRequest) { return; }
  var csrf = form.querySelector("input[name=csrf_token]").value;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // SHA-256 in the browser: only on HTTPS or localhost (crypto.subtle); else null.
  function digest(file) {
    if (!window.crypto || !window.crypto.subtle || !file.arrayBuffer) { return Promise.resolve(null); }
    return file.arrayBuffer().then(function (data) {
      return window.crypto.subtle.digest("SHA-256", data);
    }).then(hex, function () { return null; });
  }

  function row(file) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "status";
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(status);
    list.appendChild(item);
    return { item: item, bar: bar, status: status };
  }

  function send(file, view, direction, folder) {
    var data = new FormData();
    data.append("file", file);
    data.append("direction", direction);
    data.append("folder", folder);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/upload");
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) { view.bar.value = Math.round(100 * event.loaded / event.total); }
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
      if (xhr.status === 201) {
        view.bar.value = 100;
        view.item.className = "upload-item " + (answer.duplicate ? "duplicate" : "done");
        view.status.textContent = answer.message || "";
      } else {
        view.item.className = "upload-item failed";
        view.status.textContent = answer.detail || String(xhr.status);
      }
    };
    xhr.onerror = function () {
      view.item.className = "upload-item failed";
      view.status.textContent = "—";
    };
    xhr.send(data);
  }

  function ask(hashes, files) {
    var wanted = [];
    hashes.forEach(function (sha, i) { if (sha) { wanted.push({ sha256: sha, name: files[i].name }); } });
    if (!wanted.length) { return Promise.resolve({}); }
    return fetch("/api/upload/check", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ files: wanted })
    }).then(function (r) { return r.ok ? r.json() : []; }).then(function (answers) {
      var bySha = {};
      answers.forEach(function (a) { bySha[a.sha256] = a; });
      return bySha;
    }, function () { return {}; });
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length || !form.checkValidity()) { return; }
    event.preventDefault();
    var direction = form.querySelector("input[name=direction]:checked").value;
    var folder = form.querySelector("input[name=folder]").value;
    panel.hidden = false;
    var views = files.map(row);
    Promise.all(files.map(digest)).then(function (hashes) {
      return ask(hashes, files).then(function (bySha) {
        files.forEach(function (file, i) {
          var known = hashes[i] && bySha[hashes[i]];
          if (known && known.duplicate) {
            views[i].item.className = "upload-item duplicate";
            views[i].status.textContent = known.message + " ";
            var again = document.createElement("button");
            again.type = "button";
            again.textContent = panel.getAttribute("data-anyway");
            again.addEventListener("click", function () {
              again.remove();
              send(file, views[i], direction, folder);
            });
            views[i].status.appendChild(again);
          } else {
            send(file, views[i], direction, folder);
          }
        });
      });
    });
    input.value = "";
  });
})();
