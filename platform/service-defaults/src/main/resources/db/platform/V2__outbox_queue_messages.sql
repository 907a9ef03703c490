-- The outbox also carries work-queue messages: kind 'queue' rows go to the queue named in
-- topic, with a priority and an optional expiry.
ALTER TABLE outbox
    ADD COLUMN kind       TEXT     NOT NULL DEFAULT 'topic' CHECK (kind IN ('topic', 'queue')),
    ADD COLUMN priority   SMALLINT NOT NULL DEFAULT 0,
    ADD COLUMN expires_at TIMESTAMPTZ;
