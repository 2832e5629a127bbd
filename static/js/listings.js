// Photo uploads on the dashboard: one request per file so each shows its own progress.
// Without JavaScript the same form posts all files at once and the server answers with a page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-url]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var input = form.querySelector("input[type=file]");
  var list = form.querySelector(".upload-progress");
  var texts = JSON.parse(document.getElementById("upload-texts").textContent);
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function row(file) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    var bar = document.createElement("progress");
    var note = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    bar.max = 100;
    bar.value = 0;
    note.className = "upload-note";
    note.textContent = texts.waiting;
    item.append(name, bar, note);
    list.append(item);
    return { item: item, bar: bar, note: note };
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      var data = new FormData();
      data.append("image", file);
      request.open("POST", form.dataset.uploadUrl);
      request.setRequestHeader("X-CSRFToken", token);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          view.bar.value = Math.round((event.loaded / event.total) * 100);
          view.note.textContent = texts.uploading;
        }
      });
      request.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
        if (request.status < 300 && answer.ok) {
          view.bar.value = 100;
          view.note.textContent = texts.done;
          view.item.classList.add("is-done");
          resolve(true);
        } else {
          view.note.textContent = answer.error || texts.failed;
          view.item.classList.add("is-error");
          resolve(false);
        }
      });
      request.addEventListener("error", function () {
        view.note.textContent = texts.failed;
        view.item.classList.add("is-error");
        resolve(false);
      });
      request.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) return; // let the server say a file is needed
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    list.hidden = false;
    list.textContent = "";
    var views = files.map(row);
    // One after another: a slow village connection does better with one upload at a time.
    var chain = Promise.resolve([]);
    files.forEach(function (file, index) {
      chain = chain.then(function (results) {
        return send(file, views[index]).then(function (ok) { return results.concat(ok); });
      });
    });
    chain.then(function (results) {
      button.disabled = false;
      input.value = "";
      var allGood = results.every(Boolean);
      // Show the new photos; when one was refused, keep its message on screen instead.
      if (allGood) window.location.reload();
      else if (results.some(Boolean)) {
        var reload = document.createElement("a");
        reload.href = window.location.href;
        reload.textContent = texts.show;
        list.append(reload);
      }
    });
  });
})();
