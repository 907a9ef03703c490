-- Platform tables live in their own schema with their own migration history, so a
-- service's Flyway history never mixes with them.

-- Transactional outbox: a row is written in the same transaction as the state change it
-- announces; the relay publishes rows in seq order and deletes them once Kafka acked.
CREATE TABLE outbox (
    seq         BIGSERIAL PRIMARY KEY,
    id          UUID        NOT NULL UNIQUE,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Inbox: one row per message a consumer has applied, written in the same transaction as
-- the effect, so a redelivered message is recognised and skipped.
CREATE TABLE inbox (
    consumer     TEXT        NOT NULL,
    message_id   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
