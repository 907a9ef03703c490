-- The saga of each order (one row), its steps and its full history. Written in the same
-- transaction as the order's status and the commands or events the saga decides on.

CREATE TABLE sagas (
    order_id      TEXT PRIMARY KEY REFERENCES orders (id),
    mode          TEXT        NOT NULL CHECK (mode IN ('ORCHESTRATION', 'CHOREOGRAPHY')),
    status        TEXT        NOT NULL CHECK (status IN ('RUNNING', 'COMPENSATING', 'COMPLETED', 'CANCELLED')),
    reason        TEXT,
    payment_token TEXT        NOT NULL,
    -- The earliest step deadline; NULL when the saga waits for nothing. Scanned for timeouts.
    deadline      TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sagas_deadline ON sagas (deadline) WHERE deadline IS NOT NULL;

CREATE TABLE saga_steps (
    order_id                TEXT    NOT NULL REFERENCES sagas (order_id),
    step                    TEXT    NOT NULL CHECK (step IN ('RESERVE', 'CHARGE', 'ALLOCATE', 'SHIP')),
    state                   TEXT    NOT NULL,
    attempts                INTEGER NOT NULL,
    started_at              TIMESTAMPTZ,
    ended_at                TIMESTAMPTZ,
    compensation_attempts   INTEGER NOT NULL,
    compensation_started_at TIMESTAMPTZ,
    compensation_ended_at   TIMESTAMPTZ,
    deadline                TIMESTAMPTZ,
    detail                  TEXT,
    PRIMARY KEY (order_id, step)
);

CREATE TABLE saga_history (
    seq      BIGSERIAL PRIMARY KEY,
    order_id TEXT        NOT NULL REFERENCES sagas (order_id),
    at       TIMESTAMPTZ NOT NULL,
    step     TEXT,
    event    TEXT        NOT NULL,
    detail   TEXT
);
CREATE INDEX saga_history_order ON saga_history (order_id, seq);
