"""The organizer's readiness board: every site of a ceremony at a glance."""
