-- A shipment can be cancelled by the saga; a cancellation before any shipment leaves a
-- CANCELLED row (country unknown) so that no shipment is made for the order later.
ALTER TABLE shipments DROP CONSTRAINT shipments_status_check;
ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IN ('CREATED', 'REJECTED', 'CANCELLED'));
ALTER TABLE shipments ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- Choreography: shipping decides once it knows both the address (from OrderCreated) and
-- that the stock is allocated (StockAllocated); the two arrive on different topics, in
-- either order.
CREATE TABLE shipment_requests (
    order_id    TEXT PRIMARY KEY,
    country     TEXT,
    city        TEXT,
    line1       TEXT,
    postal_code TEXT,
    allocated   BOOLEAN     NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
