/* Card payment with Stripe.js: a Card Element and confirmCardPayment, nothing else. */
(function () {
  "use strict";
  var form = document.getElementById("card-payment");
  if (!form || typeof window.Stripe === "undefined") {
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card", { hidePostalCode: true });
  card.mount("#card-element");
  var button = form.querySelector("button[type=submit]");
  var errors = document.getElementById("card-errors");
  var done = document.getElementById("card-done");

  card.on("change", function (event) {
    errors.textContent = event && event.error ? event.error.message : "";
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    stripe
      .confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || form.dataset.genericError;
          button.disabled = false;
          return;
        }
        // The order becomes paid by Stripe's webhook; the return page checks once more.
        form.hidden = true;
        done.hidden = false;
        window.setTimeout(function () {
          window.location.assign(form.dataset.returnUrl);
        }, 1500);
      });
  });
})();
