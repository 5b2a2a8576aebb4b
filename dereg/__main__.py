from dereg.cli import main

main()
