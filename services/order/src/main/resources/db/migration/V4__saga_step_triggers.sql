-- The id of the message a running step's participant acts on (the command, or in
-- choreography the event before), so the saga can ask the participant about it when the
-- answer is overdue.
ALTER TABLE saga_steps ADD COLUMN trigger_id TEXT;
