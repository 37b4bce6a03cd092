import sys

from callclient.cli import main

sys.exit(main())
