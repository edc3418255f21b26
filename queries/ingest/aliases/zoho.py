"""Zoho CRM: the UI export's labels ("Deal Name", "Closing Date") and the API names its REST
API, Data Migration and integrations write (``Deal_Name``, ``Closing_Date``, ``Created_Time``
as ``2024-03-05T14:30:00+05:30``, ``Converted__s`` / ``$converted`` on leads)."""

from __future__ import annotations

LABEL = "Zoho CRM"
DAY_FIRST = False
DECIMAL_COMMA = False

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("Record Id", "Lead Id", "id"),
        "email": ("Email",),
        "created_at": ("Created Time", "Created_Time"),
        "source": ("Lead Source", "Lead_Source"),
        "owner": ("Lead Owner", "Owner", "Owner.name"),
        "segment": ("Industry",),
        "region": ("Country", "State"),
        "account": ("Company",),
        "campaign_id": ("Campaign Source", "Campaign_Source"),
        # Converted__s is the system field in API exports; $converted the REST API's flag.
        "converted": ("Converted", "Converted__s", "$converted", "Is Converted"),
        "converted_deal_id": ("Converted Deal", "Converted_Deal", "Converted_Deal.id"),
    },
    "deals": {
        "deal_id": ("Record Id", "Deal Id", "id"),
        "name": ("Deal Name", "Deal_Name"),
        "account": ("Account Name", "Account_Name", "Account_Name.name"),
        "account_id": ("Account_Name.id", "Account Id"),
        "lead_id": ("Contact Name", "Contact_Name", "Contact_Name.id"),
        "created_at": ("Created Time", "Created_Time"),
        "close_date": ("Closing Date", "Closing_Date"),
        "stage": ("Stage",),
        "amount": ("Amount",),
        "owner": ("Deal Owner", "Owner", "Owner.name"),
        "source": ("Lead Source", "Lead_Source"),
        "campaign_id": ("Campaign Source", "Campaign_Source"),
        "currency": ("Currency",),
        "deal_type": ("Type",),
        "lost_reason": ("Reason For Loss", "Reason_For_Loss__s"),
    },
    "accounts": {
        "account_id": ("Record Id", "id"),
        "name": ("Account Name", "Account_Name"),
        "industry": ("Industry",),
        "employees": ("Employees", "No. of Employees"),
        "annual_revenue": ("Annual Revenue", "Annual_Revenue"),
        "country": ("Billing Country", "Billing_Country"),
        "region": ("Billing State", "Billing_State"),
        "created_at": ("Created Time", "Created_Time"),
        "owner": ("Account Owner", "Owner", "Owner.name"),
        "parent": ("Parent Account", "Parent_Account", "Parent_Account.name"),
    },
    "reps": {
        "owner": ("full_name", "Full Name"),
        "rep_id": ("id", "User Id"),
        "email": ("email", "Email"),
        "role": ("role", "Role", "role.name", "profile.name"),
        "manager": ("Reporting_To", "Reporting To", "Reporting_To.name"),
        "hired_on": ("created_time",),
        "region": ("country", "Country"),
    },
    "products": {
        "product_id": ("Product Code", "Product_Code", "Record Id", "id"),
        "name": ("Product Name", "Product_Name"),
        "family": ("Product Category", "Product_Category"),
        "list_price": ("Unit Price", "Unit_Price"),
    },
    "campaigns": {
        "campaign_id": ("Record Id", "id"),
        "name": ("Campaign Name", "Campaign_Name"),
        "channel": ("Type",),
        "start_date": ("Start Date", "Start_Date"),
        "end_date": ("End Date", "End_Date"),
        "budget": ("Budgeted Cost", "Budgeted_Cost"),
        "status": ("Status",),
        "owner": ("Campaign Owner", "Owner", "Owner.name"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "Created Time",
        "Modified Time",
        "Lead Status",
        "Lead Owner",
        "Annual Revenue",
        "No. of Employees",
        "Record Id",
    ),
    "deals": (
        "Closing Date",
        "Created Time",
        "Modified Time",
        "Expected Revenue",
        "Deal Owner",
        "Campaign Source",
        "Contact Name",
    ),
    "accounts": ("Account Owner", "Account Number", "Created Time", "Modified Time", "Record Id"),
    "products": ("Product Code", "Product Category", "Unit Price", "Product Owner", "Record Id"),
    "campaigns": ("Campaign Owner", "Budgeted Cost", "Actual Cost", "Expected Revenue"),
}

# Zoho's API names capitalise each word and join them with "_" (Deal_Name): compared exactly,
# so that a lower-case deal_name dump stays a plain spreadsheet.
API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "Lead_Source",
        "Lead_Status",
        "First_Name",
        "Last_Name",
        "No_of_Employees",
        "Converted__s",
        "$converted",
        "Converted_Deal",
        "Campaign_Source",
    ),
    "deals": (
        "Deal_Name",
        "Closing_Date",
        "Account_Name",
        "Contact_Name",
        "Campaign_Source",
        "Lead_Source",
        "Expected_Revenue",
        "Reason_For_Loss__s",
    ),
    "accounts": (
        "Account_Name",
        "Annual_Revenue",
        "Billing_Country",
        "Billing_State",
        "Parent_Account",
        "Account_Number",
        "Account_Type",
    ),
    "reps": ("full_name", "Reporting_To", "role", "profile", "status", "confirm"),
    "products": ("Product_Name", "Product_Code", "Product_Category", "Unit_Price", "Qty_in_Stock"),
    "campaigns": (
        "Campaign_Name",
        "Start_Date",
        "End_Date",
        "Budgeted_Cost",
        "Actual_Cost",
        "Expected_Revenue",
        "Num_sent",
    ),
}
COMMON_API_MARKERS: tuple[str, ...] = (
    "Created_Time",
    "Modified_Time",
    "Owner",
    "Created_By",
    "Modified_By",
    "Owner.name",
    "Owner.id",
)

STAGES: dict[str, tuple[str, ...]] = {
    "won": ("Closed Won",),
    "lost": ("Closed Lost", "Closed-Lost to Competition"),
    "open": (
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Identify Decision Makers",
        "Id. Decision Makers",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
}

# The Lead Source picklist.
SOURCES: dict[str, tuple[str, ...]] = {
    "pull": (
        "Advertisement",
        "Online Store",
        "Web Download",
        "Web Research",  # the buyer researched on the web and came to us
        "Chat",
        "Facebook",
        "Google+",
        "Twitter",
        "Seminar Partner",
        "Internal Seminar",
        "Trade Show",
        "Public Relations",
        "Employee Referral",
        "External Referral",
        "Partner Referral",
    ),
    "push": ("Cold Call",),
    # "Partner", "Sales Email Alias" (mail to sales@: inbound or a reply to outreach): None.
}
