// The checkout without a round trip: each region select fills the next one in place, and the
// shipping of every shop and the grand total follow the address and pickups as they change.
// Without this script the page does the same by asking the server (the region buttons); the
// order is placed by the form either way.
(function () {
  "use strict";

  var form = document.querySelector("form[data-checkout]");
  if (!form) return;
  var levels = ["province", "regency", "district", "village"];
  var selects = levels.map(function (level) {
    return form.querySelector("select[data-region=" + level + "]");
  });
  if (selects.some(function (select) { return !select; })) return;

  // The buttons that ask the server for the next list are not needed with this script.
  form.querySelectorAll("[data-region-refresh]").forEach(function (button) { button.remove(); });

  var fill = function (select, regions) {
    while (select.options.length > 1) select.remove(1);
    regions.forEach(function (region) { select.add(new Option(region[1], region[0])); });
  };

  selects.slice(0, -1).forEach(function (select, index) {
    select.addEventListener("change", function () {
      selects.slice(index + 1).forEach(function (below) { fill(below, []); });
      update();
      var code = select.value;
      if (!code) return;
      fetch(form.dataset.regionsUrl + encodeURIComponent(code) + "/", {
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          // A later choice may have changed the select while this one was on its way.
          if (answer && select.value === code) fill(selects[index + 1], answer.children);
        })
        .catch(function () {});
    });
  });

  // The same rule as orders/shipping.py, with its constants from the page.
  var zone = function () {
    var saved = form.querySelector("select[name=saved_address]");
    if (saved && saved.value) return saved.options[saved.selectedIndex].dataset.zone || "";
    var regency = selects[1].value;
    if (!regency) return "";
    if (regency === form.dataset.localRegency) return "local";
    var kalimantan = form.dataset.kalimantanProvinces.split(" ");
    return kalimantan.indexOf(regency.split(".")[0]) >= 0 ? "kalimantan" : "indonesia";
  };

  var rupiah = function (amount) {
    return "Rp " + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  };

  var rateKeys = { local: "rateLocal", kalimantan: "rateKalimantan", indonesia: "rateIndonesia" };

  var update = function () {
    var current = zone();
    var items = 0;
    var shipping = 0;
    var known = true;
    form.querySelectorAll("[data-shop]").forEach(function (shop) {
      items += parseInt(shop.dataset.subtotal, 10);
      var pickup = shop.querySelector("input[name=pickup_shops]");
      var state = pickup && pickup.checked ? "pickup" : current || "unknown";
      shop.querySelectorAll("[data-when]").forEach(function (text) {
        text.hidden = text.dataset.when !== state;
      });
      if (state === "unknown") known = false;
      else if (state !== "pickup") shipping += parseInt(shop.dataset[rateKeys[state]], 10);
    });
    var shippingTotal = form.querySelector("[data-shipping-total]");
    var grandTotal = form.querySelector("[data-grand-total]");
    shippingTotal.textContent = known ? rupiah(shipping) : shippingTotal.dataset.unknown;
    grandTotal.textContent = known ? rupiah(items + shipping) : grandTotal.dataset.unknown;
  };

  form.addEventListener("change", update);
})();
