"""Living on a desktop: the session bus, actionable notifications, the MPRIS player that lets media and
headset buttons reach the call-actions service, autostart and link handling.

Each module is a service under Core with start()/stop() and acts only through the call-actions service;
none imports Qt, so they work with the window hidden and in `--headless`.
"""
