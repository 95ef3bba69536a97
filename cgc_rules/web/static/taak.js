// The task page: asks the task's status every second while it runs and shows it in the bar, the status line
// and, when done, the download link. Without this script the page's "Vernieuwen" link does the same.
(function () {
  "use strict";
  var box = document.getElementById("taak");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status");
  var running = ["wacht", "bezig"];

  function show(s) {
    var bar = document.getElementById("voortgang");
    if (s.total > 0) {
      bar.max = s.total;
      bar.value = s.done;
      bar.textContent = s.done + " van " + s.total;
    } else if (s.state === "klaar") {
      bar.max = 1;
      bar.value = 1;
    }
    var status = document.getElementById("taak-status");
    if (status.textContent !== s.text) {
      status.textContent = s.text;
    }
    box.setAttribute("data-state", s.state);
    var active = running.indexOf(s.state) >= 0;
    document.getElementById("taak-vernieuwen").hidden = !active;
    document.getElementById("taak-fout").hidden = active || s.state === "klaar";
    if (s.download) {
      document.getElementById("taak-download").setAttribute("href", s.download);
      document.getElementById("taak-bestand").textContent = s.filename;
      document.getElementById("taak-klaar").hidden = false;
    }
    return active;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (s) {
        if (show(s)) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  if (running.indexOf(box.getAttribute("data-state")) >= 0) {
    window.setTimeout(poll, 1000);
  }
})();
