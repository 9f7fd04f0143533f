"""Pages reached by signed links, without an account (attendees; coordinators later)."""
