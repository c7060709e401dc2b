class ImportRejected(Exception):
    """Bad input: the message is one line meant for the person importing the document."""
