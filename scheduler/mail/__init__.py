"""Invitations by email: iMIP messages, the outbox that records them, and the
transports that deliver them (SMTP; a file drop for development)."""
