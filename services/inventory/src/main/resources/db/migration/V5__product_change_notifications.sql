-- Every change of a product's stock or price is announced on the channel product_changed,
-- as "<sku> <available> <price_cents>", when its transaction commits. Every inventory
-- instance listens (adapter.out.persistence.PostgresProductChanges) and passes the changes
-- to its WatchProducts callers, so a watcher hears of changes made by any instance, or by
-- hand in SQL. Updates that leave both unchanged (reserved to shipped) announce nothing.
CREATE FUNCTION notify_product_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('product_changed', NEW.sku || ' ' || NEW.available || ' ' || NEW.price_cents);
    RETURN NULL;
END
$$;

CREATE TRIGGER product_changed
    AFTER UPDATE OF available, price_cents ON products
    FOR EACH ROW
    WHEN (OLD.available IS DISTINCT FROM NEW.available OR OLD.price_cents IS DISTINCT FROM NEW.price_cents)
    EXECUTE FUNCTION notify_product_changed();
