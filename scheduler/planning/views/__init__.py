from . import attendees, ceremonies, organizers, programme, sites

blueprints = (ceremonies.bp, sites.bp, attendees.bp, programme.bp, organizers.bp)
