"""The dashboards: figures per event, registrations per day as a chart, top organisations."""
