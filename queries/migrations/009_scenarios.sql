-- Migration 009: named scenarios of the pull vs push planner. One row is a saved plan: its
-- inputs (budget, split, channel mix, improvements, horizon) as JSON text, so new inputs can
-- be added without a migration; the projection is recomputed from the fitted model on load.
create table scenarios (
    scenario_id varchar primary key,
    name varchar not null unique,
    inputs_json varchar not null,
    saved_at timestamp not null
);
