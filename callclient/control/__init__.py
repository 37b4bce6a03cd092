"""Control of a running CallClient over a local socket: click-to-dial, scripts, CRMs and `callclient call`."""
