#!/bin/sh
# The testbed's host packages are part of the project's one list.
exec "$(dirname "$0")/../../tools/deps.sh"
