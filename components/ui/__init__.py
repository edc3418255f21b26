"""Streamlit pieces a page lays out: forms that edit plans, campaigns and scenarios."""
