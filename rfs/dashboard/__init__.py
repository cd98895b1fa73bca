"""Site: the staff pipeline dashboard. forms (the period and filters), metrics (one query per
figure), report (the page, one function per section), charts (SVG), lists (drill-downs)."""
