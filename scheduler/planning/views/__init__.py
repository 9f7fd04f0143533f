from . import attendees, ceremonies, programme, sites

blueprints = (ceremonies.bp, sites.bp, attendees.bp, programme.bp)
