"""The audit report page's widgets.

- sections: one report section as the page shows it (status, what is missing with a link, facts, tables, charts).
- download: the HTML report and Markdown model card, built when asked for.
"""
