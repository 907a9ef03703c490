-- The demo catalogue of DESIGN.md: SKU-0001 .. SKU-0100, each with 5000 units and a
-- price between 1.99 and 99.99.
INSERT INTO products (sku, name, price_cents, initial_stock, available)
SELECT 'SKU-' || lpad(i::text, 4, '0'),
       'Demo product ' || i,
       199 + ((i * 7919) % 9801),
       5000,
       5000
FROM generate_series(1, 100) AS i;
