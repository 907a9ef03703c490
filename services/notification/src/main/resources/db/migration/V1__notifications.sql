-- One notification per event: the event id makes a redelivery recognisable.
CREATE TABLE notifications (
    id        TEXT PRIMARY KEY,
    event_id  TEXT        NOT NULL UNIQUE,
    order_id  TEXT        NOT NULL,
    kind      TEXT        NOT NULL,
    recipient TEXT        NOT NULL,
    subject   TEXT        NOT NULL,
    body      TEXT        NOT NULL,
    sent_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notifications_order ON notifications (order_id, sent_at);
