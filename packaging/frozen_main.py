"""The frozen app's entry point (build.spec): `callclient ...` as usual, and `callclient -m MODULE ...` for
the helper processes the app starts with `sys.executable -m` (the demo far ends run pjsua2 in a process of
their own: one Endpoint per process). In a PyInstaller build sys.executable is this program, not a Python,
so the `-m` form has to be understood here."""

import runpy
import sys

if len(sys.argv) >= 3 and sys.argv[1] == "-m":
    module = sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
else:
    from callclient.cli import main

    sys.exit(main())
