-- Migration 007: the Campaign calendar's touchpoints and its change log (undo).

-- One row per marketing or sales touch of a lead (an ad click, a webinar attended, an email
-- clicked, a call): what multi-touch attribution spreads a deal's credit over. deal_id is set
-- on the touches of a lead up to the creation of its deal. CRM imports do not fill it (the
-- sample company does): without touches only single-touch models apply.
create table touches (
    touch_id varchar not null,
    lead_id varchar,
    deal_id varchar,
    campaign_id varchar,
    channel varchar,
    touched_at timestamp not null,
    touch_type varchar,
    import_id varchar
);

-- One row per change made to the campaign plan from the Campaign calendar page (form, table,
-- import), newest last; undone_at is set when the change was undone.
create table campaign_changes (
    change_id bigint not null,
    changed_at timestamp not null,
    action varchar not null,
    summary varchar,
    campaign_ids varchar[],
    import_id varchar,
    undone_at timestamp
);

-- The campaign rows a change removed or overwrote, exactly as they were, so that undo puts
-- them back (rows the change added are known from campaign_ids and deleted on undo).
create table campaign_change_rows as
select
    *,
    null::bigint as change_id
from campaigns
where false;
