-- The test-mode card provider's own books. In production they are the provider's, not
-- ours; in test mode they are kept here, written outside the payment service's transactions
-- as an external provider's would be, so that the invariant checker can count the money
-- that really moved. A request repeated with the same idempotency key (the payment service
-- sends the order id) is answered from its first entry and moves no money again.
CREATE TABLE provider_ledger (
    id              BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT        NOT NULL,
    kind            TEXT        NOT NULL CHECK (kind IN ('CHARGE', 'REFUND')),
    order_id        TEXT        NOT NULL,
    amount_cents    BIGINT      NOT NULL,
    approved        BOOLEAN     NOT NULL,
    decline_reason  TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (idempotency_key, kind)
);
CREATE INDEX provider_ledger_order ON provider_ledger (order_id);

-- A charge is recorded as PENDING before the provider is called, in the transaction that
-- then writes its outcome: the row's lock keeps a concurrent refund of the same order
-- waiting, and a row already there (charged, declined, voided) answers without a call.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'REFUNDED', 'VOIDED'));
