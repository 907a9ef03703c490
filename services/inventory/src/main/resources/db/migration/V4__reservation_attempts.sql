-- The attempt of the order service that made a reservation (or gave it up before it
-- arrived): a reservation the order service released is reserved again only by a new
-- attempt of the same order (a client's keyed retry), never by a late copy of the
-- attempt it gave up on.
ALTER TABLE reservations ADD COLUMN attempt TEXT;
