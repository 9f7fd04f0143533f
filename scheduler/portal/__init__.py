"""Pages reached by signed links, without an account: attendees (/r/…) and site coordinators (/s/…)."""
