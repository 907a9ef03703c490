-- A read model built only from the order event stream; can be emptied and rebuilt by
-- replaying the stream.
CREATE TABLE order_summary (
    id               SMALLINT PRIMARY KEY CHECK (id = 1),
    orders_created   BIGINT NOT NULL DEFAULT 0,
    orders_completed BIGINT NOT NULL DEFAULT 0,
    orders_cancelled BIGINT NOT NULL DEFAULT 0,
    revenue_cents    BIGINT NOT NULL DEFAULT 0
);
INSERT INTO order_summary (id) VALUES (1);
