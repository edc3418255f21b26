-- Migration 035: the campaign channels' median lags (campaign start to lead, lead to deal, deal
-- to win), kept for the campaign calendar's forecast.
--
-- channel_lags (queries/sql/campaigns.sql) takes three medians over every lead and deal tagged
-- with a campaign up to a day: ~1.4M leads at 5M, ~250 ms on each opening of the forecast. The
-- forecast asks for the data's last day (or today), when every record counts, so the refresh
-- keeps that answer (keep_channel_lags in queries/sql/workspace.sql) through the macro below,
-- the one definition, which the query reads too, with the last day of the
-- records it counted and a fingerprint of the campaigns (their ids, channels and start
-- dates): campaigns are edited on the calendar without a refresh. The query reads the kept
-- rows when the day asked is on or after that last day, the campaigns are those
-- fingerprinted and the leads and deals those counted (kept_funnel_day_counts, 026);
-- otherwise it reads the records.

-- an order-free fingerprint of what channel_lags reads of the campaigns
create macro campaigns_fingerprint() as (
    select coalesce(bit_xor(hash(campaign_id, channel, start_date)), 0) from campaigns
);

-- channel_lags up to a day: the medians over the leads created and the deals created (and
-- won) before the day after as_of; every record counts at as_of 'infinity'. Read from raw_leads
-- and raw_deals, not the views (the motion their join to source_motion adds is not needed). A
-- deal's lead is the one its lead key names (migration 013: by the lead id it carries, else the
-- converted opportunity, else the contact's e-mail), an integer join. Medians of whole seconds
-- (integers sort faster than doubles), in days.
create macro channel_lags_at(as_of) as table
with
lead_lags as (
    select
        c.channel,
        date_diff('second', c.start_date::timestamp, l.created_at) as seconds
    from raw_leads as l
    inner join campaigns as c on l.campaign_id = c.campaign_id
    where l.created_at < as_of::date + 1
),

-- the deals tagged with a campaign first (a few of them), then their leads
tagged_deals as (
    select
        c.channel,
        d.lead_key,
        d.created_at,
        d.closed_at,
        d.outcome
    from raw_deals as d
    inner join campaigns as c on d.campaign_id = c.campaign_id
    where d.created_at < as_of::date + 1 and d.is_excluded is not true
),

deal_lags as (
    select
        d.channel,
        date_diff('second', l.created_at, d.created_at) as to_deal_seconds,
        case
            when d.outcome = 'won' and d.closed_at < as_of::date + 1
                then date_diff('second', d.created_at, d.closed_at)
        end as to_won_seconds
    from tagged_deals as d
    inner join raw_leads as l on d.lead_key = l.lead_key
),

lead_medians as (
    select
        channel,
        median(seconds) / 86400.0 as days_to_lead
    from lead_lags
    group by channel
),

deal_medians as (
    select
        channel,
        median(to_deal_seconds) / 86400.0 as days_to_deal,
        median(to_won_seconds) / 86400.0 as days_to_won
    from deal_lags
    group by channel
)

select
    lm.channel,
    lm.days_to_lead,
    dm.days_to_deal,
    dm.days_to_won
from lead_medians as lm
left join deal_medians as dm on lm.channel = dm.channel;

-- the last day of the records channel_lags counts and the campaigns' fingerprint: one row, none
-- without a dated lead or deal (a new workspace holds nothing a copy into it would replace;
-- channel_lags then reads the records, which hold nothing to count)
create macro channel_lags_stamp_now() as table
select last_day, campaigns_fingerprint() as campaigns_fp
from (
    select
        greatest(
            (select max(created_at) from raw_leads),
            (select max(created_at) from raw_deals),
            (select max(closed_at) from raw_deals)
        )::date as last_day
)
where last_day is not null;

create table kept_channel_lags (
    channel varchar,
    days_to_lead double,
    days_to_deal double,
    days_to_won double
);

-- one row: the last day of the records counted and the campaigns' fingerprint (none when no
-- lead or deal is dated)
create table kept_channel_lags_stamp (
    last_day date,
    campaigns_fp ubigint not null
);

insert into kept_channel_lags select * from channel_lags_at('infinity'::date);
insert into kept_channel_lags_stamp select * from channel_lags_stamp_now();
