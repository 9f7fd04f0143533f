"""HTTP out: the video-conference provider (and, beside it, webhooks).

Nothing here runs inside a request: receivers record rows, the background pass
makes the calls (see DESIGN.md, "Data moves one way").
"""
