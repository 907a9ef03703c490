-- At most one shipment decision per order.
CREATE TABLE shipments (
    order_id    TEXT PRIMARY KEY,
    shipment_id TEXT        NOT NULL UNIQUE,
    status      TEXT        NOT NULL CHECK (status IN ('CREATED', 'REJECTED')),
    country     TEXT        NOT NULL,
    reason      TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
