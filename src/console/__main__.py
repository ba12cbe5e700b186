from console.main import main

raise SystemExit(main())
