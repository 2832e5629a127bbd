"""Payments: every way an order is paid, each provider in its own module.

- `common`: what all providers share and what the rest of `orders` calls: an order is paid once
  (`mark_order_paid`), an order that wants no payment any more closes its open requests
  (`close_open_payments`), money due back is flagged and sent (`request_refund`), and the shape
  (`PaymentProvider`) every provider module follows.
- `transfer`: manual bank transfer, with the buyer's proof and the cooperative's confirmation.
- `card`: card payments through Stripe; `stripe` is the one module that calls the Stripe SDK.
- `providers`: which module handles which payment method, for the worker's jobs.
"""
