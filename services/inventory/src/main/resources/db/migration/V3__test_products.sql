-- A test product, like a card provider's test tokens: it can be reserved and paid for,
-- but its stock is never found when the order is allocated, so the saga's allocation
-- step fails (see switchboard.inventory.unallocatable-skus).
INSERT INTO products (sku, name, price_cents, initial_stock, available)
VALUES ('TEST-ALLOCATION-FAILS', 'Test product: allocation always fails', 500, 1000000, 1000000);
