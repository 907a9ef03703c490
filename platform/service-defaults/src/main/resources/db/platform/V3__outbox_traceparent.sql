-- Every row remembers the trace it was written in (W3C traceparent), so that the relay,
-- which runs outside any request, can hand the trace on to the message's consumers.
ALTER TABLE outbox ADD COLUMN traceparent TEXT;
