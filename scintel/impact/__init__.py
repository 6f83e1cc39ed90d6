"""Project impact: output links, indicators, clusters and the partner network.

Step functions live in `scintel.impact.steps`; this package imports nothing heavy
so that the profile model can import `scintel.impact.spec` cheaply.
"""
