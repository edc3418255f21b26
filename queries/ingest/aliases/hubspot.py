"""HubSpot: the UI labels of its list and report exports, and the internal property names its
API, integrations and data syncs write (``dealname``, ``dealstage`` = ``closedwon``,
``closedate`` as ``2024-03-05T14:30:00.000Z`` or epoch milliseconds, ``hs_analytics_source`` =
``ORGANIC_SEARCH``)."""

from __future__ import annotations

LABEL = "HubSpot"
DAY_FIRST = False
DECIMAL_COMMA = False

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    # Contacts
    "leads": {
        "lead_id": ("Record ID", "Contact ID", "hs_object_id", "vid"),
        "email": ("Email", "email"),
        "created_at": ("Create Date", "Became a Lead Date", "createdate"),
        "source": (
            "Original Source",
            "Original Traffic Source",
            "Latest Source",
            "hs_analytics_source",
            "hs_latest_source",
        ),
        "lead_score": ("HubSpot Score", "Lead Score", "hubspotscore"),
        "mql_at": (
            "Became a Marketing Qualified Lead Date",
            "hs_lifecyclestage_marketingqualifiedlead_date",
        ),
        "sql_at": (
            "Became a Sales Qualified Lead Date",
            "hs_lifecyclestage_salesqualifiedlead_date",
        ),
        # The first sales outreach to the contact (hs_first_outreach_date), else the current
        # owner's first call/email/meeting (hs_sa_first_engagement_date).
        "first_touch_at": (
            "Date of first outreach",
            "Date of first engagement",
            "First Engagement Date",
            "Time of First Engagement",
            "hs_first_outreach_date",
            "hs_sa_first_engagement_date",
        ),
        # hubspot_owner_id is the owner's id: the reps file (owners) maps it to a name.
        "owner": ("Contact owner", "HubSpot Owner", "hubspot_owner_id"),
        "region": ("Country/Region", "Country", "State/Region", "country", "state"),
        "segment": ("Industry", "industry"),
        # The primary company's id (associatedcompanyid) beats the free-text company name.
        "account": (
            "Associated Company",
            "Associated Company ID",
            "associatedcompanyid",
            "Company Name",
            "company",
        ),
    },
    "deals": {
        "deal_id": ("Record ID", "Deal ID", "hs_object_id"),
        "name": ("Deal Name", "dealname"),
        "account": ("Associated Company", "Associated Company (Primary)", "Company"),
        "account_id": (
            "Associated Company IDs",
            "Associated Company ID",
            "associatedcompanyid",
            "associated_company_ids",
            "associations.companies",
        ),
        "lead_id": (
            "Associated Contact IDs",
            "Associated Contact",
            "associated_contact_ids",
            "associatedvids",
            "associations.contacts",
        ),
        "email": ("Associated Contact Email", "Contact Email"),
        "created_at": ("Create Date", "createdate"),
        "close_date": ("Close Date", "closedate"),
        "stage": ("Deal Stage", "dealstage"),
        "is_won": ("Is Closed Won", "hs_is_closed_won"),
        "is_closed": ("Is Deal Closed?", "Is Closed", "hs_is_closed"),
        # New Business / Existing Business: the deal's type, not its segment.
        "deal_type": ("Deal Type", "dealtype"),
        "amount": (
            "Amount",
            "Amount in company currency",
            "amount",
            "amount_in_home_currency",
        ),
        "currency": ("Currency", "deal_currency_code"),
        "owner": ("Deal owner", "hubspot_owner_id"),
        "source": (
            "Original Source Type",
            "Original Traffic Source",
            "Original Source",
            "hs_analytics_source",
        ),
        "lost_reason": ("Closed Lost Reason", "closed_lost_reason"),
    },
    "accounts": {
        "account_id": ("Record ID", "Company ID", "hs_object_id"),
        "name": ("Company name", "name"),
        "industry": ("Industry", "industry"),
        "employees": ("Number of Employees", "numberofemployees"),
        "annual_revenue": ("Annual Revenue", "annualrevenue"),
        "country": ("Country/Region", "country"),
        "region": ("State/Region", "state", "City", "city"),
        "created_at": ("Create Date", "createdate"),
        "owner": ("Company owner", "hubspot_owner_id"),
        "parent": ("Parent Company", "hs_parent_company_id"),
    },
    # Owners (the CRM's users who own records): the id is what deals and contacts carry.
    "reps": {
        "rep_id": ("Owner ID", "id"),
        "email": ("Email", "email"),
        "team": ("Teams", "Primary team", "teams"),
    },
    # Form submissions: one row per submission of a contact.
    "touches": {
        "touch_id": ("Conversion ID", "conversionId"),
        "lead_id": ("Contact ID", "Record ID", "contact_id", "vid", "hs_object_id"),
        "email": ("Email", "email"),
        "campaign_id": ("Form name", "Form ID", "form_id", "formId", "form_guid", "formName"),
        "touched_at": ("Conversion Date", "Submitted At", "submittedAt", "timestamp"),
        "touch_type": ("Conversion type", "formType"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "Original Source",
        "Original Source Drill-Down 1",
        "Original Source Drill-Down 2",
        "HubSpot Score",
        "Lifecycle Stage",
        "Became a Lead Date",
        "Became a Marketing Qualified Lead Date",
        "Became a Sales Qualified Lead Date",
        "Became an Opportunity Date",
        "Became a Customer Date",
        "Contact owner",
        "Date of first engagement",
        "Date of first outreach",
        "Last Contacted",
    ),
    "deals": (
        "Deal Stage",
        "Deal owner",
        "Pipeline",
        "Deal Type",
        "Associated Company",
        "Original Source Type",
        "Original Traffic Source",
        "Amount in company currency",
        "Closed Lost Reason",
        "Closed Won Reason",
    ),
    "accounts": (
        "Company name",
        "Company owner",
        "Company Domain Name",
        "Number of Employees",
        "Parent Company",
        "Number of Associated Contacts",
    ),
    "touches": ("Conversion Date", "Conversion Page", "Form name", "Conversion ID"),
}

API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "firstname",
        "lastname",
        "lifecyclestage",
        "hubspotscore",
        "hs_analytics_source",
        "hs_analytics_source_data_1",
        "hs_latest_source",
        "hs_lead_status",
        "hs_lifecyclestage_lead_date",
        "hs_lifecyclestage_marketingqualifiedlead_date",
        "hs_lifecyclestage_salesqualifiedlead_date",
        "hs_sa_first_engagement_date",
        "hs_first_outreach_date",
        "associatedcompanyid",
        "jobtitle",
        "vid",
    ),
    "deals": (
        "dealname",
        "dealstage",
        "closedate",
        "dealtype",
        "deal_currency_code",
        "closed_lost_reason",
        "closed_won_reason",
        "hs_is_closed_won",
        "hs_is_closed",
        "amount_in_home_currency",
        "hs_deal_stage_probability",
        "hs_analytics_source",
        "associatedvids",
    ),
    "accounts": (
        "numberofemployees",
        "annualrevenue",
        "domain",
        "hs_parent_company_id",
        "num_associated_contacts",
        "founded_year",
    ),
    "reps": ("firstName", "lastName", "userId", "teams", "archived"),
    "touches": ("submittedAt", "formId", "form_guid", "formName", "pageUrl", "conversionId"),
}
COMMON_API_MARKERS: tuple[str, ...] = (
    "hs_object_id",
    "createdate",
    "hubspot_owner_id",
    "lastmodifieddate",
    "hs_lastmodifieddate",
    "createdAt",
    "updatedAt",
)

STAGES: dict[str, tuple[str, ...]] = {
    "won": ("Closed Won", "closedwon"),
    "lost": ("Closed Lost", "closedlost"),
    # The default sales pipeline, internal values and labels
    "open": (
        "appointmentscheduled",
        "Appointment Scheduled",
        "qualifiedtobuy",
        "Qualified To Buy",
        "presentationscheduled",
        "Presentation Scheduled",
        "decisionmakerboughtin",
        "Decision Maker Bought-In",
        "contractsent",
        "Contract Sent",
    ),
}

# Original Source (hs_analytics_source), internal values and labels.
SOURCES: dict[str, tuple[str, ...]] = {
    "pull": (
        "ORGANIC_SEARCH",
        "PAID_SEARCH",
        "EMAIL_MARKETING",
        "SOCIAL_MEDIA",
        "REFERRALS",  # another site linked to ours: the visitor came by themselves
        "DIRECT_TRAFFIC",
        "PAID_SOCIAL",
        "OTHER_CAMPAIGNS",
        "AI_REFERRALS",
        "Organic Search",
        "Paid Search",
        "Email Marketing",
        "Organic Social",
        "Social Media",
        "Referrals",
        "Direct Traffic",
        "Paid Social",
        "Other Campaigns",
        "AI Referrals",
    ),
    # "Offline Sources" (OFFLINE) are contacts that did not arrive through tracked web
    # traffic: typed in by a rep, logged from a rep's inbox (sales extension), imported or
    # synced by an integration. Mostly sales-entered, but the bucket mixes in marketing's
    # imports (an event's attendee list, a webinar tool's sync), and the funnel's data checks
    # count it as a catch-all source (queries/funnel.py CATCH_ALL_SOURCES). So: undecided, the
    # user assigns it (the drill-down, hs_analytics_source_data_1 = IMPORT / CRM_UI /
    # EXTENSION, is the column to split it by).
    "push": (),
}
