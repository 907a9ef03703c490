-- At most one payment per order: the order id is the natural idempotency key of a charge.
CREATE TABLE payments (
    order_id       TEXT PRIMARY KEY,
    payment_id     TEXT        NOT NULL UNIQUE,
    amount_cents   BIGINT      NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('APPROVED', 'DECLINED', 'REFUNDED')),
    decline_reason TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
