"""Readers turn a file's bytes into blocks; `read_document` picks one by content and extension."""
