"""Project impact: output links, indicators, clusters and the partner network.

Step functions live in `scintel.impact.steps`; the `impact:` profile section's model
is in `scintel.profile` with the other sections.
"""
