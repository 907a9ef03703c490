-- Every status an order takes, in commit-safe order, for StreamOrderUpdates: written by
-- triggers, so no code path that changes a status can forget it. seq orders the changes;
-- tx is the writing transaction, so that readers take only changes whose transactions
-- ended before any still running began (a change with a lower seq may commit after one
-- with a higher seq; read past it, it would be skipped for good).
CREATE TABLE order_status_changes (
    seq         BIGSERIAL PRIMARY KEY,
    order_id    TEXT        NOT NULL,
    customer_id TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL,
    tx          xid8        NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX order_status_changes_by_order ON order_status_changes (order_id, seq);
CREATE INDEX order_status_changes_by_customer ON order_status_changes (customer_id, seq);

-- Orders placed before: their current status only (their history was not kept).
INSERT INTO order_status_changes (order_id, customer_id, status, reason, at)
SELECT id, customer_id, status, cancellation_reason, updated_at FROM orders ORDER BY updated_at, id;

CREATE FUNCTION record_order_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_status_changes (order_id, customer_id, status, reason, at)
    VALUES (NEW.id, NEW.customer_id, NEW.status, NEW.cancellation_reason, NEW.updated_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER order_placed
    AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION record_order_status_change();

CREATE TRIGGER order_status_changed
    AFTER UPDATE OF status ON orders
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION record_order_status_change();
