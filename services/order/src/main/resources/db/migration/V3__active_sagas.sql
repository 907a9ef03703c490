-- Admission control counts the sagas still in progress several times a second.
CREATE INDEX sagas_active ON sagas (status) WHERE status IN ('RUNNING', 'COMPENSATING');
