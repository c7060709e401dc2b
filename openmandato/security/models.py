"""No models. This module exists because Django sends `post_migrate` only to apps that have a models
module, and this app's `post_migrate` handler creates the database cache's table (the fallback cache
when no Redis is configured): without it a fresh `make run` had no cache table and every login failed."""
