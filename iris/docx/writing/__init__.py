"""Writing: rebuilding runs from target text, typography of the target language, settings."""
