"""What every chart says, computed once.

One module per page (``views/market.py`` for Market analysis …), one function per chart or
figure block, each returning a ``ChartSpec`` (title, figure, the data behind it, caption,
takeaway, or the reason it is empty) from an explicit ``Context`` — no Streamlit, no page
globals. ``views.registry`` lists them by ``page.chart`` key; the page shows a spec with
``components.ui.page.show``, and present mode, the meeting pack and ``flywheel export`` draw the
same specs, so a meeting is told what the screen says.
"""
