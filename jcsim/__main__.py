import sys

from jcsim.cli import main

sys.exit(main())
