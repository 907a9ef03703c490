-- A refund that arrives before any charge voids the order: the later charge is refused.
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('APPROVED', 'DECLINED', 'REFUNDED', 'VOIDED'));
