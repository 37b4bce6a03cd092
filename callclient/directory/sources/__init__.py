"""Directory sources, each behind `callclient.directory.model.Source`: the PBX's directory (pbx.py),
favorites and call history (local.py), LDAP (ldap.py)."""
