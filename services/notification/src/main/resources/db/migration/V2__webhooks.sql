-- Customers' webhooks: where to POST which of their order events, signed with the secret.
-- A deleted webhook keeps its row (deleted_at) so that deliveries still queued for it can
-- tell it is gone.
CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    customer_id TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    events      TEXT[]      NOT NULL,
    secret      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX webhooks_customer ON webhooks (customer_id) WHERE deleted_at IS NULL;
