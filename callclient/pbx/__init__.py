"""The organisation's phone system (PBX) as a service: sign-in, profile, history, voicemail, conferences.

`service` defines the interface and its values, `errors` the domain errors; `wazo` and `sip_only` are the
backends. The app picks one in its composition root.
"""
