CREATE TABLE orders (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT        NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('PENDING', 'PAID', 'COMPLETED', 'CANCELLED')),
    total_cents         BIGINT      NOT NULL,
    ship_country        TEXT        NOT NULL,
    ship_city           TEXT        NOT NULL,
    ship_line1          TEXT        NOT NULL,
    ship_postal_code    TEXT        NOT NULL,
    cancellation_reason TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_status ON orders (status);

CREATE TABLE order_lines (
    order_id         TEXT    NOT NULL REFERENCES orders (id),
    sku              TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT  NOT NULL,
    PRIMARY KEY (order_id, sku)
);

-- A client's Idempotency-Key, the fingerprint of the request it came with, and the
-- response given, written in the order's own transaction.
CREATE TABLE idempotency_keys (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT        NOT NULL,
    order_id    TEXT        NOT NULL REFERENCES orders (id),
    response    BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
