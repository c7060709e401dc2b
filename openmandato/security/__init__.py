"""Hardening that cuts across the apps: request limits, odd input, outage answers, headers, throttling."""
