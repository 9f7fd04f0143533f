"""Subscribable calendar feeds (METHOD:PUBLISH) behind secret, revocable URLs."""
