"""Exporters, no Streamlit: the meeting pack and what a chart or table becomes as a file.

packs.py assembles the registered views into a deck; pack_html.py and pack_pptx.py write
it; images.py draws PNG/SVG; tables.py writes CSV/XLSX.
"""
