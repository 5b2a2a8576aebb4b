#!/bin/sh
# Rebuild cases.db, the embedded default database, from examples/cases-2016.csv with dereg
# itself: the three cases the "Echo" observers' report documents for the 2016 elections.
# tests/test_import.py checks that the shipped cases.db is what this script makes.
set -eu
cd "$(dirname "$0")/.."
rm -f cases.db cases.db-wal cases.db-shm
DEREG_ACTOR="examples/build_cases_db.sh" dereg --db cases.db import cases examples/cases-2016.csv
