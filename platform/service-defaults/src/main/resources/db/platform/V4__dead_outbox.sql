-- Rows the broker refuses for good (too large, an unknown queue, a record it cannot take)
-- are moved here by the relay with the reason, so that they stop holding back the rows
-- behind them. `switchboard dlq` lists, shows, replays (back into the outbox) and purges them.
CREATE TABLE dead_outbox (
    seq         BIGINT      PRIMARY KEY,
    id          UUID        NOT NULL UNIQUE,
    kind        TEXT        NOT NULL,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    priority    SMALLINT    NOT NULL,
    expires_at  TIMESTAMPTZ,
    dataschema  TEXT,
    traceparent TEXT,
    reason      TEXT        NOT NULL,
    failed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
