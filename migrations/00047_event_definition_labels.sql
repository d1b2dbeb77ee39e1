-- Display labels for event definitions: the words a person reads for a
-- quest step ("Placed a first order") where the event's name
-- (first_order_placed) is for machines. Optional: '' means "show the name".

-- +goose Up
ALTER TABLE event_definitions ADD COLUMN label text NOT NULL DEFAULT '';

-- A label fits a step of the widget and a funnel's row: at most 80
-- characters.
ALTER TABLE event_definitions ADD CONSTRAINT event_definition_label_length CHECK (length(label) <= 80);

-- A label is one line without leading or trailing spaces, so that a label
-- made of blanks cannot hide the step (it would read as empty, yet
-- replace the name) and a line break cannot stretch a table's row.
ALTER TABLE event_definitions ADD CONSTRAINT event_definition_label_one_line
  CHECK (label = btrim(label) AND label !~ '[[:cntrl:]]');

-- The app sets the label as it sets the description; the name and the
-- built-in flag stay out of its reach.
GRANT UPDATE (label) ON event_definitions TO tandem_app;
