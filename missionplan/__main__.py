from missionplan.cli import main

main()
