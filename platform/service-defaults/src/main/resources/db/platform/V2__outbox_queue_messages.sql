-- The outbox also carries work-queue messages: kind 'queue' rows go to the queue named in
-- topic, with a priority and an optional expiry. Every row carries the schema revision of
-- its message (CloudEvents dataschema); rows written before have none (revision 1).
ALTER TABLE outbox
    ADD COLUMN kind       TEXT     NOT NULL DEFAULT 'topic' CHECK (kind IN ('topic', 'queue')),
    ADD COLUMN priority   SMALLINT NOT NULL DEFAULT 0,
    ADD COLUMN expires_at TIMESTAMPTZ,
    ADD COLUMN dataschema TEXT;
