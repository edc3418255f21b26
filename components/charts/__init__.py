"""Pure chart builders: DataFrame in, plotly Figure out (no Streamlit, no SQL).

One module per subject; base.py holds the shared kinds (time series, bars, the empty
figure that says why), theme.py the template and the engines' colours.
"""
