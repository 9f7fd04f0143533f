"""Background work of the whole app: fan-out jobs and outbox delivery.

Web requests only write rows; these passes do the work. Each pass claims what
it takes, so running it twice at once sends nothing twice.
"""
