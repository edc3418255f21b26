"""Header aliases, marker headers and value words of each CRM, as plain data: one module per
CRM (``generic`` holds the general English and Chinese names every preset falls back on).

Each CRM module defines

- ``LABEL`` and ``DAY_FIRST`` / ``DECIMAL_COMMA`` (how its exports write dates and numbers);
- ``ALIASES``: kind -> field -> headers, as the CRM writes them: UI labels of its report and
  list exports first, then the API names of its Data Loader/integration exports. They are
  compared after ``presets.normalise_header`` (case, separators and camelCase ignored), so
  ``StageName``, ``stage_name`` and ``Stage Name`` are one alias;
- ``MARKERS``: kind -> UI headers that identify the CRM's export, compared ignoring case and
  surrounding spaces only (``Deal Stage``, not ``deal_stage``);
- ``API_MARKERS``: kind -> API names that identify it, compared *exactly* (``StageName`` is
  Salesforce, ``dealstage`` HubSpot, ``stage_name`` nobody's): a plain database dump must not
  pass for a CRM export;
- ``COMMON_API_MARKERS``: API names every object of the CRM carries (``Id``, ``CreatedDate``):
  they add to a kind's marker evidence but never identify the CRM on their own;
- ``REFINES`` (optional): the broader preset this CRM's export is a case of (纷享销客, 销售易,
  钉钉/企业微信, 简道云 and 金蝶/用友 refine ``chinese_crm``): its aliases apply after the CRM's
  own, its marker headers add evidence but never identify the CRM, and the CRM outranks it;
- ``VALUE_MARKERS`` (optional): cell values only this CRM writes (纷享销客's 预设业务类型): a
  column holding one counts as a marker header;
- ``STAGES``: outcome -> stage/status values (internal ids and labels);
- ``SOURCES``: motion -> lead-source values (``pull``: the buyer came to us, ``push``: we went
  to them).

Everything here is data; the matching and detection logic lives in queries/ingest/presets.py.
"""
