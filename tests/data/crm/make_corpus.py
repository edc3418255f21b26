"""Write the CRM-shaped fixture corpus: one export per CRM and kind, in the CRM's own headers,
encodings, delimiters, date and money formats (see expected.json for what each must load as).

    python tests/data/crm/make_corpus.py [OUT_DIR]     # default: this directory

The output is byte-for-byte reproducible (workbooks are written with fixed metadata and zip
timestamps), so the committed files can be checked against a fresh run. The data is written
out literally rather than generated: every expected figure in expected.json was worked out by
hand from these rows.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)


# -- writers ---------------------------------------------------------------------------------------
def csv_text(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False, eol="\n") -> str:
    buf = io.StringIO()
    w = csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator=eol,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    w.writerows(rows)
    return buf.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def xlsx_bytes(sheet: str, rows: list[list[object]]) -> bytes:
    """A workbook with one sheet. Strings are stored as text even when they begin with '='
    (a CRM exports text, not formulas); metadata and zip timestamps are fixed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = (
                    "yyyy-mm-dd hh:mm" if (value.hour or value.minute) else "yyyy-mm-dd"
                )
    wb.properties.creator = "Flywheel test corpus"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    wb.save(raw)
    return rezip(raw.getvalue())


def rezip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps and a fixed modified time (openpyxl stamps
    the save time into docProps/core.xml)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                    rb"<dcterms:modified\1>2024-01-01T00:00:00Z</dcterms:modified>",
                    body,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def dt(text: str) -> datetime:
    """'2024-03-15' or '2024-03-15 12:00' as a datetime (a typed workbook cell)."""
    return datetime.fromisoformat(text)


# fmt: off
# (the rows below are laid out one record per line or two, as a person reads them)
# -- HubSpot ---------------------------------------------------------------------------------------
HUBSPOT_CONTACTS = [
    [
        "Record ID",
        "First Name",
        "Last Name",
        "Email",
        "Create Date",
        "Original Source",
        "Original Source Drill-Down 1",
        "HubSpot Score",
        "Lifecycle Stage",
        "Became a Lead Date",
        "Became a Marketing Qualified Lead Date",
        "Became a Sales Qualified Lead Date",
        "Became an Opportunity Date",
        "Date of first engagement",
        "Contact owner",
        "Country/Region",
        "Industry",
        "Phone Number",
    ],
    ["51001", "Anna", "Schmidt", "anna.schmidt@brightlabs.de", "2024-01-08 09:12",
     "ORGANIC_SEARCH", "google", "45", "opportunity", "2024-01-08 09:12", "2024-01-15 10:00",
     "2024-01-22 16:30", "2024-02-01 11:00", "2024-01-16 09:05", "Jane Doe", "Germany",
     "Software", "+49 30 1234567"],
    ["51002", "Marco", "Rossi", "marco.rossi@velatech.it", "2024-01-11 14:40", "PAID_SEARCH",
     "adwords", "30", "marketingqualifiedlead", "2024-01-11 14:40", "2024-01-20 08:15", "", "",
     "", "Jane Doe", "Italy", "Manufacturing", ""],
    ["51003", "Wei", "Chen", "chen.wei@lotusdata.cn", "2024-01-19 03:25", "SOCIAL_MEDIA",
     "LinkedIn", "12", "lead", "2024-01-19 03:25", "", "", "", "", "Tom Baker", "China",
     "Retail", ""],
    ["51004", "Emily", "Clarke", "emily.clarke@northwind.co.uk", "2024-02-02 11:05",
     "EMAIL_MARKETING", "Newsletter", "60", "salesqualifiedlead", "2024-02-02 11:05",
     "2024-02-05 09:30", "2024-02-09 13:45", "", "2024-02-05 15:20", "Tom Baker",
     "United Kingdom", '=HYPERLINK("https://northwind.example","Financial Services")', ""],
    ["51005", "José", "García", "jose.garcia@solaris.es", "2024-02-14 16:50", "REFERRALS",
     "partner-site.com", "25", "lead", "2024-02-14 16:50", "", "", "", "", "Jane Doe", "Spain",
     "Education", ""],
    ["51006", "Priya", "Nair", "priya.nair@kaveri.in", "2024-02-27 07:30", "DIRECT_TRAFFIC", "",
     "8", "subscriber", "", "", "", "", "", "", "India", "", ""],
    ["51007", "Lucas", "Martin", "lucas.martin@aubepine.fr", "2024-03-04 10:10", "OFFLINE",
     "IMPORT", "0", "lead", "2024-03-04 10:10", "", "", "", "2024-03-06 10:00", "Aisha Khan",
     "France", "Food & Beverage", "+33 1 45 67 89 10"],
    ["51008", "Sofia", "Lindqvist", "sofia@nordkap.se", "2024-03-12 13:00", "PAID_SOCIAL",
     "Facebook", "38", "marketingqualifiedlead", "2024-03-12 13:00", "2024-03-13 09:00", "", "",
     "2024-03-14 11:30", "Aisha Khan", "Sweden", "Retail", ""],
    ["51009", "David", "Okafor", "david.okafor@lagosfin.ng", "2024-03-21 18:45",
     "ORGANIC_SEARCH", "bing", "52", "opportunity", "2024-03-21 18:45", "2024-03-25 10:00",
     "2024-03-28 14:00", "2024-04-03 09:00", "2024-03-25 16:00", "Tom Baker", "Nigeria",
     "Financial Services", ""],
    ["51010", "Hannah", "Becker", "", "2024-04-02 08:20", "OTHER_CAMPAIGNS", "spring-webinar",
     "20", "lead", "2024-04-02 08:20", "", "", "", "", "Jane Doe", "Germany", "Software", ""],
    ["51011", "Kenji", "Sato", "kenji.sato@fujimori.jp", "2024-02-30 10:00", "PAID_SEARCH",
     "adwords", "15", "lead", "2024-02-30 10:00", "", "", "", "", "Aisha Khan", "Japan",
     "Manufacturing", ""],
    ["51012", "Olivia", "Brown", "olivia.brown@harborhealth.com", "2024-04-15 12:00",
     "REFERRALS", "", "70", "customer", "2024-04-15 12:00", "2024-04-16 09:00",
     "2024-04-18 10:00", "2024-04-22 11:00", "2024-04-16 14:10", "Jane Doe", "United States",
     "Healthcare", ""],
]

HUBSPOT_DEALS = [
    ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Create Date",
     "Deal owner", "Deal Type", "Original Source Type", "Associated Company"],
    [9001, "Acme Corp - Annual plan", "Closed Won", "Sales Pipeline", 12500, dt("2024-03-15"),
     dt("2024-01-10 12:00"), "Jane Doe", "New Business", "ORGANIC_SEARCH", "Acme Corp"],
    [9002, "Globex - Pilot", "Closed Lost", "Sales Pipeline", 4800, dt("2024-02-20"),
     dt("2024-01-15 12:00"), "Tom Baker", "New Business", "PAID_SEARCH", "Globex"],
    [9003, "Initech - Expansion", "Closed Won", "Sales Pipeline", 30000, dt("2024-04-30"),
     dt("2024-02-01 12:00"), "Jane Doe", "Existing Business", "REFERRALS", "Initech"],
    [9004, "Umbrella - Security suite", "Appointment Scheduled", "Sales Pipeline", None,
     dt("2027-02-28"), dt("2024-10-02 12:00"), "Aisha Khan", "New Business", "OFFLINE",
     "Umbrella Corp"],
    [9005, "Hooli - Data platform", "Qualified To Buy", "Sales Pipeline", None, dt("2024-06-30"),
     dt("2024-03-05 12:00"), "Tom Baker", "New Business", "ORGANIC_SEARCH", "Hooli"],
    [9006, "Stark Industries - Renewal", "Contract Sent", "Renewals", 22000, dt("2026-12-31"),
     dt("2024-09-12 12:00"), "Jane Doe", "Existing Business", "DIRECT_TRAFFIC",
     "Stark Industries"],
    [9007, "Wayne Enterprises - POC", "Closed Won", "Sales Pipeline", 8000, dt("2024-05-10"),
     dt("2024-04-01 12:00"), "Aisha Khan", "New Business", "PAID_SOCIAL", "Wayne Enterprises"],
    [9008, "Soylent - Upsell", "Closed Lost", "Renewals", 6500, dt("2024-05-31"),
     dt("2024-03-20 12:00"), "Tom Baker", "Existing Business", "EMAIL_MARKETING", "Soylent"],
    [9009, '=HYPERLINK("https://tyrell.example/q","Tyrell quote")', "Presentation Scheduled",
     "Sales Pipeline", 15000, dt("2025-01-31"), dt("2024-11-04 12:00"), "Jane Doe",
     "New Business", "SOCIAL_MEDIA", "Tyrell Corp"],
    [9010, "Cyberdyne - Robotics line", "Decision Maker Bought-In", "Sales Pipeline", 45000,
     dt("2027-03-31"), dt("2024-12-01 12:00"), "Aisha Khan", "New Business", "REFERRALS",
     "Cyberdyne Systems"],
    [9011, "Massive Dynamic - Onboarding", "Closed Won", "Sales Pipeline", 5200,
     dt("2024-07-19"), dt("2024-06-03 12:00"), "Tom Baker", "New Business", "ORGANIC_SEARCH",
     "Massive Dynamic"],
    [9012, "Vandelay - Import tools", "Closed Won", "Sales Pipeline", "TBD", dt("2024-08-01"),
     dt("2024-07-01 12:00"), "Jane Doe", "New Business", "OFFLINE", "Vandelay Industries"],
]

# -- Salesforce ------------------------------------------------------------------------------------
SF_OPPS = [
    ["Opportunity Owner", "Account Name", "Opportunity Name", "Opportunity ID", "Stage",
     "Fiscal Period", "Amount", "Probability (%)", "Close Date", "Created Date", "Next Step",
     "Lead Source", "Type"],
    ["Jürgen Müller", "Bäckerei Schön GmbH", "Schön - POS rollout", "0065g00000A1001",
     "Closed Won", "Q1-2024", "$12,500.00", "100", "3/15/2024", "1/30/2024", "", "Web",
     "New Business"],
    ["José Álvarez", "Café Olé SL", "Olé - Loyalty app", "0065g00000A1002", "Closed Lost",
     "Q1-2024", "$8,200.00", "0", "2/28/2024", "1/12/2024", "", "Partner Referral",
     "New Business"],
    ["Jürgen Müller", "Nordwind AG", "Nordwind - Fleet tracking", "0065g00000A1003",
     "Closed Won", "Q2-2024", "$48,000.00", "100", "4/26/2024", "2/5/2024", "", "Trade Show",
     "New Business"],
    ["José Álvarez", "Señor Taco Inc.", "Taco - POS upgrade", "0065g00000A1004", "Prospecting",
     "Q1-2027", "", "10", "3/31/2027", "10/1/2024", "Intro call", "Cold Call", "New Business"],
    ["Chloé Dubois", "Crème Brûlée SARL", "Crème - Franchise portal", "0065g00000A1005",
     "Qualification", "Q2-2024", "", "10", "6/28/2024", "4/2/2024", "", "Web",
     "New Business"],
    ["Jürgen Müller", "Öko Energie eG", "Öko - Smart meters", "0065g00000A1006",
     "Needs Analysis", "Q4-2026", "$22,750.00", "20", "12/20/2026", "8/14/2024", "",
     "Advertisement", "New Business"],
    ["José Álvarez", "Niño Toys SA", "Niño - E-commerce", "0065g00000A1007",
     "Value Proposition", "Q1-2027", "$9,900.00", "50", "1/31/2027", "9/3/2024", "",
     "Phone Inquiry", "Existing Business"],
    ["Chloé Dubois", "Zürich Re Brokers", "Zürich - Claims portal", "0065g00000A1008",
     "Id. Decision Makers", "Q1-2025", "$64,000.00", "60", "2/28/2025", "11/20/2024", "",
     "Partner Referral", "New Business"],
    ["Jürgen Müller", "Müller & Söhne KG", "Söhne - ERP link", "0065g00000A1009",
     "Proposal/Price Quote", "Q1-2027", "$31,200.00", "75", "3/28/2027", "12/2/2024", "",
     "Web", "Existing Business"],
    ["José Álvarez", "Peña Logistics", "-20% promo bundle", "0065g00000A1010",
     "Negotiation/Review", "Q2-2027", "$27,300.00", "90", "5/15/2027", "1/10/2025", "",
     "Trade Show", "New Business"],
    ["Chloé Dubois", "Hôtel Lumière", "Lumière - Booking engine", "0065g00000A1011",
     "Closed Won", "Q2-2024", "$15,600.00", "100", "6/14/2024", "5/2/2024", "", "Web",
     "New Business"],
    ["Jürgen Müller", "Brauhaus Köln", "Köln - Taproom kiosks", "0065g00000A1012",
     "Closed Lost", "Q3-2024", "$5,400.00", "0", "7/31/2024", "6/3/2024", "", "Cold Call",
     "New Business"],
    ["José Álvarez", "Mañana Foods", "Mañana - Supply portal", "0065g00000A1013", "Closed Won",
     "Q1-2024", "$19,000.00", "100", "2/30/2024", "1/8/2024", "", "Web", "New Business"],
    ["Chloé Dubois", "Château Vins", "Château - Wine club", "0065g00000A1014",
     "Perception Analysis", "Q4-2026", "$11,000.00", "70", "10/31/2026", "7/1/2025", "",
     "Advertisement", "New Business"],
]
SF_FOOTER_OPPS = [
    "",
    '"Grand Totals (14 records)"',
    "",
    '"Confidential Information - Do Not Distribute"',
    '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."',
    "",
    '"Generated By: Jürgen Müller  5/3/2024 10:14 AM"',
    '"Acme Corp"',
]

SF_LEADS = [
    ["Lead ID", "First Name", "Last Name", "Email", "Company / Account", "Lead Source",
     "Lead Status", "Create Date", "Lead Owner", "Rating", "Country"],
    ["00Q5g000002B001", "Liam", "O'Brien", "liam.obrien@shamrock.ie", "Shamrock Dairy", "Web",
     "Open - Not Contacted", "1/8/2024", "Jürgen Müller", "Hot", "Ireland"],
    ["00Q5g000002B002", "Mia", "Wagner", "mia.wagner@alpenblick.at", "Alpenblick Hotels",
     "Trade Show", "Working - Contacted", "1/15/2024", "José Álvarez", "Warm", "Austria"],
    ["00Q5g000002B003", "Noah", "Dubois", "noah.dubois@lyonmeca.fr", "Lyon Méca", "Cold Call",
     "Closed - Not Converted", "1/22/2024", "Jürgen Müller", "Cold", "France"],
    ["00Q5g000002B004", "Emma", "Jansen", "emma.jansen@tulpbloem.nl", "Tulp & Bloem",
     "Purchased List", "Open - Not Contacted", "2/3/2024", "José Álvarez", "Cold",
     "Netherlands"],
    ["00Q5g000002B005", "Oliver", "Smith", "oliver.smith@thamesbank.co.uk", "Thames Bank",
     "Partner Referral", "Closed - Converted", "2/14/2024", "Jürgen Müller", "Hot",
     "United Kingdom"],
    ["00Q5g000002B006", "Ava", "Kowalski", "ava@wislaprint.pl", "Wisła Print", "Web",
     "Working - Contacted", "2/29/2024", "José Álvarez", "Warm", "Poland"],
    ["00Q5g000002B007", "Lucas", "Silva", "lucas.silva@riobranco.br", "Rio Branco Foods",
     "Phone Inquiry", "Open - Not Contacted", "3/12/2024", "Jürgen Müller", "Warm", "Brazil"],
    ["00Q5g000002B008", "Isla", "Fraser", "", "Highland Wool", "Employee Referral",
     "Working - Contacted", "3/20/2024", "José Álvarez", "Warm", "United Kingdom"],
    ["00Q5g000002B009", "Ethan", "Novak", "ethan.novak@vltava.cz", "Vltava Glass",
     "Advertisement", "Open - Not Contacted", "", "Jürgen Müller", "Cold", "Czech Republic"],
    ["00Q5g000002B010", "Zoe", "Papadopoulos", "zoe@aegeanship.gr", "Aegean Shipping", "Web",
     "Working - Contacted", "4/2/2024", "José Álvarez", "Hot", "Greece"],
    ["00Q5g000002B011", "Leo", "Fischer", "leo.fischer@rheinwerk.de", "Rheinwerk Tools",
     "Cold Call", "Open - Not Contacted", "4/18/2024", "Jürgen Müller", "Cold", "Germany"],
    ["00Q5g000002B012", "Chloe", "Martin", "chloe.martin@provence-bio.fr", "Provence Bio",
     "Seminar - Internal", "Open - Not Contacted", "4/30/2024", "José Álvarez", "Warm",
     "France"],
]
SF_FOOTER_LEADS = [
    "",
    '"Grand Totals (12 records)"',
    "",
    '"Confidential Information - Do Not Distribute"',
    '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."',
    '"Generated By: José Álvarez  5/3/2024 10:14 AM"',
    '"Acme Corp"',
]

# -- Pipedrive -------------------------------------------------------------------------------------
PIPEDRIVE_DEALS = [
    ["Deal - ID", "Deal - Title", "Deal - Organization", "Deal - Value", "Deal - Currency",
     "Deal - Status", "Deal - Stage", "Deal - Pipeline", "Deal - Owner", "Deal - Deal created",
     "Deal - Won time", "Deal - Lost time", "Deal - Lost reason", "Deal - Expected close date",
     "Deal - Source channel"],
    ["101", "Fjord Analytics deal", "Fjord Analytics AS", "7500", "EUR", "won",
     "Negotiations Started", "Sales", "Ingrid Berg", "2024-01-05 09:00:00",
     "2024-02-14 15:00:00", "", "", "2024-02-29", "Web forms"],
    ["102", "Baltic Amber deal", "Baltic Amber UAB", "3200", "EUR", "lost", "Proposal Made",
     "Sales", "Tomas Petraitis", "2024-01-09 10:00:00", "", "2024-02-01 12:00:00",
     "Price too high", "2024-02-15", "Cold outreach"],
    ["103", "Danube Mills deal", "Danube Mills Kft", "12000", "EUR", "won",
     "Negotiations Started", "Sales", "Ingrid Berg", "2024-01-20 08:00:00",
     "2024-03-20 20:00:00", "", "", "2024-03-31", "Marketing"],
    ["104", "Alpine Dairy deal", "Alpine Dairy AG", "", "EUR", "open", "Qualified", "Sales",
     "Tomas Petraitis", "2024-02-02 11:00:00", "", "", "", "2027-01-31", "Marketing"],
    ["105", "Iberia Cork deal", "Iberia Cork Lda", "4100", "EUR", "open", "Contact Made",
     "Sales", "Ingrid Berg", "2024-02-10 13:30:00", "", "", "", "2024-04-30", "Prospecting"],
    ["106", "Celtic Knitwear deal", "Celtic Knitwear Ltd", "2600", "EUR", "deleted", "Lead In",
     "Sales", "Tomas Petraitis", "2024-02-12 10:00:00", "", "", "", "2024-05-31", "Web forms"],
    ["107", "Vistula Steel deal", "Vistula Steel SA", "18500", "EUR", "won",
     "Negotiations Started", "Sales", "Ingrid Berg", "2024-02-15 09:15:00",
     "2024-04-15 09:15:00", "", "", "2024-04-30", "Cold outreach"],
    ["108", "Rhône Wines deal", "@Rhône Wines SARL", "5400", "EUR", "lost", "Demo Scheduled",
     "Sales", "Tomas Petraitis", "2024-03-01 10:00:00", "", "2024-03-28 10:00:00",
     "Went with competitor", "2024-04-15", "Marketing"],
    ["109", "Nordic Saunas deal", "Nordic Saunas Oy", "9800", "EUR", "open", "Proposal Made",
     "Sales", "Ingrid Berg", "2024-03-05 14:00:00", "", "", "", "2026-12-15", "Web forms"],
    ["110", "Adriatic Yachts deal", "Adriatic Yachts d.o.o.", "", "EUR", "open", "Lead In",
     "Sales", "Tomas Petraitis", "2024-03-18 16:45:00", "", "", "", "", "Marketing"],
    ["111", "Carpathian Honey deal", "Carpathian Honey SRL", "2200", "EUR", "won",
     "Negotiations Started", "Sales", "Ingrid Berg", "2024-03-22 12:00:00",
     "2024-04-01 18:00:00", "", "", "2024-04-05", "Web forms"],
    ["112", "Tatra Outdoor deal", "Tatra Outdoor s.r.o.", "6100", "EUR", "lost", "Qualified",
     "Sales", "Tomas Petraitis", "2024-04-02 09:00:00", "", "2024-04-20 17:00:00", "No budget",
     "2024-05-31", "Cold outreach"],
    ["113", "Lapland Tours deal", "Lapland Tours Oy", "3900", "EUR", "deleted", "Contact Made",
     "Sales", "Ingrid Berg", "2024-04-05 11:00:00", "", "", "", "2024-06-30", "Marketing"],
    ["114", "Aegean Olive deal", "Aegean Olive SA", "14250.50", "EUR", "won",
     "Negotiations Started", "Sales", "Ingrid Berg", "2024-04-10 09:00:00",
     "2024-05-30 21:00:00", "", "", "2024-05-31", "Web forms"],
]

# -- Zoho ------------------------------------------------------------------------------------------
ZOHO_DEALS = [
    ["Record Id", "Deal Owner", "Deal Name", "Account Name", "Type", "Stage", "Amount",
     "Probability (%)", "Expected Revenue", "Closing Date", "Lead Source", "Created Time",
     "Contact Name"],
    ["zcrm_5725767000000412001", "Ravi Kumar", "Sunrise Solar - EPC contract",
     "Sunrise Solar Pvt Ltd", "New Business", "Closed Won", "15000", "100", "15000",
     "2024-03-05", "Web Download", "2024-01-10 12:00:00", "Anil Sharma"],
    ["zcrm_5725767000000412002", "Ravi Kumar", "Ganges Textiles - ERP", "Ganges Textiles Ltd",
     "New Business", "Closed Lost", "9000", "0", "0", "2024-02-20", "Cold Call",
     "2024-01-18 12:00:00", "Pooja Verma"],
    ["zcrm_5725767000000412003", "Meera Iyer", "Deccan Foods - CRM rollout", "Deccan Foods",
     "Existing Business", "Closed Won", "26500", "100", "26500", "2024-04-12", "Partner",
     "2024-02-12 12:00:00", "Suresh Reddy"],
    ["zcrm_5725767000000412004", "Meera Iyer", "Kerala Spices - Analytics", "Kerala Spices",
     "New Business", "Qualification", "", "10", "", "2027-02-15", "Advertisement",
     "2024-03-01 12:00:00", "Lakshmi Menon"],
    ["zcrm_5725767000000412005", "Arjun Mehta", "Himalaya Treks - Booking", "Himalaya Treks",
     "New Business", "Needs Analysis", "", "20", "", "2024-05-31", "Web Research",
     "2024-03-10 12:00:00", "Tenzin Dorje"],
    ["zcrm_5725767000000412006", "Arjun Mehta", "Thar Ceramics - Portal", "Thar Ceramics",
     "New Business", "Value Proposition", "7800", "40", "3120", "2026-12-20",
     "Employee Referral", "2024-04-02 12:00:00", "Kavita Singh"],
    ["zcrm_5725767000000412007", "Ravi Kumar", "Konkan Ports - Tracking", "@Konkan Ports Trust",
     "New Business", "Identify Decision Makers", "41000", "60", "24600", "2027-01-31",
     "Trade Show", "2024-04-15 12:00:00", "Vikram Patil"],
    ["zcrm_5725767000000412008", "Meera Iyer", "Malabar Gold - App", "Malabar Gold",
     "Existing Business", "Proposal/Price Quote", "12300", "75", "9225", "2025-06-30",
     "Online Store", "2024-05-20 12:00:00", "Fathima Nair"],
    ["zcrm_5725767000000412009", "Arjun Mehta", "Nilgiri Tea - Export desk", "Nilgiri Tea Co",
     "New Business", "Negotiation/Review", "18800", "90", "16920", "2027-03-15", "Chat",
     "2024-06-01 12:00:00", "Ramesh Gowda"],
    ["zcrm_5725767000000412010", "Ravi Kumar", "Coromandel Chem - Safety suite",
     "Coromandel Chemicals", "New Business", "Closed-Lost to Competition", "33000", "0", "0",
     "2024-07-10", "External Referral", "2024-04-25 12:00:00", "Karthik Raja"],
    ["zcrm_5725767000000412011", "Meera Iyer", "Bengal Jute - Webshop", "Bengal Jute Mills",
     "New Business", "Closed Won", "4400", "100", "4400", "2024-07-31", "Web Download",
     "2024-07-01 12:00:00", "Sourav Das"],
    ["zcrm_5725767000000412012", "Arjun Mehta", "Punjab Agro - Fleet", "Punjab Agro",
     "New Business", "Closed Won", "21000", "100", "21000", "2024-02-30", "Cold Call",
     "2024-01-05 12:00:00", "Harpreet Gill"],
]

# -- Chinese CRMs ----------------------------------------------------------------------------------
CN_DEALS = [
    ["商机编号", "商机名称", "客户名称", "商机金额", "销售阶段", "商机状态", "创建时间",
     "结单日期", "负责人", "商机来源", "产品", "行业", "地区", "输单原因"],
    ["SJ-2024-001", "华东区ERP升级", "上海明辉贸易有限公司", "¥128,000.00", "赢单", "赢单",
     "2024-01-08 12:00", "2024年3月8日", "张伟", "官网", "ERP", "贸易", "华东", ""],
    ["SJ-2024-002", "智慧门店项目", "杭州悦家连锁超市", "8.5万", "输单", "输单", "2024-01-15 12:00",
     "2024年2月20日", "李娜", "展会", "门店系统", "零售", "华东", "价格过高"],
    ["SJ-2024-003", "云客服部署", "深圳星河科技有限公司", "56000元", "赢单", "赢单",
     "2024-02-01 12:00", "2024年4月1日", "王强", "转介绍", "客服云", "科技", "华南", ""],
    ["SJ-2024-004", "生产排程系统", "苏州精工机械", "", "初步接洽", "进行中", "2024-03-05 12:00",
     "2027年1月15日", "张伟", "电话销售", "MES", "制造", "华东", ""],
    ["SJ-2024-005", "供应链可视化", "广州南方物流", "", "需求确认", "进行中", "2024-03-18 12:00",
     "2024年6月30日", "李娜", "百度", "SCM", "物流", "华南", ""],
    ["SJ-2024-006", "会员小程序", "成都火锅之家餐饮", "¥36,800.00", "方案报价", "进行中",
     "2024-04-02 12:00", "2026年12月31日", "王强", "微信公众号", "小程序", "餐饮", "西南",
     ""],
    ["SJ-2024-007", "财务共享中心", "北京华信集团", "120万", "谈判审核", "进行中",
     "2024-04-20 12:00", "2027年3月31日", "赵敏", "市场活动", "财务云", "金融", "华北", ""],
    ["SJ-2024-008", "门店收银升级", "武汉楚天便利店", "¥15,600.00", "赢单", "赢单",
     "2024-05-06 12:00", "2024年6月5日", "李娜", "官网", "POS", "零售", "华中", ""],
    ["SJ-2024-009", "数据中台", "南京紫金银行", "2.4万", "输单", "输单", "2024-05-10 12:00",
     "2024年7月1日", "赵敏", "陌拜", "数据平台", "金融", "华东", "选择竞品"],
    ["SJ-2024-010", "仓储管理系统", "天津港联物流", "9.8万", "无效", "输单", "2024-06-01 12:00",
     "2024年6月20日", "王强", "地推", "WMS", "物流", "华北", "需求取消"],
    ["SJ-2024-011", "电子签章", "西安古城文旅", "待定", "赢单", "赢单", "2024-06-15 12:00",
     "2024年7月15日", "张伟", "抖音", "电子签", "文旅", "西北", ""],
    ["SJ-2024-012", "人力资源SaaS", "重庆山城制药", "1.5万", "赢单", "赢单", "2024-07-01 12:00",
     "2024年9月1日", "赵敏", "转介绍", "HR SaaS", "医药", "西南", ""],
]

CN_LEADS = [
    ["线索编号", "姓名", "手机", "邮箱", "公司名称", "线索来源", "线索状态", "线索评分",
     "创建时间", "成为MQL时间", "转商机时间", "负责人", "地区"],
    ["XS-0001", "刘洋", "13800138001", "liuyang@minghui.cn", "上海明辉贸易", "官网", "已转化", 85,
     dt("2024-01-03 09:30"), dt("2024-01-05 10:00"), dt("2024-01-08 10:00"), "张伟", "华东"],
    ["XS-0002", "陈静", "13900139002", "chenjing@yuejia.com", "杭州悦家", "展会", "跟进中", 60,
     dt("2024-01-10 14:00"), dt("2024-01-12 09:00"), None, "李娜", "华东"],
    ["XS-0003", "黄磊", "13700137003", None, "深圳星河科技", "转介绍", "已转化", 90,
     dt("2024-01-22 11:15"), dt("2024-01-23"), dt("2024-01-30"), "王强", "华南"],
    ["XS-0004", "周敏", "13600136004", "zhoumin@jinggong.cn", "苏州精工", "电话销售", "未跟进", 20,
     dt("2024-02-05 16:40"), None, None, "张伟", "华东"],
    ["XS-0005", "吴刚", "13500135005", "wugang@nanfang-wl.com", "广州南方物流", "百度",
     "跟进中", 55, "2024年2月19日", dt("2024-02-21 10:00"), None, "李娜", "华南"],
    ["XS-0006", "郑丽", "13400134006", "zhengli@huoguo.cn", "成都火锅之家", "微信公众号",
     "已转化", 78, dt("2024-03-01 10:00"), dt("2024-03-04 09:00"), dt("2024-03-11 15:00"),
     "王强", "西南"],
    ["XS-0007", "孙浩", "13300133007", "sunhao@huaxin.com.cn", "北京华信集团", "市场活动",
     "无效", 10, dt("2024-03-15 13:20"), None, None, "赵敏", "华北"],
    ["XS-0008", "马超", "13200132008", "machao@chutian.cn", "武汉楚天便利", "官网", "已转化", 88,
     dt("2024-04-02 09:00"), dt("2024-04-03"), dt("2024-04-07"), "李娜", "华中"],
    ["XS-0009", "朱琳", "13100131009", "zhulin@zijinbank.cn", "南京紫金银行", "陌拜", "跟进中", 35,
     None, None, None, "赵敏", "华东"],
    ["XS-0010", "胡军", "13000130010", "hujun@ganglian.cn", "天津港联物流", "地推", "未跟进", 15,
     dt("2024-04-20 10:30"), None, None, "王强", "华北"],
    ["XS-0011", "林芳", "15800158011", "linfang@gucheng.cn", "西安古城文旅", "抖音", "跟进中", 48,
     dt("2024-05-06 15:00"), dt("2024-05-08 11:00"), None, "张伟", "西北"],
    ["XS-0012", "何强", "15900159012", "heqiang@shancheng.cn", "重庆山城制药", "转介绍",
     "已转化", 92, dt("2024-05-20 09:45"), dt("2024-05-21 10:00"), dt("2024-05-27 14:00"),
     "赵敏", "西南"],
]

# -- plain spreadsheets ----------------------------------------------------------------------------
EU_DEALS = [
    ["Deal ID", "Deal", "Kunde", "Value", "Stage", "Created", "Closed", "Owner", "Source",
     "Region"],
    ["EU-01", "Stadtwerke - Portal", "Stadtwerke Brandenburg GmbH", "12.500,00 €", "Closed Won",
     "15.01.2024", "4.3.2024", "Katrin Vogel", "Website", "DACH"],
    ["EU-02", "Wiener Linien - Analytics", "Wiener Linien", "8.750,50 €", "Closed Lost",
     "22.01.2024", "28.2.2024", "Stefan Huber", "Trade Fair", "DACH"],
    ["EU-03", "Haven - Tracking", "Havenbedrijf Rotterdam", "31.000,00 €", "Closed Won",
     "1.2.2024", "2.4.2024", "Katrin Vogel", "Referral", "Benelux"],
    ["EU-04", "Lyon Santé - CRM", "Lyon Santé SA", "", "Prospecting", "12.2.2024", "30.6.2027",
     "Marie Laurent", "Outbound", "France"],
    ["EU-05", "Milano Moda - Webshop", "Milano Moda S.p.A.", "4.200,00 €", "Qualification",
     "20.2.2024", "31.5.2024", "Stefan Huber", "Paid Search", "Italy"],
    ["EU-06", "Zürich Pharma - LIMS", "Zürich Pharma AG", "56.000,00 €", "Negotiation/Review",
     "1.3.2024", "15.12.2026", "Katrin Vogel", "Webinar", "DACH"],
    ["EU-07", "Pivovar - ERP", "Pražský Pivovar s.r.o.", "9.900,00 €", "Closed Won",
     "11.3.2024", "29.4.2024", "Marie Laurent", "Cold Call", "CEE"],
    ["EU-08", "Stocznia - Planning", "Stocznia Gdańsk", "22.000,00 €", "Closed Lost",
     "18.3.2024", "30.4.2024", "Stefan Huber", "Referral", "CEE"],
    ["EU-09", "Azulejos - Catalogue", "Azulejos Lisboa Lda", "3.150,75 €", "Closed Won",
     "25.3.2024", "31.4.2024", "Marie Laurent", "Website", "Iberia"],
    ["EU-10", "Kraków Games - Licensing", "Kraków Games S.A.", "14.800,00 €", "Closed Won",
     "2.4.2024", "14.6.2024", "Marie Laurent", "Paid Social", "CEE"],
]

RENAMED_DEALS = [
    ["Ref", "Opportunity", "Client", "Value (USD)", "Phase", "Opened", "Closed", "Rep",
     "Channel", "Won?", "Kunde"],
    ["R-1", "Harbor Health - Telehealth", "Harbor Health Inc.", 18000, "Won", dt("2024-02-01"),
     dt("2024-03-02"), "Sam Lee", "Webinar", "yes", dt("2019-05-01")],
    ["R-2", "Pine Labs - Billing", "Pine Labs LLC", 7200, "Lost", dt("2024-02-06"),
     dt("2024-03-15"), "Dana Cruz", "Cold Email", "no", dt("2020-01-15")],
    ["R-3", "Summit Bank - Risk", "Summit Bank", 52000, "Won", dt("2024-02-12"),
     dt("2024-05-12"), "Sam Lee", "Referral", "yes", dt("2015-09-30")],
    ["R-4", "Coastal Freight - TMS", "Coastal Freight Co.", None, "Discovery", dt("2024-03-01"),
     None, "Dana Cruz", "Paid Search", None, dt("2021-07-07")],
    ["R-5", "Redwood Schools - LMS", "Redwood School District", 9600, "Proposal",
     dt("2024-03-08"), None, "Alex Kim", "Organic Search", None, dt("2018-11-11")],
    ["R-6", "Maple Foods - Forecasting", "Maple Foods Ltd", 15500, "Won", dt("2024-03-15"),
     dt("2024-04-04"), "Alex Kim", "Events", "yes", dt("2022-02-22")],
    ["R-7", "Granite Works - Quoting", "Granite Works", 4300, "Lost", dt("2024-03-20"),
     dt("2024-04-25"), "Sam Lee", "Outbound Call", "no", dt("2017-03-03")],
    ["R-8", "Blue Ocean - Fleet", "Blue Ocean Shipping", 27500, "Proposal", dt("2024-04-01"),
     None, "Dana Cruz", "Webinar", None, dt("2016-06-16")],
    ["R-9", "Aurora Labs - ELN", "Aurora Labs", 11200, "Won", dt("2024-04-10"),
     dt("2024-06-09"), "Alex Kim", "Paid Social", "yes", dt("2023-08-08")],
    ["R-10", "Cedar Clinics - Scheduling", "Cedar Clinics", 6800, "Discovery", dt("2024-04-22"),
     None, "Sam Lee", "Referral", None, dt("2020-10-10")],
]

CAMPAIGNS = [
    ["Campaign ID", "Campaign", "Channel", "Objective", "Start", "End", "Budget", "Owner",
     "Segment", "Status"],
    ["CMP-01", "Spring Webinar Series", "Webinar", "Consideration", "2024-03-01", "2024-04-30",
     "12000", "Aisha Khan", "Mid-market", "Completed"],
    ["CMP-02", "Brand Awareness Q2", "Paid Social", "Awareness", "2024-04-01", "2024-06-30",
     "30000", "Tom Baker", "SMB", "Completed"],
    ["CMP-03", "Search Always-on", "Paid Search", "Purchase", "2024-01-01", "2024-12-31",
     "48000", "Aisha Khan", "All", "Active"],
    ["CMP-04", "Customer Advocacy Program", "Email Nurture", "Advocacy", "2024-05-01",
     "2024-08-31", "5000", "Jane Doe", "Enterprise", "Active"],
    ["CMP-05", "Loyalty Newsletter", "Email Nurture", "Loyalty", "2024-01-15", "2024-12-15",
     "3600", "Jane Doe", "Customers", "Active"],
    ["CMP-06", "Trade Show Berlin", "Events", "Consideration", "2024-09-10", "2024-09-12",
     "25000", "Tom Baker", "Enterprise", "Planned"],
    ["CMP-07", "SEO Content Hub", "Content/SEO", "Awareness", "2024-02-01", "2024-07-31",
     "18000", "Aisha Khan", "SMB", "Active"],
    ["CMP-08", "Partner Launch", "Events", "Lead generation", "2024-06-01", "2024-06-30",
     "8000", "Tom Baker", "Mid-market", "Completed"],
    ["CMP-09", "Retargeting Sprint", "Paid Social", "Purchase", "2024-10-01", "2024-09-15",
     "6000", "Aisha Khan", "SMB", "Planned"],
    ["CMP-10", "Holiday Promo", "Paid Search", "Conversion", "2024-11-15", "2024-12-31",
     "15000", "Aisha Khan", "SMB", "Planned"],
]

SPEND = [
    ["Month", "Channel", "Category", "Campaign", "Spend"],
    ["2024-01-01", "Paid Search", "Marketing", "CMP-03", "4,000.00"],
    ["2024-01-01", "Paid Social", "Marketing", "", "2,500.00"],
    ["2024-01-01", "SDR Team", "Sales", "", "9,000.00"],
    ["2024-02-01", "Paid Search", "Marketing", "CMP-03", "4,000.00"],
    ["2024-02-01", "Content/SEO", "Marketing", "CMP-07", "3,000.00"],
    ["2024-02-01", "SDR Team", "Sales", "", "9,000.00"],
    ["2024-03-01", "Paid Search", "Marketing", "CMP-03", "4,000.00"],
    ["2024-03-01", "Webinar", "Marketing", "CMP-01", "6,000.00"],
    ["2024-03-01", "SDR Team", "Sales", "", "9,250.00"],
    ["2024-04-01", "Paid Social", "Marketing", "CMP-02", "10,000.00"],
    ["2024-04-01", "Webinar", "Marketing", "CMP-01", "TBD"],
    ["2024-04-01", "SDR Team", "Sales", "", "9,250.00"],
]

# fmt: on


def build(out: Path) -> list[Path]:
    """Write every corpus file into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    files["hubspot_contacts.csv"] = csv_text(HUBSPOT_CONTACTS).encode("utf-8")
    # Excel's "Unicode text": UTF-16LE with a BOM, tab-separated, CRLF.
    files["hubspot_contacts_unicode.txt"] = b"\xff\xfe" + csv_text(
        HUBSPOT_CONTACTS, delimiter="\t", eol="\r\n"
    ).encode("utf-16-le")
    files["hubspot_deals.xlsx"] = xlsx_bytes("Deals", HUBSPOT_DEALS)
    files["salesforce_opportunities.csv"] = (
        csv_text(SF_OPPS, quote_all=True, eol="\r\n") + "\r\n".join(SF_FOOTER_OPPS) + "\r\n"
    ).encode("cp1252")
    files["salesforce_leads.csv"] = (
        csv_text(SF_LEADS, quote_all=True) + "\n".join(SF_FOOTER_LEADS) + "\n"
    ).encode("utf-8")
    files["pipedrive_deals.csv"] = csv_text(PIPEDRIVE_DEALS).encode("utf-8")
    files["zoho_deals.csv"] = b"\xef\xbb\xbf" + csv_text(ZOHO_DEALS).encode("utf-8")
    files["chinese_crm_deals.csv"] = csv_text(CN_DEALS, eol="\r\n").encode("gb18030")
    files["chinese_crm_leads.xlsx"] = xlsx_bytes("线索", CN_LEADS)
    files["generic_deals_eu.csv"] = csv_text(EU_DEALS, delimiter=";", eol="\r\n").encode("utf-8")
    files["generic_deals_renamed.xlsx"] = xlsx_bytes("Pipeline", RENAMED_DEALS)
    files["campaigns_plan.csv"] = csv_text(CAMPAIGNS).encode("utf-8")
    files["spend_monthly.csv"] = csv_text(SPEND).encode("utf-8")
    written = []
    for name, data in files.items():
        path = out / name
        write_bytes(path, data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for p in build(target):
        print(p)
