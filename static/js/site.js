// Small behaviours for every page, kept out of the HTML so the Content-Security-Policy can
// forbid inline scripts. Each one is opt-in by a data attribute.
(function () {
  "use strict";

  // <button data-copy="url" data-copied="Link copied" hidden>: shown only where it can work.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = button.dataset.copied; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(button.dataset.copy).then(done);
      } else {
        window.prompt("", button.dataset.copy);
      }
    });
  });

  // <select data-autosubmit>: choosing a value submits its form (a <noscript> button stays).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  });

  // <details data-open-wide>: open from the start on wide screens (a drawer on phones).
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    if (window.matchMedia("(min-width: 900px)").matches) details.open = true;
  });

  // <section data-poll-url="…">: ask every few seconds whether the order is paid, and go to
  // its page when it is (the payment page of QRIS, virtual accounts, e-wallets).
  document.querySelectorAll("[data-poll-url]").forEach(function (box) {
    var interval = parseInt(box.dataset.pollInterval, 10) || 3000;
    var ask = function () {
      fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (state && state.paid) { window.location.assign(state.url); return; }
          window.setTimeout(ask, interval);
        })
        .catch(function () { window.setTimeout(ask, interval * 2); });
    };
    window.setTimeout(ask, interval);
  });

  // <p data-ready-url="…">: on a made-to-order product page, the ready date for the option and
  // quantity chosen in the add-to-cart form, from the shop's queue; the lead-time text stays
  // until the buyer chooses a size (none is preselected), and when the script or request fails.
  document.querySelectorAll("[data-ready-url]").forEach(function (tag) {
    var form = document.querySelector("form.add-to-cart");
    if (!form) return;
    var timer = null;
    var ask = function () {
      var option = form.querySelector("input[name=option]:checked, input[type=hidden][name=option]");
      var quantity = form.querySelector("input[name=quantity]");
      if (!option || !quantity || !/^[0-9]+$/.test(quantity.value)) return;
      var url = tag.dataset.readyUrl + "?option=" + encodeURIComponent(option.value) +
        "&quantity=" + encodeURIComponent(quantity.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer && answer.label) tag.textContent = answer.label; })
        .catch(function () {});
    };
    var later = function () { window.clearTimeout(timer); timer = window.setTimeout(ask, 300); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    ask();
  });

  // <button data-print>: print the page.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
