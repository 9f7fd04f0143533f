"""HTTP out to other systems (webhooks, video-conference providers), always
recorded as rows first and done by the background process."""
