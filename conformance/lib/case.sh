# Runs one case in its own bash process: bash lib/case.sh FUNCTION
# Exit status: 0 pass, 1 fail, 77 skip (reason in $CASE_DIR/reason).
source "$SUITE/lib/common.sh"
reg() { :; }
for _f in "$SUITE"/cases/*.sh; do source "$_f"; done
cd "$CASE_DIR" || exit 1
"$1"
exit 0
