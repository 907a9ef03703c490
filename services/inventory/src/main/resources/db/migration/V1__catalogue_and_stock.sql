-- Stock is conserved: initial_stock = available + reserved + shipped, always.
CREATE TABLE products (
    sku           TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    price_cents   BIGINT  NOT NULL CHECK (price_cents >= 0),
    initial_stock INTEGER NOT NULL CHECK (initial_stock >= 0),
    available     INTEGER NOT NULL CHECK (available >= 0),
    reserved      INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    shipped       INTEGER NOT NULL DEFAULT 0 CHECK (shipped >= 0),
    CHECK (initial_stock = available + reserved + shipped)
);

-- One reservation per order; its lines hold what was taken from available stock.
CREATE TABLE reservations (
    order_id   TEXT PRIMARY KEY,
    state      TEXT        NOT NULL CHECK (state IN ('RESERVED', 'RELEASED', 'ALLOCATED')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
    order_id         TEXT    NOT NULL REFERENCES reservations (order_id),
    sku              TEXT    NOT NULL REFERENCES products (sku),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT  NOT NULL,
    PRIMARY KEY (order_id, sku)
);
