from budgets.cli import main

raise SystemExit(main())
