from ghbot.cli import main

raise SystemExit(main())
