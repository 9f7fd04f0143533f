"""Reminders: rules per ceremony, due rows, and the pass that sends them."""
