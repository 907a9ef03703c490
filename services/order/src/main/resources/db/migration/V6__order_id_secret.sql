-- The secret from which the id of an order placed with an Idempotency-Key is derived
-- (OrderIds: HMAC-SHA256 of the key). Ids were the key's name-based UUID, which anyone
-- who knew or guessed a key could compute. Drawn once, here, from PostgreSQL's strong
-- random source (two random UUIDs, 244 random bits), and kept with the orders it names.
CREATE TABLE order_id_secret (
    only_row BOOLEAN PRIMARY KEY DEFAULT true CHECK (only_row),
    secret   TEXT    NOT NULL
);
INSERT INTO order_id_secret (secret)
SELECT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
