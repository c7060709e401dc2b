"""Layout parsers: each takes the document's lines and returns sections, or [] if the layout is absent."""
