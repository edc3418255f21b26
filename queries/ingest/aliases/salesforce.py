"""Salesforce: the UI labels of report exports ("Opportunity Name", "Stage") and the API names
of Data Loader, Workbench and integration exports (``StageName``, ``IsWon``, ``CreatedDate`` as
``2024-03-05T14:30:00.000+0000``), with the dotted relationship names Data Loader writes for
lookups (``Account.Name``, ``Owner.Name``)."""

from __future__ import annotations

LABEL = "Salesforce"
DAY_FIRST = False
DECIMAL_COMMA = False

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    # Lead (and Contact, whose export has the same shape less the conversion fields)
    "leads": {
        "lead_id": ("Lead ID", "Contact ID", "Id"),
        "email": ("Email",),
        "created_at": ("Create Date", "Created Date", "CreatedDate"),
        "source": ("Lead Source", "LeadSource"),
        "owner": ("Lead Owner", "Contact Owner", "Owner.Name", "OwnerId"),
        "region": ("Country", "State/Province", "State", "MailingCountry", "MailingState"),
        "segment": ("Industry",),
        "campaign_id": ("Campaign Name", "Primary Campaign Source", "CampaignId", "Campaign.Name"),
        # A Lead's Company is free text; a Contact's AccountId links to the account.
        "account": ("Company", "Company / Account", "Account Name", "AccountId", "Account.Name"),
        "converted": ("Converted", "IsConverted"),
        "converted_deal_id": ("Converted Opportunity ID", "ConvertedOpportunityId"),
    },
    "deals": {
        "deal_id": ("Opportunity ID", "Id"),
        "name": ("Opportunity Name", "Name"),
        "account": ("Account Name", "Account.Name"),
        "account_id": ("Account ID", "AccountId"),
        # LeadId is not a standard Opportunity field, but a common custom one (the lead the
        # opportunity was converted from); ContactId links through the contact.
        "lead_id": ("Lead ID", "LeadId", "Lead__c", "ContactId"),
        "email": ("Contact Email", "Contact.Email"),
        "created_at": ("Created Date", "Create Date", "CreatedDate"),
        "close_date": ("Close Date", "CloseDate"),
        "stage": ("Stage", "StageName"),
        "is_won": ("Won", "IsWon"),
        "is_closed": ("Closed", "IsClosed"),
        "deal_type": ("Type", "Opportunity Type"),
        "amount": ("Amount", "Amount (converted)", "Total Price", "Amount__c"),
        "currency": ("Opportunity Currency", "Amount Currency", "CurrencyIsoCode"),
        "owner": ("Opportunity Owner", "Owner.Name", "OwnerId"),
        "source": ("Lead Source", "LeadSource"),
        "campaign_id": ("Primary Campaign Source", "CampaignId", "Campaign.Name"),
        "segment": ("Industry", "Account.Industry"),
        "region": ("Billing Country", "Billing State/Province", "Account.BillingCountry"),
        "lost_reason": ("Loss Reason", "Loss_Reason__c"),
    },
    "campaigns": {
        "campaign_id": ("Campaign ID", "Id"),
        "name": ("Campaign Name", "Name"),
        "channel": ("Type", "Campaign Type"),
        "start_date": ("Start Date", "StartDate"),
        "end_date": ("End Date", "EndDate"),
        # BudgetedCost is the plan; ActualCost is spend (a spend file), not budget.
        "budget": ("Budgeted Cost in Campaign", "Budgeted Cost", "BudgetedCost"),
        "status": ("Status",),
        "owner": ("Campaign Owner", "Owner.Name", "OwnerId"),
    },
    "accounts": {
        "account_id": ("Account ID", "Id"),
        "name": ("Account Name", "Name"),
        "industry": ("Industry",),
        "employees": ("Employees", "NumberOfEmployees"),
        "annual_revenue": ("Annual Revenue", "AnnualRevenue"),
        "country": ("Billing Country", "BillingCountry"),
        "region": ("Billing State/Province", "BillingState"),
        "created_at": ("Created Date", "CreatedDate"),
        "owner": ("Account Owner", "Owner.Name", "OwnerId"),
        "parent": ("Parent Account", "Parent.Name", "ParentId"),
    },
    # User: OwnerId on every record points at a user's Id.
    "reps": {
        "owner": ("Full Name", "Name"),
        "rep_id": ("User ID", "Id"),
        "email": ("Email",),
        "role": ("Role", "UserRole.Name", "Title", "UserRoleId", "Profile.Name"),
        "team": ("Department", "Division"),
        "manager": ("Manager", "Manager.Name", "ManagerId"),
        "region": ("Country", "State"),
    },
    # Product2, or a PricebookEntry export (Product2Id, UnitPrice) for the list prices.
    "products": {
        "product_id": ("Product ID", "Product2Id", "Id", "Product Code", "ProductCode"),
        "name": ("Product Name", "Product2.Name", "Name"),
        "family": ("Product Family", "Family", "Product2.Family"),
        "list_price": ("List Price", "UnitPrice", "Unit Price"),
        "currency": ("Currency", "CurrencyIsoCode"),
    },
    # CampaignMember: a lead or contact's membership of a campaign, one row each.
    "touches": {
        "touch_id": ("Campaign Member ID", "Id"),
        "lead_id": ("Lead ID", "LeadId", "Contact ID", "ContactId", "LeadOrContactId"),
        "email": ("Email",),
        "campaign_id": ("Campaign ID", "CampaignId", "Campaign Name", "Campaign.Name"),
        "channel": ("Campaign Type", "Campaign.Type"),
        # The member was added (sent, invited) at CreatedDate; FirstRespondedDate is blank for
        # members who never responded, so it cannot be every row's date.
        "touched_at": ("Created Date", "CreatedDate", "Member First Associated Date"),
        "touch_type": ("Member Status", "Status"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("Lead ID", "Lead Status", "Lead Owner", "Company / Account", "Rating"),
    "deals": (
        "Opportunity ID",
        "Opportunity Name",
        "Opportunity Owner",
        "Fiscal Period",
        "Probability (%)",
        "Next Step",
        "Forecast Category",
    ),
    "campaigns": (
        "Campaign Owner",
        "Budgeted Cost in Campaign",
        "Actual Cost in Campaign",
        "Expected Revenue in Campaign",
        "Num Sent in Campaign",
    ),
    "accounts": ("Account Owner", "Billing Country", "Billing State/Province", "Parent Account"),
    "touches": ("Campaign Member ID", "Member Status", "Member First Associated Date"),
}

API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "FirstName",
        "LastName",
        "LeadSource",
        "IsConverted",
        "ConvertedDate",
        "ConvertedOpportunityId",
        "ConvertedAccountId",
        "ConvertedContactId",
        "Company",
        "Rating",
        "MailingCountry",
        "AccountId",
    ),
    "deals": (
        "StageName",
        "CloseDate",
        "IsWon",
        "IsClosed",
        "ForecastCategoryName",
        "ForecastCategory",
        "Probability",
        "AccountId",
        "Account.Name",
        "LeadSource",
        "CampaignId",
        "LeadId",
        "CurrencyIsoCode",
        "ExpectedRevenue",
        "HasOpportunityLineItem",
        "Pricebook2Id",
    ),
    "campaigns": (
        "StartDate",
        "EndDate",
        "BudgetedCost",
        "ActualCost",
        "ExpectedRevenue",
        "NumberOfLeads",
        "NumberOfContacts",
        "NumberOfOpportunities",
        "NumberSent",
        "ParentId",
        "IsActive",
    ),
    "accounts": (
        "NumberOfEmployees",
        "AnnualRevenue",
        "BillingCountry",
        "BillingState",
        "BillingCity",
        "ParentId",
        "AccountNumber",
        "Parent.Name",
    ),
    "reps": (
        "UserRoleId",
        "UserRole.Name",
        "ManagerId",
        "Manager.Name",
        "Department",
        "Division",
        "IsActive",
        "Username",
        "ProfileId",
        "FirstName",
        "LastName",
        "Title",
    ),
    "products": (
        "Product2Id",
        "Product2.Name",
        "ProductCode",
        "Family",
        "UnitPrice",
        "Pricebook2Id",
        "IsActive",
        "UseStandardPrice",
    ),
    # CampaignId and LeadId are on opportunities and leads too: not markers of members.
    "touches": (
        "LeadOrContactId",
        "HasResponded",
        "FirstRespondedDate",
        "CampaignMemberRecordTypeId",
    ),
}
COMMON_API_MARKERS: tuple[str, ...] = (
    "Id",
    "Name",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "IsDeleted",
    "OwnerId",
    "Owner.Name",
    "Type",
    "Status",
    "Email",
    "Description",
    "CurrencyIsoCode",
)

STAGES: dict[str, tuple[str, ...]] = {
    "won": ("Closed Won",),
    "lost": ("Closed Lost",),
    "open": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
}

# The standard LeadSource picklist.
SOURCES: dict[str, tuple[str, ...]] = {
    "pull": (
        "Web",
        "Phone Inquiry",  # the buyer called us
        "Partner Referral",  # a partner sent a buyer who asked them: inbound via word of mouth
        "Employee Referral",  # the same through an employee's network
        "External Referral",
        "Advertisement",
        "Public Relations",
        "Trade Show",  # marketing's event: visitors come to the booth
        "Seminar - Internal",
        "Seminar - Partner",
        "Word of mouth",
    ),
    # Purchased List is the list an SDR team cold-calls. Partner and Other stay undecided.
    "push": ("Purchased List",),
}
