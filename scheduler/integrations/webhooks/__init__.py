"""Outbound signed webhooks.

Signals become event rows and one delivery row per subscribed endpoint in the
same transaction as the change (events.py); the background pass posts them,
signed (signing.py), only to addresses that pass the SSRF rules (targets.py),
with retries, backoff and pausing (delivery.py).
"""
